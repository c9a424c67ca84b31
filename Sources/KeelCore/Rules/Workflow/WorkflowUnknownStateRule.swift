import JSONSchema

/// A document's workflow field must hold one of its workflow's states.
public struct WorkflowUnknownStateRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "workflow/unknown-state", summary: "A document's state is not a state of its kind's workflow.")

  public static let examples = [
    RuleExample(
      "a misspelt state, at its value", triggers: true, at: "specs/a.md:3:9",
      files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("aproved"))),
    RuleExample(
      "no state at all in a kind without a schema", triggers: true, at: "specs/a.md:1:1",
      files: WorkflowRuleSupport.files("---\ntitle: Checkout\n---\n# Checkout\n")),
    RuleExample(
      "a known state", triggers: false, files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("review"))),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let located = WorkflowRuleSupport.locate(document, in: context) else { return [] }
    let workflow = located.workflow
    let states = WorkflowRuleSupport.list(workflow.states.map(\.name))
    let value = document.frontMatter?.value.objectValue?[workflow.field]
    if let state = located.state {
      guard workflow.state(named: state) == nil else { return [] }
      return [
        Self.descriptor.finding(
          "'\(state)' is not a state of \(workflow.path) (\(states))",
          path: document.path, at: located.position, jsonPointer: "/" + JSONValue.escapePointerToken(workflow.field))
      ]
    }
    // A missing field is the schema's to report when the kind has one; an
    // unreadable front matter is already reported by the parser.
    if value == nil, let kind = document.kind, context.schemas.byKind[kind] != nil { return [] }
    if value == nil, document.diagnostics.contains(where: { $0.severity == .error }) { return [] }
    let problem = value == nil ? "has no '\(workflow.field)' field" : "has a '\(workflow.field)' that is not a string"
    return [
      Self.descriptor.finding(
        "the document \(problem); it must hold one of \(states)",
        path: document.path, at: located.position)
    ]
  }
}
