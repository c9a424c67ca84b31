import JSONSchema

/// What the score rules share: the scores of a document's kind, and the small repository their
/// examples run in (RICE on PRDs, required from review on).
enum ScoreRuleSupport {
  static let config = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        workflow: workflows/spec.yaml
        scores:
          rice: {formula: "reach * impact * confidence / effort", require-from: review}
    """

  static let workflow = """
    field: status
    initial: [draft]
    states: {draft: {}, review: {}, approved: {}, archived: {final: true}}
    transitions: {draft: [review, archived], review: [draft, approved, archived], approved: [archived]}
    """

  /// A spec in `state` with `fields` (lines 3 on).
  static func spec(_ state: String, _ fields: String) -> String { "---\nstatus: \(state)\n\(fields)---\n# Spec\n" }

  static func files(_ files: [String: String]) -> [String: String] {
    ["keel.yaml": config, "workflows/spec.yaml": workflow].merging(files) { _, new in new }
  }

  /// Where a finding about `field` of `document` goes: its value, else the state's value, else the
  /// first line of the fields.
  static func position(of field: String?, in document: Document, workflow: Workflow?) -> SourcePosition? {
    let map = document.frontMatter?.content.sourceMap
    if let field, let position = map?.values["/" + JSONValue.escapePointerToken(field)] { return position }
    if let stateField = workflow?.field, let position = map?.values["/" + JSONValue.escapePointerToken(stateField)] {
      return position
    }
    return document.frontMatter.map { SourcePosition(line: $0.openingLine, column: 1) }
  }

  /// The scores of `document`'s kind with the fields they read and the document's workflow, or nil
  /// when its kind declares no score or it has no fields (both score rules start here).
  static func scoring(_ document: Document, in context: CheckContext)
    -> (scores: [ScoreConfig], fields: JSONValue, workflow: Workflow?)?
  {
    guard let kind = document.kind.flatMap(context.config.kind(named:)), !kind.scores.isEmpty,
      let fields = document.frontMatter?.value
    else { return nil }
    return (kind.scores, fields, context.workflow(for: document))
  }
}
