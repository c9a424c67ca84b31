/// With `strict: true` on the kind, a document has only the template's sections.
public struct TemplateExtraSectionRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/extra-section", summary: "A strict kind's document has a section its template does not have.")

  public static let examples = [
    RuleExample(
      "an Appendix in a strict kind", triggers: true, at: "specs/a.md:12:1",
      files: TemplateRuleSupport.files(TemplateRuleSupport.compliantSpec + "\n## Appendix\n\nNotes.\n", strict: true)),
    RuleExample(
      "an Appendix in a kind that is not strict", triggers: false,
      files: TemplateRuleSupport.files(TemplateRuleSupport.compliantSpec + "\n## Appendix\n\nNotes.\n")),
    RuleExample(
      "only the template's sections in a strict kind", triggers: false,
      files: TemplateRuleSupport.files(TemplateRuleSupport.compliantSpec, strict: true)),
    RuleExample(
      "optional sections written with or without their (Optional) marker in a strict kind", triggers: false,
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(
          of: "## Test Plan", with: "### User stories (optional)\n\nAs a shopper.\n\n## Test Plan")
          + "\n## Infrastructure\n\nTwo nodes.\n",
        strict: true)),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let kind = document.kind.flatMap(context.config.kind(named:)), kind.strict,
      let match = TemplateRuleSupport.match(document, in: context)
    else { return [] }
    return match.unmatchedHeadings.map { index in
      let heading = match.outline.headings[index]
      return Self.descriptor.finding(
        "section '\(heading.heading.text)' is not in \(match.template.path), and kind '\(kind.name)' is strict",
        path: document.bodyPath, line: heading.line, column: heading.column)
    }
  }
}
