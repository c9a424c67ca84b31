/// A KPI's owner is a person of people.yaml, someone who answers for the number.
public struct KPIUnknownOwnerRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "kpi/unknown-owner", summary: "A KPI's owner is not a person of the people registry.")

  public static let examples = [
    RuleExample(
      "a misspelt owner, with the person meant", triggers: true, at: "kpis.yaml:13:12",
      files: KPIRuleSupport.files(
        catalogue: KPIRuleSupport.catalogue.replacingOccurrences(of: "owner: bob", with: "owner: bbo"))),
    RuleExample("owners who are people", triggers: false, files: KPIRuleSupport.files()),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let path = context.kpis.path, context.people.isConfigured else { return [] }
    let people = context.people.people.map(\.id)
    return context.kpis.kpis.compactMap { kpi in
      guard !kpi.owner.isEmpty, context.people.person(kpi.owner) == nil else { return nil }
      return Self.descriptor.finding(
        "'\(kpi.owner)', the owner of KPI '\(kpi.id)', is not a person of \(context.people.path ?? "people.yaml")"
          + Suggestion.hint(for: kpi.owner, in: people),
        path: path, at: kpi.ownerPosition ?? kpi.position)
    }
  }
}
