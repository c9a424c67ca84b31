import Foundation

/// One file a change touches, in paths relative to keel.yaml's folder.
public struct ReviewChange: Sendable, Hashable {
  /// The path in the newer snapshot (the old path for `deleted`).
  public var path: String
  /// The path in the older snapshot, for `renamed`.
  public var previousPath: String?
  public var change: DocumentSummary.Change

  public init(path: String, previousPath: String? = nil, change: DocumentSummary.Change) {
    self.path = path
    self.previousPath = previousPath
    self.change = change
  }
}

/// What a check compares against in review mode (`--base`), for `--staged`
/// and for `keel transition`: the older snapshot and what changed since.
public struct ReviewBase: Sendable {
  public var snapshot: Snapshot
  /// Where the base's keel.yaml and workflows are read; nil: `snapshot` (see `Checker.configuration`).
  public var configuration: Snapshot?
  public var changes: [ReviewChange]

  public init(snapshot: Snapshot, configuration: Snapshot? = nil, changes: [ReviewChange]) {
    self.snapshot = snapshot
    self.configuration = configuration
    self.changes = changes
  }

  /// The changes between two snapshots found by comparing bytes (no rename
  /// detection: Git does that for real repositories). For tests and examples.
  public static func comparing(_ base: Snapshot, to head: Snapshot) throws -> ReviewBase {
    let basePaths = Set(try base.paths())
    let headPaths = Set(try head.paths())
    var changes: [ReviewChange] = []
    for path in headPaths.union(basePaths).sorted() {
      switch (basePaths.contains(path), headPaths.contains(path)) {
      case (false, true): changes.append(ReviewChange(path: path, change: .added))
      case (true, false): changes.append(ReviewChange(path: path, change: .deleted))
      default:
        if try base.read(path) != head.read(path) { changes.append(ReviewChange(path: path, change: .modified)) }
      }
    }
    return ReviewBase(snapshot: base, changes: changes)
  }
}

/// The older side of a review, as the workflow rules need it: the state each
/// changed document was in, under the workflow the base version had.
public struct ReviewState: Sendable {
  public struct Previous: Sendable {
    /// Path of the document in the base snapshot (differs after a rename).
    public var path: String
    /// The document's state in the base snapshot, if it had one.
    public var state: String?
    /// The base version's workflow for the base document's kind: a status
    /// change is checked against the transitions as they were before the change.
    public var workflow: Workflow?
    /// The document's id (its kind's `id-field`) in the base snapshot: references follow it.
    public var id: String? = nil
    /// The base version itself (a folder document with its body file): what
    /// `workflow/changed-after-approval` compares a document in a state that locks with.
    public var document: Document? = nil
  }

  /// Head path → the document as it was in the base (modified and renamed documents).
  public var previous: [String: Previous] = [:]
  /// Head paths of documents the change adds: they must start in an initial state.
  public var added: Set<String> = []
  /// Base path → state of each deleted document (the review summary shows it).
  public var deletedStates: [String: String] = [:]
  /// Base path → id (its kind's `id-field`) of each deleted document: references to it break.
  public var deletedIDs: [String: String] = [:]
  /// The base's people registry, KPI catalogue and glossary, each read only when the change
  /// touches its file (nil otherwise): a name one had that the head's lacks breaks the references
  /// naming it (`ReferenceIndex.removedNames`).
  public var people: PeopleRegistry?
  public var kpis: KPICatalogue?
  public var glossary: Glossary?

  public init() {}

  /// The state a document had before the change (by its head path, or by its
  /// old path when deleted).
  public func stateBefore(_ path: String) -> String? {
    previous[path]?.state ?? deletedStates[path]
  }

  /// Reads the base version of every changed document. The base snapshot's
  /// own keel.yaml and workflows (or those of `base.configuration`) decide its kinds and states; a
  /// base without a usable configuration (keel introduced by this very change) has no states.
  public static func build(base: ReviewBase, limits: ParseLimits = .default) -> ReviewState {
    var state = ReviewState()
    let keelFiles = base.configuration ?? base.snapshot
    let baseConfig = try? KeelConfig.load(from: keelFiles)
    var workflowsByPath: [String: Workflow?] = [:]
    func baseWorkflow(for path: String) -> (Workflow?, KindConfig)? {
      guard let kind = baseConfig?.kind(for: path) else { return nil }
      guard let workflowPath = kind.workflow else { return (nil, kind) }
      if workflowsByPath[workflowPath] == nil {
        let data = try? keelFiles.read(workflowPath, maxBytes: ReferenceFiles.limits(limits).maxFileBytes)
        workflowsByPath[workflowPath] = .some(
          data.flatMap { try? Workflow.load($0, path: workflowPath, limits: limits) })
      }
      return (workflowsByPath[workflowPath] ?? nil, kind)
    }
    func stateOf(_ path: String) -> (state: String?, workflow: Workflow?, id: String?, document: Document)? {
      // A base version over the size limit is not read (it has no state then).
      guard let (workflow, kind) = baseWorkflow(for: path) else { return nil }
      let body = kind.bodyPath(ofDocument: path).flatMap { base.snapshot.contains($0) ? $0 : nil }
      guard
        let contents = try? DocumentFiles.read(
          path, kind: kind, in: base.snapshot, paths: Set([body].compactMap { $0 }), limits: limits)
      else { return nil }
      let document = DocumentFiles.parse(path, kind: kind, contents: contents, blobID: nil, limits: limits)
      return (workflow.flatMap { document.field($0.field) }, workflow, document.field(kind.idField), document)
    }

    for change in base.changes {
      switch change.change {
      case .added:
        state.added.insert(change.path)
      case .deleted:
        let found = stateOf(change.path)
        if let before = found?.state { state.deletedStates[change.path] = before }
        if let id = found?.id { state.deletedIDs[change.path] = id }
      case .modified, .renamed, .unchanged:
        let basePath = change.previousPath ?? change.path
        if let found = stateOf(basePath) {
          state.previous[change.path] = Previous(
            path: basePath, state: found.state, workflow: found.workflow, id: found.id, document: found.document)
        } else if !base.snapshot.contains(basePath) {
          state.added.insert(change.path)
        }
      }
    }
    if let baseConfig {
      let touched = Set(base.changes.flatMap { [$0.path] + ($0.previousPath.map { [$0] } ?? []) })
      let registries = RegistrySnapshot(documents: base.snapshot, configuration: base.configuration)
      func touches(_ path: String?) -> Bool { path.map(touched.contains) ?? false }
      if touches(baseConfig.peoplePath) {
        state.people = PeopleRegistry.load(config: baseConfig, snapshot: registries, limits: limits).0
      }
      if touches(baseConfig.kpisPath) {
        state.kpis = KPICatalogue.load(config: baseConfig, snapshot: registries, limits: limits).0
      }
      if touches(baseConfig.glossaryPath) {
        state.glossary = Glossary.load(config: baseConfig, snapshot: registries, limits: limits, validate: false).0
      }
    }
    return state
  }
}
