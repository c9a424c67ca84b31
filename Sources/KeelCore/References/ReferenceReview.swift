import Foundation

extension ReferenceIndex {
  /// Review mode and `--staged` check the changed documents only; a change to a document's id,
  /// path or state can also break the references other documents make to it. These are the
  /// documents outside the check whose kind has reference fields and whose text names (by id or
  /// path, before or after the change) a checked document of a referenced kind whose id or path
  /// the change altered, or whose state became final, or a deleted document (by its path or its
  /// id); the checker runs the reference rules on them. Other changes read nothing more.
  static func referrers(in context: CheckContext) -> [Document] {
    let needles = breakingChanges(in: context, targetKinds: context.references.targetKinds)
    guard !needles.isEmpty else { return [] }
    let config = context.config
    let patterns = needles.map { Data($0.utf8) }
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
        patterns.contains(where: { data.range(of: $0) != nil })
      else { return nil }
      return DocumentParser.parse(
        path: path, data: data, kind: kind.name, limits: limits, format: kind.format(of: path))
    }
    return (snapshot.supportsConcurrentReads ? candidates.parallelMap(read) : candidates.map(read)).compactMap { $0 }
  }

  /// The ids and paths (before and after) of the checked documents of `targetKinds` whose id or
  /// path the change altered or whose state became final, and the deleted documents' paths and ids.
  static func breakingChanges(in context: CheckContext, targetKinds: Set<String>) -> Set<String> {
    guard let review = context.review, !targetKinds.isEmpty else { return [] }
    var needles = Set<String>()
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
}
