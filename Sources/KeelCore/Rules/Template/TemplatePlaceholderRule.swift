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

  /// Placeholders shorter than this only match a whole block, so a short
  /// prompt (`TBD`) does not match inside an author's sentence.
  static let minimumContainedLength = 12

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    let placeholders = match.template.sections.flatMap(\.placeholders)
    guard !placeholders.isEmpty else { return [] }
    var findings: [Diagnostic] = []
    for section in document.body.sections {
      for block in section.blocks where !block.isComment {
        guard Self.placeholder(in: block, among: placeholders) != nil else { continue }
        let text = Template.collapseWhitespace(block.text)
        findings.append(
          Diagnostic(
            rule: Self.descriptor.id,
            message: "placeholder text from \(match.template.path) left in place: '\(Self.abbreviate(text))'",
            path: document.path, line: block.line, column: block.column))
      }
    }
    return findings
  }

  /// The placeholder `block` repeats, if any.
  static func placeholder(in block: MarkdownBlock, among placeholders: [String]) -> String? {
    let text = Template.normaliseProse(block.text)
    guard !text.isEmpty else { return nil }
    return placeholders.first { placeholder in
      text == placeholder || (placeholder.utf8.count >= minimumContainedLength && contains(text, placeholder))
    }
  }

  /// Whether `needle` occurs in `haystack`, comparing UTF-8 bytes (both are
  /// normalised the same way). Foundation's `contains` goes through NSString
  /// and the generic `firstRange(of:)` instantiates metadata per call: both
  /// dominate a check of thousands of documents.
  static func contains(_ haystack: String, _ needle: String) -> Bool {
    var haystack = haystack
    var needle = needle
    return haystack.withUTF8 { text in
      needle.withUTF8 { pattern in
        guard let first = pattern.first else { return true }
        guard pattern.count <= text.count else { return false }
        var start = 0
        while start <= text.count - pattern.count {
          if text[start] == first {
            var offset = 1
            while offset < pattern.count, text[start + offset] == pattern[offset] { offset += 1 }
            if offset == pattern.count { return true }
          }
          start += 1
        }
        return false
      }
    }
  }

  static func abbreviate(_ text: String) -> String {
    text.count <= 60 ? text : String(text.prefix(57)) + "…"
  }
}
