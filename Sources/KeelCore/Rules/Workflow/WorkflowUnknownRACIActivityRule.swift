/// A workflow's `raci-activity` names an activity of some RACI matrix: `keel metrics` takes the
/// accountable person of its waiting documents from that activity's `A`, and an activity no
/// matrix has leaves them with none. Reported at the value in the workflow file, with the nearest
/// activity id. A warning: the documents are not wrong, the configuration misses its aim. Not
/// checked while the repository has no RACI matrix (`keel init --existing` adds none).
public struct WorkflowUnknownRACIActivityRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "workflow/unknown-raci-activity",
    summary: "A workflow's `raci-activity` names an activity that no RACI matrix has.", defaultSeverity: .warning)

  /// The RACI examples' keel.yaml, its kind with a workflow.
  static let config = RACIRuleSupport.config + "\n    workflow: workflows/spec.yaml"

  static func files(activity: String) -> [String: String] {
    RACIRuleSupport.files(
      raci: """
        activities:
          - id: approve-prd
            R: [alice]
            A: bob
        """
    ).merging(
      [
        "keel.yaml": config,
        "workflows/spec.yaml": "raci-activity: \(activity)\n" + WorkflowRuleSupport.exampleWorkflow,
      ], uniquingKeysWith: { $1 })
  }

  public static let examples = [
    RuleExample(
      "an activity no matrix has, at the value", triggers: true, at: "workflows/spec.yaml:1:16",
      files: files(activity: "aprove-prd")),
    RuleExample("an activity of a matrix", triggers: false, files: files(activity: "approve-prd")),
    RuleExample(
      "no RACI matrix yet: not checked", triggers: false,
      files: files(activity: "aprove-prd").filter { !$0.key.hasPrefix("raci/") }),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard !context.raci.matrices.isEmpty else { return [] }
    let activities = Set(context.raci.matrices.flatMap { $0.activities.map(\.id) })
    // A workflow several kinds share is reported once.
    var seen = Set<String>()
    return context.kindResources.workflows.values.sorted { $0.path < $1.path }.compactMap { workflow in
      guard let activity = workflow.raciActivity, !activities.contains(activity), seen.insert(workflow.path).inserted
      else { return nil }
      return Self.descriptor.finding(
        "raci-activity '\(activity)' is not an activity of any RACI matrix: keel metrics finds no accountable person"
          + Suggestion.hint(for: activity, in: activities.sorted()),
        path: workflow.path, at: workflow.raciActivityPosition, jsonPointer: "/raci-activity")
    }
  }
}
