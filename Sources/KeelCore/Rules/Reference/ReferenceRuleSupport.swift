import JSONSchema

/// What the reference rules share: the references of a document, resolved, and the small
/// repository their examples run in (specs, decisions as YAML documents, proposals as folders).
enum ReferenceRuleSupport {
  /// One value of a reference field, where it is, and what it names.
  struct Reference {
    var field: ReferenceField
    var value: String
    var pointer: String
    var position: SourcePosition?
    var resolution: ReferenceIndex.Resolution
  }

  /// Every value of `document`'s reference fields, resolved against the check's index.
  static func references(of document: Document, in context: CheckContext) -> [Reference] {
    guard let kind = document.kind, let fields = context.references.fieldsByKind[kind] else { return [] }
    return fields.flatMap { field in
      field.values(in: document).map { value, pointer in
        Reference(
          field: field, value: value, pointer: pointer,
          position: document.frontMatter?.content.sourceMap.values[pointer],
          resolution: context.references.resolve(value, field: field, from: document, in: context))
      }
    }
  }

  static let config = """
    version: 1
    people: people.yaml
    glossary: glossary.yaml
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.yaml
        workflow: workflows/spec.yaml
      decision:
        include: ["decisions/*.yaml"]
        schema: schemas/decision.yaml
        workflow: workflows/decision.yaml
      proposal:
        include: ["proposals/*/"]
        metadata: proposal.yaml
        body: README.md
        schema: schemas/proposal.yaml
        id-field: number
    """

  static let base: [String: String] = [
    "keel.yaml": config,
    "people.yaml": """
    people:
      - {id: alice, name: Alice Adams}
      - {id: bob, name: Bob Brown}
    teams:
      - {id: checkout, members: [alice]}
    """,
    "glossary.yaml": """
    terms:
      - {term: Checkout, definition: From basket to order.}
    """,
    "schemas/prd.yaml": """
    type: object
    properties:
      owner: {type: string, x-keel-ref: person}
      reviewers: {type: array, items: {type: string}, x-keel-ref: person-or-team}
      topic: {type: string, x-keel-ref: term}
      decision: {type: string, x-keel-ref: decision}
      depends-on: {type: array, items: {type: string}, x-keel-ref: [prd, proposal], x-keel-ref-acyclic: true}
    """,
    "schemas/decision.yaml": """
    type: object
    properties:
      deciders: {type: array, items: {type: string, x-keel-ref: person-or-team}}
      supersedes: {type: string, x-keel-ref: decision, x-keel-ref-any-state: true, x-keel-ref-acyclic: true}
    """,
    "schemas/proposal.yaml": """
    type: object
    properties:
      depends-on: {type: array, items: {type: string}, x-keel-ref: [prd, proposal], x-keel-ref-acyclic: true}
    """,
    "workflows/spec.yaml": """
    field: status
    initial: [draft]
    states: {draft: {}, approved: {locks: true}, archived: {final: true}}
    transitions: {draft: [approved, archived], approved: [archived]}
    """,
    "workflows/decision.yaml": """
    field: status
    initial: [proposed]
    states: {proposed: {}, accepted: {locks: true}, superseded: {final: true}, rejected: {final: true}}
    transitions: {proposed: [accepted, rejected], accepted: [superseded]}
    """,
    "decisions/adr-001.yaml": "id: ADR-001\nstatus: superseded\ndeciders: [alice]\n",
    "decisions/adr-002.yaml": "id: ADR-002\nstatus: accepted\ndeciders: [checkout]\nsupersedes: ADR-001\n",
    "proposals/guest/proposal.yaml": "number: '0001'\n",
    "proposals/guest/README.md": "# Guest checkout\n",
    "specs/done.md": "---\nid: PRD-009\nstatus: archived\n---\n# Done\n",
  ]

  /// A spec: `id`, `status: draft`, then `fields` (lines 4 on), in `specs/NAME.md`.
  static func spec(_ id: String, _ fields: String = "") -> String {
    "---\nid: \(id)\nstatus: draft\n\(fields)---\n# \(id)\n"
  }

  /// The example repository with `files` added (or replacing the base's).
  static func files(_ files: [String: String]) -> [String: String] {
    base.merging(files) { _, new in new }
  }
}
