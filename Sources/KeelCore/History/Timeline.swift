import Foundation

/// One change to a document, with its workflow state before and after.
public struct TimelineEntry: Sendable, Hashable {
  public var commit: HistoryCommit
  public var change: ChangeKind
  public var path: String
  public var previousPath: String?
  public var oldBlob: String?
  public var newBlob: String?
  /// The state in the parent and in the commit (nil: no document there, or no state).
  public var stateBefore: String?
  public var stateAfter: String?
  public var date: Date { commit.authorDate }
}

/// Every change to one document, oldest first, across renames.
public struct DocumentTimeline: Sendable {
  public var kind: String
  public var workflow: WorkflowInfo
  public var entries: [TimelineEntry]
  /// The document's latest path.
  public var path: String { entries.last?.path ?? "" }
  public var isDeleted: Bool { entries.last?.change == .deleted }
}

/// Builds the timelines of every document (a path of a keel kind) over a list of commits, following
/// renames between documents. Merge commits are skipped, as in `keel history`: every change is
/// counted once, at the commit that made it.
public struct TimelineBuilder {
  public var configuration: HistoryConfiguration
  /// Repository path of keel.yaml's folder (`examples/product-ops`), or empty: only documents under it
  /// count, with paths relative to it.
  public var prefix: String
  public var scalars: ScalarCache

  public init(configuration: HistoryConfiguration, prefix: String = "", scalars: ScalarCache = ScalarCache(file: nil)) {
    self.configuration = configuration
    self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
    self.scalars = scalars
  }

  /// Which states a timeline needs: every entry's (metrics), or only the state before the first
  /// entry and after the last (changelog: a fraction of the blobs to read).
  public enum States: Sendable {
    case all, endpoints
  }

