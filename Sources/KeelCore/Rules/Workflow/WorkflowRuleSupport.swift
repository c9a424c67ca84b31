import JSONSchema

/// What the workflow rules share: where a document's state is, and the small
/// repository their examples run in.
enum WorkflowRuleSupport {
  /// The document's workflow, its state (when the field holds a string) and
  /// the position of the state's value (of the front matter when it is absent).
  struct Located {
    var workflow: Workflow
    var state: String?
    var position: SourcePosition
  }

  static func locate(_ document: Document, in context: CheckContext) -> Located? {
    guard let workflow = context.workflow(for: document) else { return nil }
    let pointer = "/" + JSONValue.escapePointerToken(workflow.field)
    let position =
      document.frontMatter?.content.sourceMap.values[pointer]
      ?? SourcePosition(line: document.frontMatter?.openingLine ?? 1, column: 1)
    return Located(workflow: workflow, state: document.field(workflow.field), position: position)
  }

  /// `review, archived`, or `nothing (a final state)`.
  static func list(_ states: [String]) -> String {
    states.isEmpty ? "nothing" : states.joined(separator: ", ")
  }

  static let exampleConfig = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        workflow: workflows/spec.yaml
    """

  static let exampleWorkflow = """
    field: status
    initial: [draft]
    states:
      draft: {}
      review: {requires: {fields: [reviewers]}}
      approved: {requires: {sections: [Solution], checklists: [Definition of Ready]}}
      archived: {final: true}
    transitions:
      draft: [review, archived]
      review: [draft, approved, archived]
      approved: [archived]
    """

  /// The example repository with one spec, `specs/a.md`.
  static func files(_ spec: String) -> [String: String] {
    ["keel.yaml": exampleConfig, "workflows/spec.yaml": exampleWorkflow, "specs/a.md": spec]
  }

  /// A spec in `status` with reviewers, a Solution and a ticked checklist:
  /// it meets every state's requirements.
  static func spec(_ status: String) -> String {
    "---\ntitle: Checkout\nstatus: \(status)\nreviewers: [li]\n---\n# Checkout\n\n## Solution\n\nGuest checkout.\n\n"
      + "## Definition of Ready\n\n- [x] Problem validated\n"
  }
}
