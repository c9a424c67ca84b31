/// Sections follow the template's order. When sections are shuffled, the
/// fewest that must move to restore the order are reported.
public struct TemplateSectionOrderRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/section-order", summary: "A section is not in the order of the kind's template.")

  public static let examples = [
    RuleExample(
      "Definition of Ready before Problem", triggers: true, at: "specs/a.md:3:1",
      files: TemplateRuleSupport.files(
        "# Checkout\n\n## Definition of Ready\n\n- [x] Problem validated\n- [ ] Estimate attached\n\n"
          + "## Problem\n\nShoppers leave.\n")),
    RuleExample(
      "sections in order, with an extra section between them", triggers: false,
      files: TemplateRuleSupport.files(
        "# Checkout\n\n## Problem\n\nShoppers leave.\n\n## Background\n\nSome history.\n\n"
          + "## Definition of Ready\n\n- [x] Problem validated\n- [ ] Estimate attached\n")),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    let sections = match.template.sections
    return match.outOfOrder.sorted().compactMap { index in
      guard let headingIndex = match.headingForSection[index] else { return nil }
      let heading = match.outline.headings[headingIndex]
      let previous = stride(from: index - 1, through: 0, by: -1).first {
        match.headingForSection[$0] != nil && !match.outOfOrder.contains($0)
      }
      let next = (index + 1..<sections.count).first {
        match.headingForSection[$0] != nil && !match.outOfOrder.contains($0)
      }
      let advice =
        previous.map { "should come after '\(sections[$0].displayName)'" }
        ?? next.map { "should come before '\(sections[$0].displayName)'" } ?? "is out of order"
      return Self.descriptor.finding(
        "section '\(sections[index].displayName)' \(advice), as in \(match.template.path)",
        path: document.bodyPath, line: heading.line, column: heading.column)
    }
  }
}
