/// Two documents must not share an id (the kind's `id-field`, `id` by default).
public struct DuplicateDocumentIDRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "document/duplicate-id", summary: "Two documents have the same id.")

  public static let examples = [
    RuleExample(
      "two specs with the same id", triggers: true, at: "specs/b.md:2:5",
      files: [
        "schemas/prd.yaml": "type: object",
        "specs/a.md": "---\nid: PRD-001\n---\n",
        "specs/b.md": "---\nid: PRD-001\n---\n",
      ]),
    RuleExample(
      "distinct ids", triggers: false,
      files: [
        "schemas/prd.yaml": "type: object",
        "specs/a.md": "---\nid: PRD-001\n---\n",
        "specs/b.md": "---\nid: PRD-002\n---\n",
      ]),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    var firstByID: [String: Document] = [:]
    var findings: [Diagnostic] = []
    for path in context.documents.keys.sorted() {
      guard let document = context.documents[path], let kind = document.kind.flatMap(context.config.kind(named:)),
        let id = document.field(kind.idField)
      else { continue }
      guard let first = firstByID[id] else {
        firstByID[id] = document
        continue
      }
      let position = document.frontMatter?.content.sourceMap.values["/" + kind.idField]
      let firstPosition = first.frontMatter?.content.sourceMap.values["/" + kind.idField]
      findings.append(
        Self.descriptor.finding(
          "id '\(id)' is already used by \(first.path)", path: path,
          at: position,
          related: [
            RelatedLocation(
              path: first.path, line: firstPosition?.line ?? 1, column: firstPosition?.column ?? 1,
              message: "first use of '\(id)'")
          ]))
    }
    return findings
  }
}
