import JSONSchema

/// A checklist the template marks `<!-- pick: N -->` (`pick: any` is 1) needs at
/// least N of its items ticked in the document; the items not picked may be left
/// out (no `template/checklist-item-missing` for them).
public struct TemplatePickRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/pick-unmet", summary: "Fewer items of a pick list are ticked than the kind's template asks for.")

  public static let examples = [
    RuleExample(
      "no option ticked: reported at the list", triggers: true, at: "specs/a.md:13:1",
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(of: "- [x] Feature gate", with: "- [ ] Feature gate"))),
    RuleExample(
      "one option ticked, the others left out", triggers: false,
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(of: "- [ ] Configuration flag\n", with: ""))),
    RuleExample(
      "an item ticked that is not among the template's does not count", triggers: true, at: "specs/a.md:14:1",
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(of: "- [x] Feature gate", with: "- [x] Something else"))
    ),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    var findings: [Diagnostic] = []
    for (index, section) in match.template.sections.enumerated() where !section.picks.isEmpty {
      guard let headingIndex = match.headingForSection[index] else { continue }
      let tasks = match.outline.tasks(under: headingIndex)
      let heading = match.outline.headings[headingIndex]
      for pick in section.picks {
        let keys = Set(pick.keys)
        let listed = tasks.filter { keys.contains(Template.key($0.text)) }
        let ticked = listed.filter(\.checked).count
        guard ticked < pick.minimum else { continue }
        let at =
          listed.first.map { SourcePosition(line: $0.line, column: $0.column) }
          ?? SourcePosition(line: heading.line, column: heading.column)
        let options = pick.items.map { "'\($0)'" }.joined(separator: ", ")
        let need = pick.minimum == 1 ? "at least one of" : "at least \(pick.minimum) of"
        findings.append(
          Self.descriptor.finding(
            "'\(section.displayName)' ticks \(ticked); tick \(need) \(options) (\(match.template.path))",
            path: document.bodyPath, at: at))
      }
    }
    return findings
  }
}
