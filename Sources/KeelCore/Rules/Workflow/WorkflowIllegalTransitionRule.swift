/// A status change must follow the transitions of the workflow as it was
/// before the change (the base version's workflow: a pull request cannot
/// allow its own jump by editing the workflow). Review mode and `--staged` only.
public struct WorkflowIllegalTransitionRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "workflow/illegal-transition", summary: "A document's state changed in a way its workflow does not allow.")

  public static let examples = [
    RuleExample(
      "draft to approved, skipping review", triggers: true, at: "specs/a.md:3:9",
      files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("approved")),
      base: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("draft"))),
    RuleExample(
      "the change also adds the jump to the workflow: the base workflow still decides", triggers: true,
      at: "specs/a.md:3:9",
      files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("approved")).merging(
        [
          "workflows/spec.yaml": WorkflowRuleSupport.exampleWorkflow.replacingOccurrences(
            of: "draft: [review, archived]", with: "draft: [review, approved, archived]")
        ], uniquingKeysWith: { $1 }),
      base: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("draft"))),
    RuleExample(
      "draft to review", triggers: false, files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("review")),
      base: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("draft"))),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let previous = context.review?.previous[document.path], let before = previous.state,
      let baseWorkflow = previous.workflow, baseWorkflow.state(named: before) != nil,
      let located = WorkflowRuleSupport.locate(document, in: context), let after = located.state, after != before,
      located.workflow.state(named: after) != nil, !baseWorkflow.allows(from: before, to: after)
    else { return [] }
    let allowed = baseWorkflow.transitions[before] ?? []
    let reason =
      baseWorkflow.state(named: before)?.isFinal == true
      ? "'\(before)' is a final state"
      : "from '\(before)', \(baseWorkflow.path) allows \(WorkflowRuleSupport.list(allowed))"
    return [
      Self.descriptor.finding(
        "illegal transition \(before) → \(after): \(reason)", path: document.path,
        at: located.position,
        related: previous.path == document.path
          ? [] : [RelatedLocation(path: previous.path, line: 1, column: 1, message: "the document before its rename")])
    ]
  }
}
