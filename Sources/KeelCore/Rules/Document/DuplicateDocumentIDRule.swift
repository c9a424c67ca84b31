import Foundation

/// Two documents must not share an id (the kind's `id-field`, `id` by default).
/// The finding blames the document that came second: the one a commit added
/// later when the check read the history (a document not committed yet comes
/// after every committed one), else the later one in path order.
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
    let added = context.firstCommitted
    let order = context.documents.keys.sorted { left, right in
      let (leftDate, rightDate) = (added[left] ?? .distantFuture, added[right] ?? .distantFuture)
      return leftDate != rightDate ? leftDate < rightDate : left < right
    }
    for path in order {
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
