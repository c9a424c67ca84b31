import JSONSchema

/// Every heading of the kind's template (except `<!-- optional -->` ones) must
/// be in the document. The finding points at where the section belongs.
public struct TemplateMissingSectionRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "template/missing-section", summary: "A section the kind's template requires is missing.")

  public static let examples = [
    RuleExample(
      "no Problem section: reported where it belongs, before the next section", triggers: true,
      at: "specs/a.md:6:1",
      files: TemplateRuleSupport.files(
        "---\ntitle: Checkout\n---\n# Checkout\n\n## Definition of Ready\n\n- [ ] Problem validated\n"
          + "- [ ] Estimate attached\n")),
    RuleExample(
      "the last section missing: reported at the end of the previous one", triggers: true, at: "specs/a.md:5:1",
      files: TemplateRuleSupport.files("# Checkout\n\n## Problem\n\nShoppers leave.\n")),
    RuleExample(
      "every required section present, the optional one left out", triggers: false,
      files: TemplateRuleSupport.files(TemplateRuleSupport.compliantSpec)),
    RuleExample(
      "headings ending in (Optional) or [optional] are optional", triggers: false,
      files: TemplateRuleSupport.conventionFiles(TemplateRuleSupport.conventionSpec)),
    RuleExample(
      "the title heading missing: reported at the first heading", triggers: true, at: "specs/a.md:1:1",
      files: TemplateRuleSupport.conventionFiles(
        TemplateRuleSupport.conventionSpec.replacingOccurrences(of: "# Checkout\n\n", with: ""))),
    RuleExample(
      "first committed before the kind's template-since: not held to the template", triggers: false,
      files: TemplateRuleSupport.sinceFiles("---\ntitle: Checkout\n---\n# Checkout\n"),
      history: TemplateRuleSupport.firstCommitted("2020-06-01")),
    RuleExample(
      "first committed on or after the kind's template-since: held to it", triggers: true, at: "specs/a.md:4:1",
      files: TemplateRuleSupport.sinceFiles("---\ntitle: Checkout\n---\n# Checkout\n"),
      history: TemplateRuleSupport.firstCommitted("2021-01-01")),
    RuleExample(
      "headings written differently: case, trailing punctuation, closing #s, setext", triggers: false,
      files: TemplateRuleSupport.files(
        "Checkout\n========\n\nPROBLEM:\n--------\n\nShoppers leave.\n\n## Definition of ready ##\n\n"
          + "- [ ] Problem validated\n- [ ] Estimate attached\n")),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let match = TemplateRuleSupport.match(document, in: context) else { return [] }
    // Sections missing at the same place are one finding, listed in the template's order.
    var groups: [(position: SourcePosition, neighbour: String?, sections: [Template.Section])] = []
    for (index, section) in match.template.sections.enumerated()
    where match.headingForSection[index] == nil && !section.isOptional {
      let (position, neighbour) = match.insertionPoint(forMissing: index)
      if let last = groups.last, last.position == position, last.neighbour == neighbour {
        groups[groups.count - 1].sections.append(section)
      } else {
        groups.append((position, neighbour, [section]))
      }
    }
    return groups.map { group in
      let place = group.neighbour.map { " (expected \($0))" } ?? ""
      let names = group.sections.map { "'\($0.displayName)'" }.joined(separator: ", ")
      let noun = group.sections.count == 1 ? "section" : "sections"
      return Self.descriptor.finding(
        "missing \(noun) \(names) required by \(match.template.path)\(place)",
        path: document.bodyPath, at: group.position)
    }
  }
}