  /// - Parameter records: commits newest first (walk order).
  public func timelines(records: [CommitRecord], source: HistorySource, states: States = .all) -> [DocumentTimeline] {
    var timelines: [DocumentTimeline] = []
    var live: [String: Int] = [:]
    let read: (String) throws -> Data = { try source.readBlob($0) }

    // The same few thousand paths come back in thousands of commits: match their globs once.
    var kinds: [String: HistoryConfiguration.Kind?] = [:]
    func kind(of path: String) -> HistoryConfiguration.Kind? {
      if let known = kinds[path] { return known }
      // A file keel cannot read as Markdown, YAML or JSON is no document (`config/unreadable-documents`).
      let found = DocumentFormat(path: path) == nil ? nil : configuration.kind(for: path)
      kinds[path] = found
      return found
    }
    func format(of path: String) -> DocumentFormat { .of(path: path, header: kind(of: path)?.header ?? .yaml) }

    func state(_ blob: String?, path: String, workflow: WorkflowInfo) -> String? {
      guard let blob else { return nil }
      return scalars.fields(ofBlob: blob, path: path, format: format(of: path), read: read)[workflow.field]
    }

    /// The changes of a commit to documents, with paths relative to the prefix, and their kinds.
    func documents(of record: CommitRecord) -> [(TreeChange, HistoryConfiguration.Kind)] {
      guard let list = record.changes.first else { return [] }
      var documents: [(TreeChange, HistoryConfiguration.Kind)] = []
      for change in list {
        guard change.path.hasPrefix(prefix) else { continue }
        var local = change
        local.path = String(change.path.dropFirst(prefix.count))
        if let kind = kind(of: local.path) { documents.append((local, kind)) }
      }
      return documents
    }

    let changed = records.map { $0.isMerge ? [] : documents(of: $0) }
    // The contents rename detection compares (documents added and deleted in one commit), read
    // with the states, in one batch.
    var renameBlobs = Set<String>()
    for documents in changed {
      guard documents.contains(where: { $0.0.isAddition }), documents.contains(where: { $0.0.isDeletion }) else {
        continue
      }
      for (change, _) in documents {
        if change.isAddition, let blob = change.newBlob { renameBlobs.insert(blob) }
        if change.isDeletion, let blob = change.oldBlob { renameBlobs.insert(blob) }
      }
    }
    var wanted: [(blob: String, path: String)] = []
    if states == .all {
      // Every version's state is needed: read them all up front, on every core.
      for documents in changed {
        for (change, _) in documents {
          if let blob = change.oldBlob { wanted.append((blob, change.path)) }
          if let blob = change.newBlob { wanted.append((blob, change.path)) }
        }
      }
    }
    let contents = scalars.prefetch(wanted, format: format(of:), keeping: renameBlobs, read: source.readBlobs)
    let readContent: (String) throws -> Data = { id in try contents[id] ?? source.readBlob(id) }

    for (record, documents) in zip(records, changed).reversed() {
      guard !documents.isEmpty else { continue }
      let added = documents.filter { $0.0.isAddition }.map(\.0)
      let deleted = documents.filter { $0.0.isDeletion }.map(\.0)
      var renamedFrom: [String: TreeChange] = [:]
      var renamedSources = Set<String>()
      if !added.isEmpty && !deleted.isEmpty {
        for rename in RenameDetector.renames(added: added, deleted: deleted, read: readContent) {
          renamedFrom[rename.destination.path] = rename.source
          renamedSources.insert(rename.source.path)
        }
      }
      for (change, kind) in documents {
        if renamedSources.contains(change.path) { continue }  // reported as the rename's destination
        var entry = TimelineEntry(
          commit: record.commit, change: .modified, path: change.path, previousPath: nil, oldBlob: change.oldBlob,
          newBlob: change.newBlob, stateBefore: nil, stateAfter: nil)
        let index: Int
        if let source = renamedFrom[change.path] {
          entry.change = .renamed
          entry.previousPath = source.path
          entry.oldBlob = source.oldBlob
          index = live.removeValue(forKey: source.path) ?? newTimeline(kind, &timelines)
        } else if change.isAddition {
          entry.change = .added
          index = live[change.path] ?? newTimeline(kind, &timelines)
        } else if change.isDeletion {
          entry.change = .deleted
          index = live.removeValue(forKey: change.path) ?? newTimeline(kind, &timelines)
        } else {
          index = live[change.path] ?? newTimeline(kind, &timelines)
        }
        if entry.change != .deleted { live[change.path] = index }
        if states == .all {
          let workflow = timelines[index].workflow
          entry.stateBefore = state(entry.oldBlob, path: entry.previousPath ?? entry.path, workflow: workflow)
          entry.stateAfter = state(entry.newBlob, path: entry.path, workflow: workflow)
        }
        timelines[index].entries.append(entry)
      }
    }
    if states == .endpoints {
      var wanted: [(blob: String, path: String)] = []
      for timeline in timelines {
        guard let first = timeline.entries.first, let last = timeline.entries.last else { continue }
        if let blob = first.oldBlob { wanted.append((blob, first.previousPath ?? first.path)) }
        if let blob = last.newBlob { wanted.append((blob, last.path)) }
      }
      scalars.prefetch(wanted, format: format(of:), read: source.readBlobs)
      for index in timelines.indices where !timelines[index].entries.isEmpty {
        let workflow = timelines[index].workflow
        let first = timelines[index].entries[0]
        timelines[index].entries[0].stateBefore = state(
          first.oldBlob, path: first.previousPath ?? first.path, workflow: workflow)
        let lastIndex = timelines[index].entries.count - 1
        let last = timelines[index].entries[lastIndex]
        timelines[index].entries[lastIndex].stateAfter = state(last.newBlob, path: last.path, workflow: workflow)
      }
    }
    return timelines
  }

  private func newTimeline(_ kind: HistoryConfiguration.Kind, _ timelines: inout [DocumentTimeline]) -> Int {
    timelines.append(DocumentTimeline(kind: kind.name, workflow: kind.workflow, entries: []))
    return timelines.count - 1
  }
}
