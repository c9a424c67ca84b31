import JSONSchema

/// How one document's headings line up with its template's sections. The
/// template rules (`template/*`) and the workflow's section requirements read it.
public struct TemplateMatch: Sendable {
  public let template: Template
  public let outline: DocumentOutline
  /// For each template section, the index (into `outline.headings`) of the
  /// document heading it matched, or nil when the document lacks it.
  public private(set) var headingForSection: [Int?]
  /// Template sections whose heading is present but out of the template's order.
  public private(set) var outOfOrder: Set<Int> = []

  public init(document: Document, template: Template) {
    self.init(outline: DocumentOutline(document, optionalMarkers: template.optionalMarkers), template: template)
  }

  public init(outline: DocumentOutline, template: Template) {
    self.template = template
    self.outline = outline
    let headings = outline.headings
    var used = [Bool](repeating: false, count: headings.count)
    var match = [Int?](repeating: nil, count: template.sections.count)
    // Literal headings: the first unused document heading with the same key (headings by key, in
    // order: a template of 60 sections against a document of 60 headings made this quadratic).
    // `firstUnused[key]` is the first unused heading with that key, `nextWithKey[i]` the heading after `i` with its key.
    var firstUnused: [String: Int] = [:]
    firstUnused.reserveCapacity(headings.count)
    var nextWithKey = [Int](repeating: -1, count: headings.count)
    for index in headings.indices.reversed() {
      nextWithKey[index] = firstUnused.updateValue(index, forKey: headings[index].key) ?? -1
    }
    for (index, section) in template.sections.enumerated() where !section.isWildcard {
      if let found = firstUnused[section.key], found >= 0 {
        firstUnused[section.key] = nextWithKey[found]
        match[index] = found
        used[found] = true
      }
    }
    // Variable headings (`# {{title}}`): the first unused heading of the same
    // level between the neighbouring matched sections.
    for (index, section) in template.sections.enumerated() where section.isWildcard {
      let lower = match[..<index].compactMap { $0 }.max() ?? -1
      let upper = match[(index + 1)...].compactMap { $0 }.min() ?? headings.count
      guard lower + 1 < upper else { continue }
      if let found = (lower + 1..<upper).first(where: { !used[$0] && headings[$0].level == section.level }) {
        match[index] = found
        used[found] = true
      }
    }
    headingForSection = match
    outOfOrder = Self.outOfOrderSections(match)
  }

  /// Matched sections not on a longest run that keeps the template's order:
  /// moving the fewest sections restores the order, and those are the ones reported.
  static func outOfOrderSections(_ match: [Int?]) -> Set<Int> {
    let pairs = match.enumerated().compactMap { section, heading in heading.map { (section, $0) } }
    guard pairs.count > 1 else { return [] }
    // Headings in the template's order (most documents): all of them make the longest run.
    if zip(pairs, pairs.dropFirst()).allSatisfy({ $0.1 < $1.1 }) { return [] }
    var length = [Int](repeating: 1, count: pairs.count)
    var previous = [Int](repeating: -1, count: pairs.count)
    for i in pairs.indices {
      for j in 0..<i where pairs[j].1 < pairs[i].1 && length[j] + 1 > length[i] {
        length[i] = length[j] + 1
        previous[i] = j
      }
    }
    var inOrder = Set<Int>()
    var cursor = length.indices.max { length[$0] < length[$1] || (length[$0] == length[$1] && $0 > $1) } ?? -1
    while cursor >= 0 {
      inOrder.insert(pairs[cursor].0)
      cursor = previous[cursor]
    }
    return Set(pairs.map(\.0)).subtracting(inOrder)
  }

  /// Document headings no template section matched.
  public var unmatchedHeadings: [Int] {
    let used = Set(headingForSection.compactMap { $0 })
    return outline.headings.indices.filter { !used.contains($0) }
  }

  /// Where a missing section belongs: before the next section of the template
  /// the document has in order, else after the previous one (at the end of
  /// its part of the document), else where the body starts.
  public func insertionPoint(forMissing index: Int) -> (position: SourcePosition, neighbour: String?) {
    let sections = template.sections
    for next in (index + 1)..<sections.count {
      if let heading = headingForSection[next], !outOfOrder.contains(next) {
        let found = outline.headings[heading]
        return (SourcePosition(line: found.line, column: 1), "before '\(sections[next].displayName)'")
      }
    }
    for earlier in stride(from: index - 1, through: 0, by: -1) {
      if let heading = headingForSection[earlier], !outOfOrder.contains(earlier) {
        let level = sections[index].level
        let following = outline.headings[(heading + 1)...].first { $0.level <= level }
        let line = following?.line ?? outline.lastLine
        return (SourcePosition(line: line, column: 1), "after '\(sections[earlier].displayName)'")
      }
    }
    let line = outline.headings.first?.line ?? min(outline.bodyStartLine, outline.lastLine)
    return (SourcePosition(line: line, column: 1), nil)
  }
}

