/// A section the template gives content to (placeholder text or a checklist)
/// must have content in the document; HTML comments do not count, text in a
/// subsection does.
public struct TemplateEmptySectionRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/empty-section", summary: "A section of the kind's template is present but empty.")

  public static let examples = [
    RuleExample(
      "an empty Problem section", triggers: true, at: "specs/a.md:3:1",
      files: TemplateRuleSupport.files(
        "# Checkout\n\n## Problem\n\n<!-- to do -->\n\n## Definition of Ready\n\n- [x] Problem validated\n"
          + "- [ ] Estimate attached\n")),
    RuleExample(
      "content in a subsection counts", triggers: false,
      files: TemplateRuleSupport.files(
        "# Checkout\n\n## Problem\n\n### Evidence\n\nTwelve interviews.\n\n## Definition of Ready\n\n"
          + "- [x] Problem validated\n- [ ] Estimate attached\n")),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    var findings: [Diagnostic] = []
    for (index, section) in match.template.sections.enumerated() where section.expectsContent {
      guard let headingIndex = match.headingForSection[index],
        !match.outline.hasContent(under: headingIndex)
      else { continue }
      let heading = match.outline.headings[headingIndex]
      let advice = section.isOptional ? "fill it in or remove it (it is optional)" : "fill it in"
      findings.append(
        Self.descriptor.finding(
          "section '\(section.displayName)' is empty; \(advice)",
          path: document.bodyPath, line: heading.line, column: heading.column))
    }
    return findings
  }
}
