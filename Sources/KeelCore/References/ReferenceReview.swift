import Foundation

extension ReferenceIndex {
  /// Review mode and `--staged` check the changed documents only; a change to a document's id,
  /// path or state can also break the references other documents make to it. These are the
  /// documents outside the check whose kind has reference fields and whose text names (by id or
  /// path, before or after the change) a checked document of a referenced kind whose id or path
  /// the change altered, or whose state became final, or a deleted document (by its path or its
  /// id), or a person, team, KPI or glossary term the change removed from its file (a term in any
  /// ASCII case); the checker runs the reference rules on them. Other changes read nothing more.
  static func referrers(in context: CheckContext) -> [Document] {
    let needles = breakingChanges(in: context, targetKinds: context.references.targetKinds)
    let terms = removedNames(in: context).terms
    guard !needles.isEmpty || !terms.isEmpty else { return [] }
    let config = context.config
    let patterns = needles.map { Data($0.utf8) }
    let caseless = terms.map { Data(Glossary.key($0).utf8) }
    @Sendable func names(_ data: Data) -> Bool {
      if patterns.contains(where: { data.range(of: $0) != nil }) { return true }
      guard !caseless.isEmpty else { return false }
      let folded = Data(data.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
      return caseless.contains { folded.range(of: $0) != nil }
    }
    let candidates = context.allPaths.compactMap { path -> (String, KindConfig)? in
      guard context.documents[path] == nil, let kind = config.kind(for: path),
        context.references.fieldsByKind[kind.name] != nil, DocumentFormat(path: path) != nil
      else { return nil }
      return (path, kind)
    }
    let snapshot = context.snapshot
    let limits = context.limits
    let read: @Sendable ((String, KindConfig)) -> Document? = { entry in
      let (path, kind) = entry
      guard let data = try? snapshot.read(path, maxBytes: limits.maxFileBytes),
        names(data)
      else { return nil }
      return DocumentParser.parse(
        path: path, data: data, kind: kind.name, limits: limits, format: kind.format(of: path))
    }
    return (snapshot.supportsConcurrentReads ? candidates.parallelMap(read) : candidates.map(read)).compactMap { $0 }
  }

  /// The ids and paths (before and after) of the checked documents of `targetKinds` whose id or
  /// path the change altered or whose state became final, the deleted documents' paths and ids,
  /// and the people, teams and KPIs the change removed (`removedNames`; its terms aside).
  static func breakingChanges(in context: CheckContext, targetKinds: Set<String>) -> Set<String> {
    guard let review = context.review else { return [] }
    var needles = removedNames(in: context).exact
    guard !targetKinds.isEmpty else { return needles }
    for document in context.documents.values {
      guard let kind = document.kind.flatMap(context.config.kind(named:)), targetKinds.contains(kind.name),
        let before = review.previous[document.path]
      else { continue }
      let id = document.field(kind.idField)
      // Only a state that becomes final can break a reference (`ref/inactive`); other moves cannot.
      let workflow = context.kindResources.workflows[kind.name]
      let state = workflow.flatMap { document.field($0.field) }
      func isFinal(_ state: String?) -> Bool { state.flatMap { workflow?.state(named: $0)?.isFinal } ?? false }
      let newlyFinal = isFinal(state) && !isFinal(before.state)
      guard before.id != id || newlyFinal || before.path != document.path else { continue }
      needles.formUnion([before.id, id, before.path, document.path].compactMap { $0 })
    }
    // A deleted document breaks the references to its path and to its id.
    needles.formUnion(review.deletedStates.keys)
    needles.formUnion(review.deletedIDs.keys)
    needles.formUnion(review.deletedIDs.values)
    return needles.filter { !$0.isEmpty }
  }

  /// The names the base's people registry, KPI catalogue and glossary had (those the change
  /// touches: `ReviewState.people`, `kpis`, `glossary`) and the head's lack: a person or team
  /// removed or renamed, a KPI id, a glossary term or alias (compared in any case, as references
  /// to terms are).
  static func removedNames(in context: CheckContext) -> (exact: Set<String>, terms: Set<String>) {
    guard let review = context.review else { return ([], []) }
    var exact = Set<String>()
    if let before = review.people, context.people.isConfigured {
      exact.formUnion((before.people.map(\.id) + before.teams.map(\.id)).filter { !context.people.contains($0) })
    }
    if let before = review.kpis, context.kpis.isConfigured {
      exact.formUnion(before.sortedIDs.filter { context.kpis.kpi($0) == nil })
    }
    var terms = Set<String>()
    if let before = review.glossary, context.glossary.isConfigured {
      terms = Set(before.terms.flatMap { [$0.term] + $0.aliases }.filter { context.glossary.term(named: $0) == nil })
    }
    return (exact.filter { !$0.isEmpty }, terms.filter { !$0.allSatisfy(\.isWhitespace) })
  }
}
