/// Text a template puts under a heading is a prompt for the author; it must
/// not survive into a document, anywhere in the body.
public struct TemplatePlaceholderRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/placeholder", summary: "Placeholder text from the kind's template was left in the document.")

  public static let examples = [
    RuleExample(
      "the Problem prompt left in place", triggers: true, at: "specs/a.md:5:1",
      files: TemplateRuleSupport.files(
        "# Checkout\n\n## Problem\n\nDescribe the problem.\n\n## Definition of Ready\n\n- [x] Problem validated\n"
          + "- [ ] Estimate attached\n")),
    RuleExample(
      "the prompt followed by the author's own text in the same paragraph", triggers: true, at: "specs/a.md:5:1",
      files: TemplateRuleSupport.files(
        "# Checkout\n\n## Problem\n\nDescribe the problem.\nShoppers leave.\n\n## Definition of Ready\n\n"
          + "- [x] Problem validated\n- [ ] Estimate attached\n")),
    RuleExample(
      "the prompt replaced", triggers: false, files: TemplateRuleSupport.files(TemplateRuleSupport.compliantSpec)),
    RuleExample(
      "a paragraph the template marks <!-- keep --> is kept, not a placeholder", triggers: false,
      files: TemplateRuleSupport.conventionFiles(TemplateRuleSupport.conventionSpec)),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    let placeholders = match.template.placeholders
    guard !placeholders.isEmpty else { return [] }
    var findings: [Diagnostic] = []
    for section in document.body.sections {
      for block in section.blocks where !block.isComment {
        guard placeholders.matches(block) else { continue }
        let text = Template.collapseWhitespace(block.text)
        findings.append(
          Self.descriptor.finding(
            "placeholder text from \(match.template.path) left in place: '\(Self.abbreviate(text))'",
            path: document.bodyPath, line: block.line, column: block.column))
      }
    }
    return findings
  }

  /// At most 60 characters (counting the text, which may be long, only that far).
  static func abbreviate(_ text: String) -> String {
    guard let limit = text.index(text.startIndex, offsetBy: 60, limitedBy: text.endIndex), limit < text.endIndex
    else { return text }
    return String(text.prefix(57)) + "…"
  }
}
