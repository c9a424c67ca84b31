import Foundation

/// A kind's template: a Markdown file whose headings are the structure every
/// document of the kind must follow. What the template has before its first
/// heading (front matter, a header block) only seeds `keel new`.
public struct Template: Sendable {
  /// One heading of the template and what it says about the section under it.
  public struct Section: Sendable, Hashable {
    public var level: Int
    /// The heading as written in the template (`Success metrics`, `{{title}}`).
    public var title: String
    /// `title` normalised for matching (see `Template.key(_:)`).
    public var key: String
    /// A heading holding a `{{…}}` variable (the document title) matches any
    /// heading of the same level in that place.
    public var isWildcard: Bool
    /// `<!-- optional -->` under the heading: documents may leave the section out.
    public var isOptional: Bool
    /// Normalised text of each placeholder block (prose the author must replace).
    public var placeholders: [String]
    /// The task-list items every document must carry in this section.
    public var checklist: [String]
    /// Line of the heading in the template file.
    public var line: Int

    /// A section the template gives content to (placeholder or checklist) must
    /// have content in a document; a bare grouping heading need not.
    public var expectsContent: Bool { !placeholders.isEmpty || !checklist.isEmpty }

    /// `## Problem`, for messages.
    public var displayName: String { String(repeating: "#", count: level) + " " + title }
  }

  /// Path of the template file in the repository.
  public var path: String
  public var sections: [Section]
  /// The raw template text (front matter included), for `keel new`.
  public var text: String

  public init(path: String, text: String, sections: [Section]) {
    self.path = path
    self.text = text
    self.sections = sections
  }

  /// Parses a template file. Its front matter and anything before the first
  /// heading are not part of the required structure.
  public static func parse(_ data: Data, path: String) -> Template {
    let document = DocumentParser.parse(path: path, data: data)
    return Template(path: path, text: document.text, tree: document.body)
  }

  /// Builds a template from an already parsed Markdown body.
  public init(path: String, text: String, tree: MarkdownTree) {
    self.path = path
    self.text = text
    var sections: [Section] = []
    let sectionIndexByLine = Dictionary(
      tree.sections.enumerated().compactMap { index, section in section.heading.map { ($0.line, index) } },
      uniquingKeysWith: { first, _ in first })
    for heading in tree.headings {
      let markdownSection = sectionIndexByLine[heading.line].map { tree.sections[$0] }
      let blocks = markdownSection?.blocks ?? []
      let sectionIndex = sectionIndexByLine[heading.line]
      let tasks = tree.tasks.filter { $0.sectionIndex == sectionIndex }
      var optional = false
      var placeholders: [String] = []
      for block in blocks {
        if block.kind == .htmlBlock {
          if Template.isOptionalMarker(block.text) { optional = true }
          continue
        }
        // A list holding task items is the checklist, not placeholder prose.
        if block.kind == .list, tasks.contains(where: { $0.line >= block.line && $0.line <= block.endLine }) {
          continue
        }
        let normalised = Template.normaliseProse(block.text)
        if !normalised.isEmpty { placeholders.append(normalised) }
      }
      sections.append(
        Section(
          level: heading.level, title: heading.text, key: Template.key(heading.text),
          isWildcard: heading.text.contains("{{"), isOptional: optional, placeholders: placeholders,
          checklist: tasks.map(\.text), line: heading.line))
    }
    self.sections = sections
  }

  /// `<!-- optional -->`, in any case and spacing.
  static func isOptionalMarker(_ html: String) -> Bool {
    var text = html.trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return false }
    text = String(text.dropFirst(4).dropLast(3))
    return text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "optional"
  }

  /// Heading text for matching: case-insensitive, surrounding space trimmed,
  /// inner runs of space collapsed, trailing punctuation ignored
  /// (`Success Metrics:` matches `Success metrics`).
  public static func key(_ text: String) -> String {
    var scalars = Array(collapseWhitespace(text).lowercased().unicodeScalars)
    while let last = scalars.last,
      CharacterSet.punctuationCharacters.contains(last) || CharacterSet.whitespaces.contains(last)
    {
      // Keep closing brackets of a variable such as `{{title}}`.
      if last == "}" { break }
      scalars.removeLast()
    }
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars)
    return String(result)
  }

  /// Block text for placeholder comparison: whitespace collapsed, lower case.
  static func normaliseProse(_ text: String) -> String {
    collapseWhitespace(text).lowercased()
  }

  static func collapseWhitespace(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}
