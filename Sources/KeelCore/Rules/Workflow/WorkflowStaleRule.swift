import Foundation

/// `workflow/stale`: a document has been in its state for longer than its workflow's `sla` for that
/// state. Needs the state history (`CheckContext.stateHistory`, which `keel check` reads from Git;
/// none for `--staged`, `--base` or `--no-history`). A warning by default.
public struct WorkflowStaleRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "workflow/stale", summary: "A document has stayed in its workflow state longer than the state's SLA.",
    defaultSeverity: .warning)

  public static let examples = [
    RuleExample(
      "in review for 59 days, with a 10-day SLA, at the state", triggers: true, at: "specs/a.md:3:9",
      files: files,
      history: history(state: "review", since: "2026-01-01")),
    RuleExample(
      "in review for 5 days", triggers: false, files: files,
      history: history(state: "review", since: "2026-02-24")),
    RuleExample(
      "the state just changed and is not committed yet", triggers: false,
      files: files,
      history: history(state: "draft", since: "2026-01-01")),
    RuleExample(
      "no history (--no-history, --staged, --base)", triggers: false,
      files: files),
  ]

  /// The workflow rules' example repository, with a 10-day SLA on `review`, and `specs/a.md` in review.
  private static let files = WorkflowRuleSupport.files(WorkflowRuleSupport.spec("review")).merging(
    ["workflows/spec.yaml": WorkflowRuleSupport.exampleWorkflow + "\nsla: {review: 10d}\n"], uniquingKeysWith: { $1 })

  /// `specs/a.md` entered `state` on `since`; ages measured on 2026-03-01.
  private static func history(state: String, since: String) -> StateHistory {
    func day(_ text: String) -> Date { (try? HistoryDates.parseArgument(text, option: "--now")) ?? .distantPast }
    return StateHistory(entries: ["specs/a.md": .init(state: state, since: day(since))], now: day("2026-03-01"))
  }

  public init() {}

  /// Findings for the checked documents whose state is the one the history has, for too long. A
  /// document whose state differs from the committed one (just changed), or that entered it at a
  /// date outside years 0001–9999, is not stale.
  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let history = context.stateHistory?.value else { return [] }
    let configuration = HistoryConfiguration(config: context.config, resources: context.kindResources)
    var findings: [Diagnostic] = []
    for path in context.documents.keys.sorted() {
      // The document already knows its kind: no glob matching per document.
      guard let document = context.documents[path], let kind = document.kind.flatMap(configuration.kind(named:)),
        let state = document.field(kind.workflow.field), let sla = kind.workflow.sla[state],
        let entry = history.entries[path], entry.state == state, HistoryDates.isInRange(entry.since)
      else { continue }
      let age = history.now.timeIntervalSince(entry.since)
      guard age > sla else { continue }
      findings.append(
        Self.descriptor.finding(
          "in '\(state)' since \(HistoryDates.day(entry.since)) (\(MetricsReport.duration(age))), "
            + "longer than the \(MetricsReport.duration(sla)) SLA of \(kind.workflow.name)",
          path: path,
          at: document.frontMatter?.content.sourceMap.values["/" + kind.workflow.field]
            ?? document.position(ofField: kind.workflow.field)))
    }
    return findings
  }
}
