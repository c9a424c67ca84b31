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
    /// `<!-- optional -->` under the heading, or an optional marker ending it
    /// (`(Optional)`): documents may leave the section out.
    public var isOptional: Bool
    /// Normalised text of each placeholder block (prose the author must replace).
    public var placeholders: [String]
    /// The task-list items every document must carry in this section (pick lists excepted).
    public var checklist: [String]
    /// `checklist` normalised for matching, as heading keys are.
    public var checklistKeys: [String]
    /// Paragraphs marked `<!-- keep -->`, white space collapsed: documents carry them verbatim.
    public var kept: [String] = []
    /// Checklists marked `<!-- pick: N -->`: at least N of their items ticked.
    public var picks: [Pick] = []
    /// Line of the heading in the template file.
    public var line: Int

    /// A section the template gives content to (placeholder, kept text or a
    /// checklist) must have content in a document; a bare grouping heading need not.
    public var expectsContent: Bool {
      !placeholders.isEmpty || !checklist.isEmpty || !kept.isEmpty || !picks.isEmpty
    }

    /// `## Problem`, for messages. A heading with variables reads as a reader sees it:
    /// `# {{title}}` is "the document title heading", `# KEP-{{number}}: {{title}}` is `# KEP-…: …`.
    public var displayName: String {
      guard isWildcard else { return String(repeating: "#", count: level) + " " + title }
      let shown = Template.replacingVariables(in: title)
      if shown.allSatisfy({ $0 == "…" || $0 == " " }) {
        return level == 1 ? "the document title heading" : "a level-\(level) heading (any text)"
      }
      return String(repeating: "#", count: level) + " " + shown
    }
  }

  /// A checklist of which a document ticks at least `minimum` items (`<!-- pick: 1 -->`, `pick: any`).
  public struct Pick: Sendable, Hashable {
    public var minimum: Int
    public var items: [String]
    /// `items` normalised for matching, as heading keys are.
    public var keys: [String]
  }

  /// Heading endings that make a section optional when a kind sets no `optional-marker:`.
  public static let defaultOptionalMarkers = ["(Optional)", "[optional]"]

  /// Path of the template file in the repository.
  public var path: String
  public let sections: [Section]
  /// Every section's placeholders, for matching document blocks against them.
  public let placeholders: PlaceholderSet
  /// Heading endings that make a section optional; ignored in a document's headings too.
  public var optionalMarkers: [String] = defaultOptionalMarkers
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
  public static func parse(_ data: Data, path: String, optionalMarkers: [String] = defaultOptionalMarkers) -> Template {
    let document = DocumentParser.parse(path: path, data: data)
    return Template(path: path, text: document.text, tree: document.body, optionalMarkers: optionalMarkers)
  }

  /// Builds a template from an already parsed Markdown body.
  public init(path: String, text: String, tree: MarkdownTree, optionalMarkers: [String] = defaultOptionalMarkers) {
    self.path = path
    self.text = text
    self.optionalMarkers = optionalMarkers
    var sections: [Section] = []
    let sectionIndexByLine = Dictionary(
      tree.sections.enumerated().compactMap { index, section in section.heading.map { ($0.line, index) } },
      uniquingKeysWith: { first, _ in first })
    for heading in tree.headings {
      let markdownSection = sectionIndexByLine[heading.line].map { tree.sections[$0] }
      let blocks = markdownSection?.blocks ?? []
      let sectionIndex = sectionIndexByLine[heading.line]
      let tasks = tree.tasks.filter { $0.sectionIndex == sectionIndex }
      let (title, marked) = Template.strippingOptionalMarker(heading.text, markers: optionalMarkers)
      var optional = marked
      var placeholders: [String] = []
      var kept: [String] = []
      var picks: [Pick] = []
      var checklist: [MarkdownTask] = []
      var pending: BlockMarker?
      for block in blocks {
        if block.kind == .htmlBlock {
          switch Template.blockMarker(block.text) {
          case .optional?: optional = true
          case let marker?: pending = marker
          case nil: break
          }
          continue
        }
        let marker = pending
        pending = nil
        // A list holding task items is a checklist (or a pick list), not placeholder prose.
        let listTasks = block.kind == .list ? tasks.filter { $0.line >= block.line && $0.line <= block.endLine } : []
        if !listTasks.isEmpty {
          if case .pick(let minimum)? = marker {
            picks.append(
              Pick(minimum: minimum, items: listTasks.map(\.text), keys: listTasks.map { Template.key($0.text) }))
          } else {
            checklist += listTasks
          }
          continue
        }
        if marker == .keep {
          kept.append(Template.collapseWhitespace(block.text))
          continue
        }
        let normalised = Template.normaliseProse(block.text)
        if !normalised.isEmpty { placeholders.append(normalised) }
      }
      var section = Section(
        level: heading.level, title: title, key: Template.key(title), isWildcard: title.contains("{{"),
        isOptional: optional, placeholders: placeholders, checklist: checklist.map(\.text),
        checklistKeys: checklist.map { Template.key($0.text) }, line: heading.line)
      section.kept = kept
      section.picks = picks
      sections.append(section)
    }
    self.sections = sections
    placeholders = PlaceholderSet(sections.lazy.flatMap(\.placeholders))
  }

  /// What an HTML comment of a template says about its section or the block after it.
  enum BlockMarker: Equatable {
    /// `<!-- optional -->`: the section is optional.
    case optional
    /// `<!-- keep -->`: the next paragraph must be kept verbatim.
    case keep
    /// `<!-- pick: N -->` (`pick: any` is 1): at least N items of the next checklist ticked.
    case pick(Int)
  }

  /// `<!-- optional -->`, `<!-- keep -->`, `<!-- pick: 2 -->`, in any case and spacing; nil for other HTML.
  static func blockMarker(_ html: String) -> BlockMarker? {
    var text = html.trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return nil }
    text = String(text.dropFirst(4).dropLast(3)).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    switch text {
    case "optional": return .optional
    case "keep": return .keep
    default: break
    }
    guard text.hasPrefix("pick") else { return nil }
    let argument = text.dropFirst(4).drop { $0 == " " || $0 == ":" }
    if argument == "any" { return .pick(1) }
    guard let minimum = Int(argument), minimum >= 1 else { return nil }
    return .pick(minimum)
  }

  /// A heading's text without a trailing optional marker, compared without case
  /// (`Upgrade Strategy (Optional)` → `Upgrade Strategy`), and whether it had one.
  public static func strippingOptionalMarker(_ text: String, markers: [String]) -> (String, Bool) {
    guard !markers.isEmpty else { return (text, false) }
    if let ascii = asciiStrippingOptionalMarker(text, markers: markers) { return ascii }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    for marker in markers where trimmed.count > marker.count {
      let end = trimmed.index(trimmed.endIndex, offsetBy: -marker.count)
      guard trimmed[end...].caseInsensitiveCompare(marker) == .orderedSame else { continue }
      return (String(trimmed[..<end]).trimmingCharacters(in: .whitespaces), true)
    }
    return (text, false)
  }

  /// `strippingOptionalMarker` on bytes when the text and the markers are ASCII (nearly every
  /// heading of every document goes through it; Foundation's trimming and case-insensitive
  /// comparison cost more than the rest of the outline); nil otherwise.
  private static func asciiStrippingOptionalMarker(_ text: String, markers: [String]) -> (String, Bool)? {
    guard markers.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
    func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
    var copy = text
    // nil: not ASCII; .some(nil): no marker; else the text without its marker.
    let stripped = copy.withUTF8 { bytes -> String?? in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      var start = 0
      var end = bytes.count
      while end > 0, isBlank(bytes[end - 1]) { end -= 1 }
      while start < end, isBlank(bytes[start]) { start += 1 }
      for marker in markers {
        let count = marker.utf8.count
        guard end - start > count,
          zip(bytes[(end - count)..<end], marker.utf8).allSatisfy({ lower($0) == lower($1) })
        else { continue }
        var cut = end - count
        while cut > start, isBlank(bytes[cut - 1]) { cut -= 1 }
        return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cut]), as: UTF8.self))
      }
      return .some(nil)
    }
    guard let stripped else { return nil }
    return stripped.map { ($0, true) } ?? (text, false)
  }

  /// `KEP-{{number}}: {{title}}` → `KEP-…: …`.
  static func replacingVariables(in text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
      result += rest[..<open.lowerBound] + "…"
      rest = rest[close.upperBound...]
    }
    return result + rest
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
        asciiNormalise(source, into: output, trimTrailingPunctuation: trimTrailingPunctuation)
      }
    }
  }

  /// Calls `body` with `normaliseProse(text)` as UTF-8, without making a string of it for ASCII text
  /// (placeholder matching runs over every block of every document).
  static func withNormalisedProse<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
    var text = text
    let ascii = text.withUTF8 { source -> Result? in
      guard source.allSatisfy({ $0 < 0x80 }) else { return nil }
      return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, source.count)) { output in
        let count = asciiNormalise(source, into: output, trimTrailingPunctuation: false)
        return body(UnsafeBufferPointer(rebasing: output[..<count]))
      }
    }
    if let ascii { return ascii }
    var normalised = normaliseProse(text)
    return normalised.withUTF8(body)
  }

  /// Writes the normalised form of ASCII `source` to `output` (as long as `source`); returns its length.
  private static func asciiNormalise(
    _ source: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>, trimTrailingPunctuation: Bool
  ) -> Int {
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

  /// Whether `collapseWhitespace(text) == collapsed`; for ASCII, compared as it is collapsed,
  /// without making the string (it stops at the first byte that differs).
  static func collapsesWhitespace(_ text: String, to collapsed: String) -> Bool {
    let (source, target) = (text.utf8, collapsed.utf8)
    guard source.allSatisfy({ $0 < 0x80 }), target.allSatisfy({ $0 < 0x80 }) else {
      return collapseWhitespace(text) == collapsed
    }
    var expected = target.makeIterator()
    var written = false
    var pendingSpace = false
    for byte in source {
      if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
        pendingSpace = written
        continue
      }
      if pendingSpace, expected.next() != 0x20 { return false }
      pendingSpace = false
      guard expected.next() == byte else { return false }
      written = true
    }
    return expected.next() == nil
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
