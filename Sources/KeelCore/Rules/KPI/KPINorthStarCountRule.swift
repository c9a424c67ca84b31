/// The catalogue has exactly one North Star (`north-star: true`): the one metric every team
/// aligns on.
public struct KPINorthStarCountRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "kpi/north-star-count", summary: "The KPI catalogue does not mark exactly one KPI `north-star: true`.")

  public static let examples = [
    RuleExample(
      "a second North Star, at its flag", triggers: true, at: "kpis.yaml:16:17",
      files: KPIRuleSupport.files(
        catalogue: KPIRuleSupport.catalogue + "\n    north-star: true\n")),
    RuleExample(
      "no North Star, at the start of the catalogue", triggers: true, at: "kpis.yaml:1:1",
      files: KPIRuleSupport.files(
        catalogue: KPIRuleSupport.catalogue.replacingOccurrences(of: "    north-star: true\n", with: ""))),
    RuleExample("exactly one", triggers: false, files: KPIRuleSupport.files()),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let path = context.kpis.path, context.kpis.isLoaded else { return [] }
    let stars = context.kpis.kpis.filter(\.northStar)
    guard let first = stars.first else {
      return [
        Self.descriptor.finding(
          "no KPI is the North Star: mark the one metric every team aligns on with 'north-star: true'", path: path)
      ]
    }
    return stars.dropFirst().map { kpi in
      Self.descriptor.finding(
        "'\(kpi.id)' is a second North Star ('\(first.id)' is one already): keep 'north-star: true' on one KPI",
        path: path, at: kpi.northStarPosition ?? kpi.position,
        related: [
          RelatedLocation(
            path: path, line: first.northStarPosition?.line ?? 1, column: first.northStarPosition?.column ?? 1,
            message: "the North Star '\(first.id)'")
        ])
    }
  }
}
