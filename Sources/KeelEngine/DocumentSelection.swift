import Foundation
import KeelCore

/// What a check reads: the working tree, the index, one revision, or a change between two.
public enum SelectionRequest: Sendable, Equatable {
  /// The working tree (keel.yaml's folder).
  case workingTree
  /// `--staged`: the index; `all` checks every staged document, not only the changed ones.
  case staged(all: Bool)
  /// `--rev REV`: a commit's tree, without a checkout.
  case revision(String)
  /// `--base BASE [--head HEAD]`: review mode; no head is the working tree.
  case review(base: String, head: String?)
}

/// The newer side of a comparison of snapshots.
public enum SelectionTarget: Sendable, Hashable {
  case revision(String)
  case index
  case workingTree
}

/// Where a selection finds its snapshots and changes: a `Workspace` (Git and the file system), or
/// snapshots in memory (tests). Every path is relative to keel.yaml's folder.
public protocol SnapshotSource {
  func workingTree() throws -> Snapshot
  func index() throws -> Snapshot
  func revision(_ revision: String) throws -> Snapshot
  /// Where `snapshot`'s keel.yaml is read (`Workspace.configuration(for:borrowing:)`); nil: itself.
  func configuration(for snapshot: Snapshot, borrowing: Bool) throws -> Snapshot?
  /// Throws when there is no repository to serve `purpose` (`--base`).
  func requireGit(for purpose: String) throws
  /// False before the first commit.
  func hasCommits(for purpose: String) throws -> Bool
  /// The merge base of two revisions (else `base` itself), as a revision.
  func mergeBase(_ base: String, _ head: String) throws -> String
  /// What changed from `base` to `head`, renames detected.
  func changes(from base: String, to head: SelectionTarget) throws -> [ReviewChange]
}

/// Which snapshot a check reads and which of its documents it checks.
public struct DocumentSelection: Sendable {
  public let snapshot: Snapshot
  /// Where the snapshot's keel.yaml and the files it names are read; nil: the snapshot itself.
  public var configuration: Snapshot? = nil
  /// What was checked, for reports: `working tree`, `index`, `HEAD~1 (3f2a9c1)`, `main..feature`.
  public let label: String
  /// nil: every document.
  public let documentPaths: Set<String>?
  /// Review mode and --staged: what changed, in keel-root-relative paths.
  public let changes: [ReviewChange]
  /// Review mode: the base snapshot.
  public let baseSnapshot: Snapshot?
  /// Review mode: where the base's keel.yaml and workflows are read (`--config`); nil: the base itself.
  public var baseConfiguration: Snapshot? = nil
  /// keel.yaml of the snapshot (read from `configuration ?? snapshot`), read once for the whole check.
  public let config: KeelConfig

  /// Every document of one snapshot.
  init(snapshot: Snapshot, configuration: Snapshot?, label: String) throws {
    try self.init(
      snapshot: snapshot, configuration: configuration, label: label, documentPaths: nil, changes: [],
      baseSnapshot: nil)
  }

  init(
    snapshot: Snapshot, configuration: Snapshot?, label: String, documentPaths: Set<String>?,
    changes: [ReviewChange], baseSnapshot: Snapshot?, baseConfiguration: Snapshot? = nil, config: KeelConfig? = nil
  ) throws {
    self.config = try config ?? KeelConfig.load(from: configuration ?? snapshot)
    self.snapshot = snapshot
    self.configuration = configuration
    self.label = label
    self.documentPaths = documentPaths
    self.changes = changes
    self.baseSnapshot = baseSnapshot
    self.baseConfiguration = baseConfiguration
  }

  /// `--staged` checks what the commit changes (against HEAD, whose workflow judges status
  /// changes, so that the hook stops an illegal jump before it is committed); `--base` what the
  /// head changed since the merge base (like a pull request: what landed on the base branch
  /// meanwhile is not a change of the head).
  public static func resolve(_ request: SelectionRequest, in source: some SnapshotSource) throws -> DocumentSelection {
    switch request {
    case .workingTree:
      let snapshot = try source.workingTree()
      return try DocumentSelection(
        snapshot: snapshot, configuration: try source.configuration(for: snapshot, borrowing: true),
        label: "working tree")
    case .revision(let revision):
      let snapshot = try source.revision(revision)
      return try DocumentSelection(
        snapshot: snapshot, configuration: try source.configuration(for: snapshot, borrowing: true),
        label: snapshot.label)
    case .staged(let all):
      let snapshot = try source.index()
      let configuration = try source.configuration(for: snapshot, borrowing: true)
      guard !all, try source.hasCommits(for: "--staged") else {
        return try DocumentSelection(snapshot: snapshot, configuration: configuration, label: "index")
      }
      return try comparing(
        snapshot, configuration: configuration, label: "index", changes: source.changes(from: "HEAD", to: .index),
        base: "HEAD", in: source)
    case .review(let base, let head):
      try source.requireGit(for: "--base")
      let snapshot = try head.map { try source.revision($0) } ?? source.workingTree()
      let configuration = try source.configuration(for: snapshot, borrowing: true)
      let mergeBase = try source.mergeBase(base, head ?? "HEAD")
      return try comparing(
        snapshot, configuration: configuration, label: "\(base)..\(head ?? "working tree")",
        changes: source.changes(from: mergeBase, to: head.map { .revision($0) } ?? .workingTree), base: mergeBase,
        in: source)
    }
  }

  private static func comparing(
    _ snapshot: Snapshot, configuration: Snapshot?, label: String, changes: [ReviewChange], base: String,
    in source: some SnapshotSource
  ) throws -> DocumentSelection {
    let baseSnapshot = try source.revision(base)
    let config = try KeelConfig.load(from: configuration ?? snapshot)
    return try DocumentSelection(
      snapshot: snapshot, configuration: configuration, label: label,
      documentPaths: try affectedDocuments(changes, in: snapshot, config: config), changes: changes,
      baseSnapshot: baseSnapshot,
      baseConfiguration: try source.configuration(for: baseSnapshot, borrowing: false), config: config)
  }

  /// Documents added or changed, plus every document of a kind whose schema,
  /// template or workflow changed; nil (everything) when keel.yaml changed.
  static func affectedDocuments(_ changes: [ReviewChange], in snapshot: Snapshot, config: KeelConfig) throws
    -> Set<String>?
  {
    let changed = Set(changes.filter { $0.change != .deleted }.map(\.path))
    if changed.contains(KeelConfig.fileName) { return nil }
    // A folder document is checked again when its metadata file or its body file changes.
    var result = Set(changed.compactMap { config.document(containing: $0) })
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
        path: change.path, kind: kind.name, change: change.change, previousPath: change.previousPath,
        stateBefore: result.context.review?.stateBefore(change.path), stateAfter: document?.field(field))
    }
  }

  /// What the checker compares the snapshot with (review mode and `--staged`):
  /// status changes are checked against the base, new documents must start
  /// in an initial state.
  public var reviewBase: ReviewBase? {
    guard let baseSnapshot else { return nil }
    return ReviewBase(snapshot: baseSnapshot, configuration: baseConfiguration, changes: changes)
  }
}
