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
/// renames as `keel history` does. Merge commits are skipped, as in `keel history`: every change is
/// counted once, at the commit that made it.
///
/// A document's timeline also holds the versions it had before it was moved into its kind's glob
/// (a readable file renamed into it, or a Markdown file that became a folder document's body), so
/// that it enters a state when it first had it. States are read through `DocumentStates`, with the
/// workflow of the document's latest kind.
public struct TimelineBuilder {
  public var configuration: HistoryConfiguration
  /// Repository path of keel.yaml's folder (`examples/product-ops`), or empty: only documents under it
  /// count, with paths relative to it.
  public var prefix: String
  public var scalars: ScalarCache
  /// How every version's state is read.
  public let states: DocumentStates

  public init(configuration: HistoryConfiguration, prefix: String = "", scalars: ScalarCache = ScalarCache(file: nil)) {
    self.configuration = configuration
    self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
    self.scalars = scalars
    states = DocumentStates(configuration: configuration, prefix: self.prefix, scalars: scalars)
  }

  /// Which states a timeline needs: every entry's (metrics), or only the state before the first
  /// entry and after the last (changelog: a fraction of the blobs to read).
  public enum States: Sendable {
    case all, endpoints
  }

  /// - Parameter records: commits newest first (walk order).
  public func timelines(records: [CommitRecord], source: HistorySource, states wanted: States = .all)
    -> [DocumentTimeline]
  {
    var timelines: [DocumentTimeline] = []
    var live: [String: Int] = [:]
    /// Readable files that are no document (yet), by path: their versions so far, oldest first, which
    /// become the first versions of the document they are moved into.
    var outside: [String: [TimelineEntry]] = [:]
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

    for record in records.reversed() where !record.isMerge {
      guard let list = record.changes.first else { continue }
      var documents: [(TreeChange, HistoryConfiguration.Kind)] = []
      var others: [TreeChange] = []
      for change in list {
        guard change.path.hasPrefix(prefix) else { continue }
        var local = change
        local.path = String(change.path.dropFirst(prefix.count))
        if let kind = kind(of: local.path) {
          documents.append((local, kind))
        } else if DocumentFormat(path: local.path) != nil {
          others.append(local)
        }
      }
      guard !documents.isEmpty || !others.isEmpty else { continue }
      let renamedFrom = renameSources(documents: documents, others: others, read: read)
      let renamedSources = Set(renamedFrom.values.map(\.path))
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
          if let existing = live.removeValue(forKey: source.path) {
            index = existing
          } else {
            // Moved into the glob: the file's versions so far are the document's first ones.
            index = newTimeline(kind, &timelines)
            timelines[index].entries = outside.removeValue(forKey: source.path) ?? []
          }
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
        // The document follows its latest kind's workflow.
        timelines[index].kind = kind.name
        timelines[index].workflow = kind.workflow
        timelines[index].entries.append(entry)
      }
      for change in others where !renamedSources.contains(change.path) {
        let entry = TimelineEntry(
          commit: record.commit, change: change.isAddition ? .added : change.isDeletion ? .deleted : .modified,
          path: change.path, previousPath: nil, oldBlob: change.oldBlob, newBlob: change.newBlob, stateBefore: nil,
          stateAfter: nil)
        switch entry.change {
        case .added: outside[change.path] = [entry]
        case .deleted: outside[change.path] = nil
        default: outside[change.path, default: []].append(entry)
        }
      }
    }
    assignStates(&timelines, wanted, read: read)
    return timelines
  }

  /// The source of each document a commit renamed (by destination path): a document or another
  /// readable file it deleted, or, for a folder document whose metadata file appears with its body
  /// file, the Markdown file that body was before.
  private func renameSources(
    documents: [(TreeChange, HistoryConfiguration.Kind)], others: [TreeChange], read: (String) throws -> Data
  ) -> [String: TreeChange] {
    let added = documents.filter { $0.0.isAddition }.map(\.0)
    let deleted = documents.filter { $0.0.isDeletion }.map(\.0) + others.filter(\.isDeletion)
    guard !added.isEmpty && !deleted.isEmpty else { return [:] }
    var sources: [String: TreeChange] = [:]
    for rename in RenameDetector.renames(added: added, deleted: deleted, read: read) {
      sources[rename.destination.path] = rename.source
    }
    // A folder document's metadata file (new) with its body file, renamed from a file that is no document.
    let used = Set(sources.values.map(\.path))
    let unusedOthers = others.filter { $0.isDeletion && !used.contains($0.path) }
    var metadataByBody: [String: String] = [:]
    for (change, _) in documents where change.isAddition && sources[change.path] == nil {
      if let body = configuration.bodyPath(ofDocument: change.path) { metadataByBody[body] = change.path }
    }
    let bodies = others.filter { $0.isAddition && metadataByBody[$0.path] != nil }
    guard !bodies.isEmpty, !unusedOthers.isEmpty else { return sources }
    for rename in RenameDetector.renames(added: bodies, deleted: unusedOthers, read: read) {
      sources[metadataByBody[rename.destination.path]!] = rename.source
    }
    return sources
  }

  /// Reads the states each timeline needs (every entry's, or the endpoints'), with the workflow of
  /// the document's latest kind, all through `DocumentStates`.
  private func assignStates(_ timelines: inout [DocumentTimeline], _ wanted: States, read: (String) throws -> Data) {
    var versions: [(blob: String, path: String)] = []
    for timeline in timelines {
      for (offset, entry) in timeline.entries.enumerated() {
        if wanted == .all || offset == 0, let blob = entry.oldBlob {
          versions.append((blob, prefix + (entry.previousPath ?? entry.path)))
        }
        if wanted == .all || offset == timeline.entries.count - 1, let blob = entry.newBlob {
          versions.append((blob, prefix + entry.path))
        }
      }
    }
    states.prefetch(versions, read: read)
    for index in timelines.indices {
      let workflow = timelines[index].workflow
      let count = timelines[index].entries.count
      for offset in 0..<count where wanted == .all || offset == 0 || offset == count - 1 {
        let entry = timelines[index].entries[offset]
        if wanted == .all || offset == 0 {
          timelines[index].entries[offset].stateBefore = states.state(
            ofBlob: entry.oldBlob, at: prefix + (entry.previousPath ?? entry.path), workflow: workflow, read: read)
        }
        if wanted == .all || offset == count - 1 {
          timelines[index].entries[offset].stateAfter = states.state(
            ofBlob: entry.newBlob, at: prefix + entry.path, workflow: workflow, read: read)
        }
      }
    }
  }

  private func newTimeline(_ kind: HistoryConfiguration.Kind, _ timelines: inout [DocumentTimeline]) -> Int {
    timelines.append(DocumentTimeline(kind: kind.name, workflow: kind.workflow, entries: []))
    return timelines.count - 1
  }
}
