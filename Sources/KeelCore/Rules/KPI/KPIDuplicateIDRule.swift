/// Each KPI id names one KPI, so that a spec's reference means one metric.
public struct KPIDuplicateIDRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "kpi/duplicate-id", summary: "Two KPIs of the catalogue share an id.")

  public static let examples = [
    RuleExample(
      "a second 'conversion', at its id", triggers: true, at: "kpis.yaml:10:9",
      files: KPIRuleSupport.files(
        catalogue: KPIRuleSupport.catalogue.replacingOccurrences(of: "id: repeat-rate", with: "id: conversion"))),
    RuleExample("distinct ids", triggers: false, files: KPIRuleSupport.files()),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let path = context.kpis.path else { return [] }
    var first: [String: KPI] = [:]
    var findings: [Diagnostic] = []
    for kpi in context.kpis.kpis {
      guard let earlier = first[kpi.id] else {
        first[kpi.id] = kpi
        continue
      }
      findings.append(
        Self.descriptor.finding(
          "the KPI id '\(kpi.id)' is already used by '\(earlier.name)'", path: path, at: kpi.position,
          related: [
            RelatedLocation(
              path: path, line: earlier.position?.line ?? 1, column: earlier.position?.column ?? 1,
              message: "first '\(kpi.id)'")
          ]))
    }
    return findings
  }
}
