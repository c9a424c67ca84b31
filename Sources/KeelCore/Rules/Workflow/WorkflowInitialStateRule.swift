/// A document the change adds must start in one of its workflow's initial
/// states. Review mode and `--staged` only (a plain check has no history).
public struct WorkflowInitialStateRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "workflow/initial-state", summary: "A new document does not start in an initial state of its workflow.")

  public static let examples = [
    RuleExample(
      "a new spec that starts approved", triggers: true, at: "specs/b.md:3:9",
      files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("draft")).merging(
        ["specs/b.md": WorkflowRuleSupport.spec("approved")], uniquingKeysWith: { $1 }),
      base: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("draft"))),
    RuleExample(
      "a new spec that starts as a draft", triggers: false,
      files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("draft")).merging(
        ["specs/b.md": WorkflowRuleSupport.spec("draft")], uniquingKeysWith: { $1 }),
      base: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("draft"))),
    RuleExample(
      "an existing spec moving on is not new", triggers: false,
      files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("review")),
      base: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("draft"))),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard context.review?.added.contains(document.path) == true,
      let located = WorkflowRuleSupport.locate(document, in: context), let state = located.state,
      located.workflow.state(named: state) != nil, !located.workflow.initial.contains(state)
    else { return [] }
    return [
      Self.descriptor.finding(
        "a new document starts in \(WorkflowRuleSupport.list(located.workflow.initial)) "
          + "(\(located.workflow.path)), not '\(state)'",
        path: document.path, at: located.position)
    ]
  }
}
