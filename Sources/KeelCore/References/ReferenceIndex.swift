import Foundation
import JSONSchema

/// The documents references may name, built once per check (`Checker`): for every kind some
/// `x-keel-ref` names, each document's id, path and state. A check of some documents only
/// (`--staged`, review mode) still needs every target: the other documents of those kinds are
/// read for their id and state with the scalar reader, and the documents an acyclic field leads
/// to are parsed, so that a cycle through them is found.
public struct ReferenceIndex: Sendable {
  /// A document a reference can name.
  public struct Target: Sendable, Hashable {
    public var path: String
    public var kind: String
    public var id: String?
    /// The value of its workflow's field; nil without a workflow.
    public var state: String?
  }

  /// Kind → its reference fields (empty when no schema has `x-keel-ref`).
  public private(set) var fieldsByKind: [String: [ReferenceField]] = [:]
  /// Kind → id → document (the first in path order when two share an id: `document/duplicate-id`
  /// reports the other).
  private var byID: [String: [String: Target]] = [:]
  private var byPath: [String: Target] = [:]
  /// Kind → its ids, sorted: the candidates of "did you mean", in a stable order.
  private var sortedIDs: [String: [String]] = [:]
  /// Documents not checked but parsed to follow acyclic fields (partial checks), by path.
  public private(set) var followed: [String: Document] = [:]

  public init() {}

  public var isEmpty: Bool { fieldsByKind.isEmpty }

  /// The kinds some reference field names.
  var targetKinds: Set<String> {
    Set(
      fieldsByKind.values.joined().flatMap(\.targets).compactMap { target -> String? in
        if case .kind(let kind) = target { return kind }
        return nil
      })
  }

  /// Builds the index for `context`'s documents.
  /// - Parameter partial: only some documents were parsed (`--staged`, review mode): read the
  ///   others the references may name.
  static func build(context: CheckContext, partial: Bool) -> ReferenceIndex {
    var index = ReferenceIndex()
    index.fieldsByKind = context.schemas.references
    let targetKinds = index.targetKinds
    guard !targetKinds.isEmpty else { return index }
    let config = context.config
    func target(path: String, kind: KindConfig, fields: (String) -> String?) -> Target {
      Target(
        path: path, kind: kind.name, id: fields(kind.idField),
        state: context.kindResources.workflows[kind.name].flatMap { fields($0.field) })
    }
    // Targets, not documents, are collected and sorted: a `Document` is large, and copying it costs.
    var all: [Target] = []
    for document in context.documents.values {
      guard let kind = document.kind.flatMap(config.kind(named:)), targetKinds.contains(kind.name) else { continue }
      all.append(target(path: document.path, kind: kind) { document.field($0) })
    }
    // A partial check reads the other documents only when a checked one names a document.
    // (or when the change breaks references others make: those are then checked too).
    if partial
      && (index.namesDocuments(context.documents.values)
        || !breakingChanges(in: context, targetKinds: targetKinds).isEmpty)
    {
      let others = context.allPaths.compactMap { path -> (String, KindConfig)? in
        guard context.documents[path] == nil, let kind = config.kind(for: path), targetKinds.contains(kind.name),
          DocumentFormat(path: path) != nil
        else { return nil }
        return (path, kind)
      }
      let snapshot = context.snapshot
      let maxBytes = context.limits.maxFileBytes
      let read: @Sendable ((String, KindConfig)) -> [String: String] = { entry in
        guard let data = try? snapshot.read(entry.0, maxBytes: maxBytes) else { return [:] }
        return FrontMatterScalars.read(data, path: entry.0, format: entry.1.format(of: entry.0))
      }
      let scalars = snapshot.supportsConcurrentReads ? others.parallelMap(read) : others.map(read)
      for ((path, kind), fields) in zip(others, scalars) { all.append(target(path: path, kind: kind) { fields[$0] }) }
    }
    // Of two documents with one id, the first in path order keeps it (added last here).
    all.sort { $0.path > $1.path }
    index.byPath.reserveCapacity(all.count)
    for target in all {
      index.byPath[target.path] = target
      if let id = target.id, !id.isEmpty { index.byID[target.kind, default: [:]][id] = target }
    }
    index.sortedIDs = index.byID.mapValues { $0.keys.sorted() }
    if partial { index.follow(context: context) }
    return index
  }

  /// Whether some reference field allowing a kind has a value in one of `documents`.
  private func namesDocuments(_ documents: some Sequence<Document>) -> Bool {
    documents.contains { document in
      guard let kind = document.kind, let fields = fieldsByKind[kind] else { return false }
      return fields.contains { field in
        field.namesDocuments && !field.values(in: document).isEmpty
      }
    }
  }

