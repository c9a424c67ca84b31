import JSONSchema

/// Following a field marked `x-keel-ref-acyclic: true` (`depends-on`, `supersedes`) from document
/// to document comes back to where it started. Reported once per cycle, at the reference that
/// leaves the first checked document of the cycle (in path order), with the others as related
/// locations. Each field is followed on its own, across every kind that has it.
public struct RefCycleRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "ref/cycle", summary: "References through an `x-keel-ref-acyclic` field form a cycle.")

  public static let examples = [
    RuleExample(
      "two specs that depend on each other", triggers: true, at: "specs/a.md:4:14",
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-002]\n"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002", "depends-on: [PRD-001]\n"),
      ])),
    RuleExample(
      "a cycle across kinds: a spec, a proposal folder and back (by path)", triggers: true,
      at: "proposals/guest/proposal.yaml:2:14",
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [proposals/guest]\n"),
        "proposals/guest/proposal.yaml": "number: '0001'\ndepends-on: [specs/a.md]\n",
      ])),
    RuleExample(
      "a spec that depends on itself", triggers: true, at: "specs/a.md:4:14",
      files: ReferenceRuleSupport.files(["specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-001]\n")])
    ),
    RuleExample(
      "review mode: the change closes a cycle through specs it does not touch", triggers: true, at: "specs/a.md:4:14",
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-002]\n"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002", "depends-on: [PRD-003]\n"),
        "specs/c.md": ReferenceRuleSupport.spec("PRD-003", "depends-on: [PRD-001]\n"),
      ]),
      base: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002", "depends-on: [PRD-003]\n"),
        "specs/c.md": ReferenceRuleSupport.spec("PRD-003", "depends-on: [PRD-001]\n"),
      ])),
    RuleExample(
      "a chain of dependencies, and a decision superseding another", triggers: false,
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-002, proposals/guest/]\n"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002", "depends-on: [proposals/guest/]\n"),
      ])),
  ]

  public init() {}

  /// One edge: from a document, through one value of the field, to another document.
  struct Edge {
    var from: String
    var to: String
    var pointer: String
    var position: SourcePosition?
  }

  public func check(_ context: CheckContext) -> [Diagnostic] {
    let index = context.references
    let checked = context.documents
    var documents = index.followed
    documents.merge(checked) { _, own in own }
    let acyclic = Set(index.fieldsByKind.values.joined().filter(\.acyclic).map(\.name))
    var findings: [Diagnostic] = []
    for fieldName in acyclic.sorted() {
      var edges: [String: [Edge]] = [:]
      for document in documents.values {
        guard let kind = document.kind, let field = index.fieldsByKind[kind]?.first(where: { $0.name == fieldName })
        else { continue }
        for (value, pointer) in field.values(in: document) {
          guard case .document(let target) = index.resolve(value, field: field, from: document, in: context) else {
            continue
          }
          edges[document.path, default: []].append(
            Edge(
              from: document.path, to: target.path, pointer: pointer,
              position: document.frontMatter?.content.sourceMap.values[pointer]))
        }
      }
      for cycle in Self.cycles(edges) {
        // Reported at a checked document; a cycle among documents outside the check is not this change's.
        guard
          let start = cycle.indices.filter({ checked[cycle[$0].from] != nil }).min(by: {
            cycle[$0].from < cycle[$1].from
          })
        else { continue }
        let ordered = Array(cycle[start...] + cycle[..<start])
        let names = ordered.map { edge in Self.name(of: edge.from, in: documents, context: context) }
        let edge = ordered[0]
        findings.append(
          Self.descriptor.finding(
            "\(fieldName) forms a cycle: " + (names + [names[0]]).joined(separator: " → "), path: edge.from,
            at: edge.position, jsonPointer: edge.pointer,
            related: ordered.dropFirst().map { next in
              RelatedLocation(
                path: next.from, line: next.position?.line ?? 1, column: next.position?.column ?? 1,
                message: "\(fieldName) of \(Self.name(of: next.from, in: documents, context: context))")
            }))
      }
    }
    return findings
  }

  /// A document's id, else its path.
  static func name(of path: String, in documents: [String: Document], context: CheckContext) -> String {
    guard let document = documents[path], let kind = document.kind.flatMap(context.config.kind(named:)) else {
      return path
    }
    return document.field(kind.idField) ?? path
  }

  /// One cycle per back edge of a depth-first walk in path order (so each cycle is found once),
  /// as its edges in order. Iterative: a chain of 10,000 dependencies does not exhaust the stack.
  static func cycles(_ edges: [String: [Edge]]) -> [[Edge]] {
    enum Mark { case active, done }
    var marks: [String: Mark] = [:]
    var found: [[Edge]] = []
    for root in edges.keys.sorted() where marks[root] == nil {
      // The path from the root: each frame is a node and the index of its next edge.
      var stack: [(node: String, next: Int)] = [(root, 0)]
      var path: [Edge] = []
      marks[root] = .active
      while let top = stack.last {
        let out = edges[top.node] ?? []
        guard top.next < out.count else {
          marks[top.node] = .done
          stack.removeLast()
          if !path.isEmpty { path.removeLast() }
          continue
        }
        stack[stack.count - 1].next += 1
        let edge = out[top.next]
        switch marks[edge.to] {
        case .active:
          let start = path.firstIndex { $0.from == edge.to } ?? path.count
          found.append(Array(path[start...]) + [edge])
        case .done: continue
        case nil:
          marks[edge.to] = .active
          path.append(edge)
          stack.append((edge.to, 0))
        }
      }
    }
    return found
  }
}
