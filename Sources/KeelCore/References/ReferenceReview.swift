import Foundation

extension ReferenceIndex {
  /// Review mode and `--staged` check the changed documents only; a change to a document's id or
  /// state (or its path) can also break the references other documents make to it. These are the
  /// documents outside the check whose kind has reference fields and whose text names (by id or
  /// path, before or after the change) a checked document of a referenced kind whose id, state or
  /// path the change altered; the checker runs the reference rules on them.
  static func referrers(in context: CheckContext) -> [Document] {
    guard let review = context.review, !context.references.isEmpty else { return [] }
    let config = context.config
    let targetKinds = context.references.targetKinds
    var needles = Set<String>()
    for document in context.documents.values {
      guard let kind = document.kind.flatMap(config.kind(named:)), targetKinds.contains(kind.name),
        let before = review.previous[document.path]
      else { continue }
      let id = document.field(kind.idField)
      let state = context.kindResources.workflows[kind.name].flatMap { document.field($0.field) }
      guard before.id != id || before.state != state || before.path != document.path else { continue }
      needles.formUnion([before.id, id, before.path, document.path].compactMap { $0 })
    }
    needles.formUnion(review.deletedStates.keys)
    needles = needles.filter { !$0.isEmpty }
    guard !needles.isEmpty else { return [] }
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
}
