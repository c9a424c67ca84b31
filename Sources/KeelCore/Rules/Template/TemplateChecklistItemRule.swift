import JSONSchema

/// Every task-list item of a template section must be in the document's
/// section, ticked or not (nested lists included).
public struct TemplateChecklistItemRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/checklist-item-missing", summary: "A checklist item of the kind's template is missing.")

  public static let examples = [
    RuleExample(
      "Estimate attached dropped from the Definition of Ready", triggers: true, at: "specs/a.md:7:1",
      files: TemplateRuleSupport.files(
        "# Checkout\n\n## Problem\n\nShoppers leave.\n\n## Definition of Ready\n\n- [x] Problem validated\n")),
    RuleExample(
      "every item present, in a nested list and worded with other case", triggers: false,
      files: TemplateRuleSupport.files(
        "# Checkout\n\n## Problem\n\nShoppers leave.\n\n## Definition of Ready\n\n- [x] Research\n"
          + "  - [x] problem validated.\n- [ ] Estimate attached\n- [ ] Legal review\n")),
    RuleExample(
      "a pick-one list: the options not picked may be left out", triggers: false,
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(of: "- [ ] Configuration flag\n", with: ""))),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    var findings: [Diagnostic] = []
    for (index, section) in match.template.sections.enumerated() where !section.checklist.isEmpty {
      guard let headingIndex = match.headingForSection[index] else { continue }
      let heading = match.outline.headings[headingIndex]
      let tasks = match.outline.tasks(under: headingIndex)
      let present = Set(tasks.map { Template.key($0.text) })
      for (item, key) in zip(section.checklist, section.checklistKeys) where !present.contains(key) {
        findings.append(
          Self.descriptor.finding(
            "checklist item '- [ ] \(item)' of '\(section.displayName)' in \(match.template.path) is missing",
            path: document.bodyPath, line: heading.line, column: heading.column))
      }
    }
    return findings
  }
}
