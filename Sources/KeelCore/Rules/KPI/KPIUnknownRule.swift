/// A spec's KPI field (`x-keel-ref: kpi` in its kind's schema) names a KPI of the catalogue, so
/// that specs share one set of metrics instead of naming their own. Reported at the value, with
/// the nearest KPI id.
public struct KPIUnknownRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "kpi/unknown", summary: "A KPI field (`x-keel-ref: kpi`) names no KPI of the catalogue.")

  public static let examples = [
    RuleExample(
      "a misspelt KPI, with the KPI meant", triggers: true, at: "specs/a.md:2:6",
      files: KPIRuleSupport.files(["specs/a.md": "---\nkpi: convresion\n---\n# A\n"])),
    RuleExample(
      "a list of KPIs, one of them unknown", triggers: true, at: "specs/a.md:2:20",
      files: KPIRuleSupport.files(["specs/a.md": "---\nkpis: [conversion, retention]\n---\n# A\n"])),
    RuleExample(
      "KPIs of the catalogue", triggers: false,
      files: KPIRuleSupport.files(["specs/b.md": "---\nkpis: [conversion, repeat-rate]\n---\n# B\n"])),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    ReferenceRuleSupport.references(of: document, in: context).compactMap { reference -> Diagnostic? in
      guard reference.resolution == .unknown, reference.field.targets.contains(.kpi) else { return nil }
      let hint = Suggestion.hint(for: reference.value, in: context.kpis.sortedIDs)
      return Self.descriptor.finding(
        "'\(reference.value)' in \(reference.field.name) is not "
          + ReferenceIndex.describe(reference.field, in: context) + hint,
        path: document.path, at: reference.position, jsonPointer: reference.pointer)
    }
  }
}
