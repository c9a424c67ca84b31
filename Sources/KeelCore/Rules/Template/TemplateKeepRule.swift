/// A paragraph the template marks `<!-- keep -->` (boilerplate such as "Items marked
/// with (R) are required") must be in the document's section word for word; only
/// line breaks and runs of white space may differ.
public struct TemplateKeepRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/keep-missing", summary: "A paragraph the kind's template keeps verbatim is missing or altered.")

  public static let examples = [
    RuleExample(
      "the kept sentence reworded", triggers: true, at: "specs/a.md:7:1",
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(of: "are required", with: "are needed"))),
    RuleExample(
      "the kept sentence dropped", triggers: true, at: "specs/a.md:7:1",
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(
          of: "Items marked with (R) are required.\n", with: ""))),
    RuleExample(
      "the kept sentence, wrapped onto two lines", triggers: false,
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(
          of: "marked with (R)", with: "marked\nwith (R)"))),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    var findings: [Diagnostic] = []
    for (index, section) in match.template.sections.enumerated() where !section.kept.isEmpty {
      guard let headingIndex = match.headingForSection[index] else { continue }
      // Only blocks that start as a kept paragraph does can be one: the others are not collapsed.
      let starts = Set(section.kept.map { $0.unicodeScalars.first })
      let candidates = match.outline.contentBlocks(under: headingIndex).filter {
        starts.contains(Self.firstVisible($0.text))
      }
      let heading = match.outline.headings[headingIndex]
      for kept in section.kept where !candidates.contains(where: { Template.collapsesWhitespace($0.text, to: kept) }) {
        findings.append(
          Self.descriptor.finding(
            "'\(section.displayName)' must keep the paragraph '\(TemplatePlaceholderRule.abbreviate(kept))' "
              + "of \(match.template.path) word for word; it is missing or altered",
            path: document.bodyPath, line: heading.line, column: heading.column))
      }
    }
    return findings
  }

  /// The first scalar `Template.collapseWhitespace` keeps: the first that is not white space.
  static func firstVisible(_ text: String) -> Unicode.Scalar? {
    text.unicodeScalars.first { !Template.isWhitespace($0) }
  }
}
