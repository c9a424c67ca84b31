import Foundation
import KeelCore
import KeelGit

/// Which snapshot a check reads and which of its documents it checks.
struct DocumentSelection {
  let snapshot: Snapshot
  /// Where the snapshot's keel.yaml and the files it names are read; nil: the snapshot itself.
  var configuration: Snapshot? = nil
  /// What was checked, for reports: `working tree`, `index`, `HEAD~1 (3f2a9c1)`, `main..feature`.
  let label: String
  /// nil: every document.
  let documentPaths: Set<String>?
  /// Review mode and --staged: what changed, in keel-root-relative paths.
  let changes: [PathChange]
  /// Review mode: the base snapshot.
  let baseSnapshot: Snapshot?
  /// Review mode: where the base's keel.yaml and workflows are read (`--config`); nil: the base itself.
  var baseConfiguration: Snapshot? = nil

  static func resolve(
    workspace: Workspace, staged: Bool, all: Bool, rev: String?, base: String?, head: String?
  ) throws -> DocumentSelection {
    do {
      if staged {
        let snapshot = try workspace.index()
        let configuration = try workspace.configuration(for: snapshot)
        let repository = try workspace.requireRepository(for: "--staged")
        if all || repository.isHeadUnborn {
          return DocumentSelection(
            snapshot: snapshot, configuration: configuration, label: "index", documentPaths: nil, changes: [],
            baseSnapshot: nil)
        }
        let changes = localize(try repository.changes(base: "HEAD", head: .index), workspace: workspace)
        // HEAD is the base: the hook catches an illegal status change before it is committed.
        let baseSnapshot = try workspace.revision("HEAD")
        return DocumentSelection(
          snapshot: snapshot, configuration: configuration, label: "index",
          documentPaths: try affectedDocuments(changes, in: snapshot, configuration: configuration), changes: changes,
          baseSnapshot: baseSnapshot,
          baseConfiguration: try workspace.configuration(for: baseSnapshot, borrowing: false))
      }
      if let rev {
        let snapshot = try workspace.revision(rev)
        return DocumentSelection(
          snapshot: snapshot, configuration: try workspace.configuration(for: snapshot), label: snapshot.label,
          documentPaths: nil, changes: [], baseSnapshot: nil)
      }
      if let base {
        let repository = try workspace.requireRepository(for: "--base")
        let snapshot = try head.map { try workspace.revision($0) } ?? workspace.workingTree()
        let configuration = try workspace.configuration(for: snapshot)
        let target: ChangeTarget = head.map { .revision($0) } ?? .workingTree
        // Like a pull request: compare with the merge base, so that what landed
        // on the base branch meanwhile is not reported as a change of the head.
        let mergeBase = try repository.mergeBase(base, head ?? "HEAD") ?? repository.resolveCommitID(base)
        let changes = localize(try repository.changes(base: mergeBase, head: target), workspace: workspace)
        let baseSnapshot = try workspace.revision(mergeBase)
        return DocumentSelection(
          snapshot: snapshot, configuration: configuration, label: "\(base)..\(head ?? "working tree")",
          documentPaths: try affectedDocuments(changes, in: snapshot, configuration: configuration), changes: changes,
          baseSnapshot: baseSnapshot,
          baseConfiguration: try workspace.configuration(for: baseSnapshot, borrowing: false))
      }
      let snapshot = try workspace.workingTree()
      return DocumentSelection(
        snapshot: snapshot, configuration: try workspace.configuration(for: snapshot), label: "working tree",
        documentPaths: nil, changes: [], baseSnapshot: nil)
    } catch let error as GitError {
      throw KeelError(error.description)
    }
  }

  /// Keeps changes inside keel.yaml's folder, with paths relative to it.
  private static func localize(_ changes: [PathChange], workspace: Workspace) -> [PathChange] {
    let prefix = workspace.prefix.isEmpty ? "" : workspace.prefix + "/"
    return changes.compactMap { change in
      guard change.path.hasPrefix(prefix) else { return nil }
      var local = change
      local.path = String(change.path.dropFirst(prefix.count))
      local.previousPath = change.previousPath.flatMap {
        $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil
      }
      return local
    }
  }

  /// Documents added or changed, plus every document of a kind whose schema,
  /// template or workflow changed; nil (everything) when keel.yaml changed.
  private static func affectedDocuments(
    _ changes: [PathChange], in snapshot: Snapshot, configuration: Snapshot?
  ) throws -> Set<String>? {
    let changed = Set(changes.filter { $0.status != .deleted }.map(\.path))
    if changed.contains(KeelConfig.fileName) { return nil }
    let config = try KeelConfig.load(from: configuration ?? snapshot)
    var result = Set(changed.filter { config.kind(for: $0) != nil })
    let affectedKinds = config.kinds.filter { kind in
      [kind.schema, kind.template, kind.workflow].contains { $0.map(changed.contains) ?? false }
        || (kind.schema.map { schema in changed.contains { isSchemaNeighbour($0, of: schema) } } ?? false)
    }
    if !affectedKinds.isEmpty {
      for path in try snapshot.paths() where affectedKinds.contains(where: { $0.matches(path) }) {
        result.insert(path)
      }
    }
    return result
  }

  /// A schema file in the same folder as a kind's schema may be `$ref`ed by it.
  private static func isSchemaNeighbour(_ path: String, of schema: String) -> Bool {
    let folder = (schema as NSString).deletingLastPathComponent
    return (path as NSString).deletingLastPathComponent == folder
      && [".json", ".yaml", ".yml"].contains { path.lowercased().hasSuffix($0) }
  }

  /// Review-mode rows: each checked document and its change.
  func summaries(for result: CheckResult) -> [DocumentSummary] {
    guard !changes.isEmpty else { return [] }
    return changes.compactMap { change in
      guard let kind = result.context.config.kind(for: change.path) else { return nil }
      let field = result.context.kindResources.workflows[kind.name]?.field ?? "status"
      let document = result.documents[change.path]
      return DocumentSummary(
        path: change.path, kind: kind.name, change: DocumentSummary.Change(change.status),
        previousPath: change.previousPath, stateBefore: result.context.review?.stateBefore(change.path),
        stateAfter: document?.field(field))
    }
  }

  /// What the checker compares the snapshot with (review mode and `--staged`):
  /// status changes are checked against the base, new documents must start
  /// in an initial state.
  var reviewBase: ReviewBase? {
    guard let baseSnapshot else { return nil }
    return ReviewBase(
      snapshot: baseSnapshot, configuration: baseConfiguration,
      changes: changes.map {
        ReviewChange(path: $0.path, previousPath: $0.previousPath, change: DocumentSummary.Change($0.status))
      })
  }
}

extension DocumentSummary.Change {
  init(_ status: PathChange.Status) {
    switch status {
    case .added: self = .added
    case .modified: self = .modified
    case .renamed: self = .renamed
    case .deleted: self = .deleted
    }
  }
}
