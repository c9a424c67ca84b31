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
    /// `checklist` normalised for matching, as heading keys are.
    public var checklistKeys: [String]
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
  public let sections: [Section]
  /// Every section's placeholders, for matching document blocks against them.
  public let placeholders: PlaceholderSet
  /// The raw template text (front matter included), for `keel new`.
  public var text: String

  public init(path: String, text: String, sections: [Section]) {
    self.path = path
    self.text = text
    self.sections = sections
    placeholders = PlaceholderSet(sections.lazy.flatMap(\.placeholders))
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
          checklist: tasks.map(\.text), checklistKeys: tasks.map { Template.key($0.text) }, line: heading.line))
    }
    self.sections = sections
    placeholders = PlaceholderSet(sections.lazy.flatMap(\.placeholders))
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
    if let ascii = asciiNormalised(text, trimTrailingPunctuation: true) { return ascii }
    var scalars = Array(collapseWhitespace(text).lowercased().unicodeScalars)
    // Keep the closing braces of a variable such as `{{title}}`.
    while let last = scalars.last, last != "}", isPunctuation(last) || isWhitespace(last) {
      scalars.removeLast()
    }
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars)
    return String(result)
  }

  /// White space, with a fast path for ASCII (property lookups are slow, and
  /// this runs over every block of every document).
  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII { return scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D) }
    return scalar.properties.isWhitespace
  }

  /// Unicode punctuation (general category P*), without Foundation's slow `CharacterSet`.
  static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
      // The ASCII characters of categories P*; $ + < = > ^ | ~ and the backtick are symbols (S*).
      return "!\"#%&'()*,-./:;?@[\\]_{}".unicodeScalars.contains(scalar)
    }
    return switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      true
    default: false
    }
  }

  /// Block text for placeholder comparison: whitespace collapsed, lower case.
  static func normaliseProse(_ text: String) -> String {
    asciiNormalised(text, trimTrailingPunctuation: false) ?? collapseWhitespace(text).lowercased()
  }

  /// `key`/`normaliseProse` in one pass over the bytes, for ASCII text (nearly
  /// all of it): these run over every heading, task and block of every
  /// document, so one allocation instead of three matters. nil for non-ASCII.
  private static func asciiNormalised(_ text: String, trimTrailingPunctuation: Bool) -> String? {
    var text = text
    return text.withUTF8 { source -> String? in
      guard source.allSatisfy({ $0 < 0x80 }) else { return nil }
      return String(unsafeUninitializedCapacity: source.count) { output in
        var count = 0
        var pendingSpace = false
        for byte in source {
          if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
            pendingSpace = count > 0
          } else {
            if pendingSpace {
              output[count] = 0x20
              count += 1
            }
            pendingSpace = false
            output[count] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            count += 1
          }
        }
        if trimTrailingPunctuation {
          // Keep the closing braces of a variable such as `{{title}}`.
          while count > 0, output[count - 1] != UInt8(ascii: "}"),
            isPunctuation(Unicode.Scalar(output[count - 1])) || output[count - 1] == 0x20
          {
            count -= 1
          }
        }
        return count
      }
    }
  }

  /// Runs of white space (line breaks included) become one space; none at either end.
  static func collapseWhitespace(_ text: String) -> String {
    // Most text is ASCII: work on bytes then (appending scalars one by one is slow).
    if text.utf8.allSatisfy({ $0 < 0x80 }) {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(text.utf8.count)
      var pendingSpace = false
      for byte in text.utf8 {
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
          pendingSpace = !bytes.isEmpty
        } else {
          if pendingSpace { bytes.append(0x20) }
          pendingSpace = false
          bytes.append(byte)
        }
      }
      return String(decoding: bytes, as: UTF8.self)
    }
    var result = String.UnicodeScalarView()
    var pendingSpace = false
    for scalar in text.unicodeScalars {
      if isWhitespace(scalar) {
        pendingSpace = !result.isEmpty
      } else {
        if pendingSpace { result.append(" ") }
        pendingSpace = false
        result.append(scalar)
      }
    }
    return String(result)
  }
}
