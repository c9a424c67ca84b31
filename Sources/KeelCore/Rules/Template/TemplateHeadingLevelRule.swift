/// A template section's heading is found in the document at another level
/// (`### Problem` where the template has `## Problem`).
public struct TemplateHeadingLevelRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/heading-level", summary: "A section's heading level differs from the kind's template.")

  public static let examples = [
    RuleExample(
      "Problem written as a level-3 heading", triggers: true, at: "specs/a.md:3:1",
      files: TemplateRuleSupport.files(
        "# Checkout\n\n### Problem\n\nShoppers leave.\n\n## Definition of Ready\n\n- [x] Problem validated\n"
          + "- [ ] Estimate attached\n")),
    RuleExample(
      "levels as in the template", triggers: false, files: TemplateRuleSupport.files(TemplateRuleSupport.compliantSpec)),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    return match.template.sections.enumerated().compactMap { index, section in
      guard let headingIndex = match.headingForSection[index] else { return nil }
      let heading = match.outline.headings[headingIndex]
      guard heading.level != section.level else { return nil }
      return Self.descriptor.finding(
        "section '\(heading.heading.text)' is a level-\(heading.level) heading; "
          + "\(match.template.path) has '\(section.displayName)'",
        path: document.bodyPath, line: heading.line, column: heading.column)
    }
  }
}