/// A document's headings with their keys, and the parts of the body each
/// heading owns (its own section and the sections of deeper headings under it).
public struct DocumentOutline: Sendable {
  public struct Heading: Sendable {
    public var heading: MarkdownHeading
    public var key: String
    /// Index into `MarkdownTree.sections` of the section this heading opens.
    public var sectionIndex: Int?
    public var level: Int { heading.level }
    public var line: Int { heading.line }
    public var column: Int { heading.column }
  }

  public let tree: MarkdownTree
  public let headings: [Heading]
  public let bodyStartLine: Int
  private let text: String
  /// Last line of the file (counted only when a finding needs it).
  public var lastLine: Int { DocumentOutline.lineCount(text) }

  /// - Parameter optionalMarkers: heading endings ignored in keys (`Story 1 (Optional)` matches `Story 1`).
  public init(_ document: Document, optionalMarkers: [String] = []) {
    tree = document.body
    bodyStartLine = document.bodyStartLine
    text = document.text
    let sectionIndexByLine = Dictionary(
      document.body.sections.enumerated().compactMap { index, section in section.heading.map { ($0.line, index) } },
      uniquingKeysWith: { first, _ in first })
    headings = document.body.headings.map {
      Heading(
        heading: $0, key: Template.key(Template.strippingOptionalMarker($0.text, markers: optionalMarkers).0),
        sectionIndex: sectionIndexByLine[$0.line])
    }
  }

  static func lineCount(_ text: String) -> Int {
    var count = 0
    for byte in text.utf8 where byte == 0x0A { count += 1 }
    if let last = text.utf8.last, last != 0x0A { count += 1 }
    return max(1, count)
  }

  /// Indices into `tree.sections` of the body under heading `index`: its own
  /// section and those of deeper headings before the next heading at its level or above.
  public func sectionIndices(under index: Int) -> [Int] {
    var result: [Int] = []
    _ = containsSection(under: index) { section in
      result.append(section)
      return false
    }
    return result
  }

  /// Whether `condition` holds for one of `sectionIndices(under: index)`, met in order (no array made).
  private func containsSection(under index: Int, where condition: (Int) -> Bool) -> Bool {
    if let section = headings[index].sectionIndex, condition(section) { return true }
    let level = headings[index].level
    for following in headings[(index + 1)...] {
      if following.level <= level { break }
      if let section = following.sectionIndex, condition(section) { return true }
    }
    return false
  }

  /// The blocks under heading `index` (subsections included) that are content:
  /// everything except HTML comments.
  public func contentBlocks(under index: Int) -> [MarkdownBlock] {
    sectionIndices(under: index).flatMap { tree.sections[$0].blocks }.filter { !$0.isComment }
  }

  /// Whether heading `index` has content blocks (`contentBlocks(under:)` is not empty), without collecting them.
  public func hasContent(under index: Int) -> Bool {
    containsSection(under: index) { tree.sections[$0].blocks.contains { !$0.isComment } }
  }

  /// Task items under heading `index` (subsections and nested lists included).
  public func tasks(under index: Int) -> [MarkdownTask] {
    let sections = Set(sectionIndices(under: index))
    return tree.tasks.filter { sections.contains($0.sectionIndex) }
  }

  /// The first heading whose key is `key` (a workflow's `sections: [Solution]`).
  public func headingIndex(forKey key: String) -> Int? {
    headings.firstIndex { $0.key == key }
  }
}

extension MarkdownBlock {
  /// An HTML comment (`<!-- optional -->`, authoring notes): not content.
  var isComment: Bool {
    guard kind == .htmlBlock else { return false }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->")
  }
}

/// A document's outline and its match against its kind's template, computed
/// once per check (in parallel, by the checker) and shared by the seven
/// template rules and the workflow's section and checklist requirements.
public struct DocumentStructure: Sendable {
  public let outline: DocumentOutline
  /// nil when the kind has no template.
  public let match: TemplateMatch?

  public init(document: Document, template: Template?) {
    let outline = DocumentOutline(document, optionalMarkers: template?.optionalMarkers ?? [])
    self.outline = outline
    match = template.map { TemplateMatch(outline: outline, template: $0) }
  }
}