  /// Parses the documents outside the check that acyclic fields lead to, transitively.
  private mutating func follow(context: CheckContext) {
    var queue = Array(context.documents.values)
    var seen = Set(context.documents.keys)
    while let document = queue.popLast() {
      guard let kind = document.kind, let fields = fieldsByKind[kind] else { continue }
      for field in fields where field.acyclic {
        for (value, _) in field.values(in: document) {
          guard let target = documentTarget(value, field: field, from: document.path, config: context.config),
            seen.insert(target.path).inserted, let kind = context.config.kind(named: target.kind),
            let contents = try? DocumentFiles.read(
              target.path, kind: kind, in: context.snapshot, paths: [], limits: context.limits)
          else { continue }
          let parsed = DocumentFiles.parse(
            target.path, kind: kind, contents: contents, blobID: nil, limits: context.limits)
          followed[target.path] = parsed
          queue.append(parsed)
        }
      }
    }
  }

  /// What a value of `field` names in `document`, when `field` allows it.
  public enum Resolution: Sendable, Equatable {
    /// A person, team or term, or a target keel cannot check (no people.yaml, no glossary).
    case found
    case document(Target)
    case unknown
  }

  public func resolve(_ value: String, field: ReferenceField, from document: Document, in context: CheckContext)
    -> Resolution
  {
    for target in field.targets {
      switch target {
      case .person, .team, .personOrTeam:
        let people = context.people
        guard people.isConfigured else { return .found }
        if target != .team, people.person(value) != nil { return .found }
        if target != .person, people.team(value) != nil { return .found }
      case .term:
        guard context.glossary.path != nil else { return .found }
        if context.glossary.term(named: value) != nil { return .found }
      case .kpi:
        guard context.kpis.isConfigured else { return .found }
        if context.kpis.kpi(value) != nil { return .found }
      case .kind:
        if let found = documentTarget(value, field: field, from: document.path, config: context.config) {
          return .document(found)
        }
      }
    }
    return .unknown
  }

  /// The document of one of `field`'s kinds that `value` names: by id, else by path (from the
  /// repository root, or from the referring document's folder when it starts with `./` or `../`;
  /// a folder document's folder names it).
  func documentTarget(_ value: String, field: ReferenceField, from path: String, config: KeelConfig) -> Target? {
    let kinds = field.targets.compactMap { target -> String? in
      if case .kind(let kind) = target { return kind }
      return nil
    }
    for kind in kinds {
      if let found = byID[kind]?[value] { return found }
    }
    guard value.contains("/") || value.contains(".") else { return nil }
    var base: [Substring] = []
    if value.hasPrefix("./") || value.hasPrefix("../") { base = path.split(separator: "/").dropLast() }
    for part in value.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..":
        guard !base.isEmpty else { return nil }
        base.removeLast()
      default: base.append(part)
      }
    }
    let resolved = config.documentPath(for: base.joined(separator: "/"))
    guard let found = byPath[resolved], kinds.contains(found.kind) else { return nil }
    return found
  }

  /// Every name a value of `field` could have been, for "did you mean".
  public func candidates(for field: ReferenceField, in context: CheckContext) -> [String] {
    field.targets.flatMap { target -> [String] in
      switch target {
      case .person: context.people.people.map(\.id)
      case .team: context.people.teams.map(\.id)
      case .personOrTeam: context.people.people.map(\.id) + context.people.teams.map(\.id)
      case .term: context.glossary.terms.flatMap { [$0.term] + $0.aliases }
      case .kpi: context.kpis.sortedIDs
      case .kind(let kind): sortedIDs[kind] ?? []
      }
    }
  }

  /// "a person of people.yaml or a prd document (its id or path)": what the field's values name.
  public static func describe(_ field: ReferenceField, in context: CheckContext) -> String {
    field.targets.map { target in
      switch target {
      case .person: "a person of \(context.people.path ?? "people.yaml")"
      case .team: "a team of \(context.people.path ?? "people.yaml")"
      case .personOrTeam: "a person or team of \(context.people.path ?? "people.yaml")"
      case .term: "a term of \(context.glossary.path ?? "the glossary")"
      case .kpi: "a KPI of \(context.kpis.path ?? "the KPI catalogue")"
      case .kind(let kind): "a \(kind) document (its \(context.config.kind(named: kind)?.idField ?? "id") or path)"
      }
    }.joined(separator: " or ")
  }
}
