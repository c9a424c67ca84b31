/// Tracked event names follow one naming pattern (`kpi-event-pattern:` in keel.yaml, by default
/// lower-case words joined by `_`: `order_placed`), so that every team instruments alike.
public struct KPIEventNameRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "kpi/event-name", summary: "A KPI's tracked event name does not follow the event naming pattern.")

  public static let examples = [
    RuleExample(
      "an event in camel case, against the default pattern", triggers: true, at: "kpis.yaml:8:32",
      files: KPIRuleSupport.files(
        catalogue: KPIRuleSupport.catalogue.replacingOccurrences(of: "order_placed", with: "orderPlaced"))),
    RuleExample(
      "a pattern of keel.yaml: events as object.action", triggers: true, at: "kpis.yaml:8:14",
      files: KPIRuleSupport.files(
        config: KPIRuleSupport.config + "\nkpi-event-pattern: '^[a-z]+\\.[a-z]+$'\n",
        [
          "kpis.yaml": KPIRuleSupport.catalogue.replacingOccurrences(
            of: "[checkout_started, order_placed]", with: "[checkout_started, order.placed]")
        ])),
    RuleExample("snake-case events", triggers: false, files: KPIRuleSupport.files()),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let path = context.kpis.path else { return [] }
    let pattern = context.config.kpiEventPattern
    var findings: [Diagnostic] = []
    for kpi in context.kpis.kpis {
      for (offset, event) in kpi.events.enumerated() where !pattern.matches(event) {
        findings.append(
          Self.descriptor.finding(
            "event '\(event)' of KPI '\(kpi.id)' does not match the event pattern \(pattern.source)"
              + (context.config.kpiEventPattern.source == KPIEventPattern.defaultSource
                ? " (lower-case words joined by '_'; kpi-event-pattern in \(KeelConfig.fileName) sets another)" : ""),
            path: path, at: offset < kpi.eventPositions.count ? kpi.eventPositions[offset] : kpi.position))
      }
    }
    return findings
  }
}
