import Foundation

/// One change to a document, with its workflow state before and after.
public struct TimelineEntry: Sendable, Hashable {
  public var commit: HistoryCommit
  /// A change to a folder document's body file only: `path` is the document's (its metadata
  /// file's), the blobs are nil and the state is the one the document already had.
  public var change: ChangeKind
  public var path: String
  public var previousPath: String?
  public var oldBlob: String?
  public var newBlob: String?
  /// The state in the parent and in the commit (nil: no document there, or no state).
  public var stateBefore: String?
  public var stateAfter: String?
  public var isBodyChange = false
  public var date: Date { commit.authorDate }
}

/// Every change to one document, oldest first, across renames.
public struct DocumentTimeline: Sendable {
  public var kind: String
  public var workflow: WorkflowInfo
  public var entries: [TimelineEntry]
  /// The metadata file of a folder document (`kep.yaml`); nil for a document that is one file.
  public var metadata: String? = nil
  /// The document's latest path (a folder document's: its metadata file's).
  public var path: String { entries.last?.path ?? "" }
  public var isDeleted: Bool { entries.last?.change == .deleted }

  /// How reports name a document path of this timeline: a folder document by its folder
  /// (`keps/sig-x/1234-foo`), not its metadata file.
  public func displayPath(_ path: String) -> String {
    guard let metadata, path.hasSuffix("/" + metadata) else { return path }
    return String(path.dropLast(metadata.count + 1))
  }
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

  /// Which states a timeline needs: every entry's (metrics), only the state before the first
  /// entry and after the last (changelog: a fraction of the blobs to read), or none (when each
  /// document was first committed: `template-since:` in `--staged` and review mode).
  public enum States: Sendable {
    case all, endpoints, none
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
    // A folder document's body file: a change of the document whose metadata file is given.
    var bodyOf: [String: String?] = [:]
    let bodyNames = configuration.bodyNames
    func document(ofBody path: String) -> String? {
      let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
      guard bodyNames.contains(String(name)) else { return nil }
      if let known = bodyOf[path] { return known }
      let found = configuration.document(ofBody: path).flatMap { kind(of: $0) != nil ? $0 : nil }
      bodyOf[path] = found
      return found
    }

    func state(_ blob: String?, path: String, workflow: WorkflowInfo) -> String? {
      guard let blob else { return nil }
      return scalars.fields(ofBlob: blob, path: path, format: format(of: path), read: read)[workflow.field]
    }

    if states == .all {
      // Every version's state is needed: read them all up front, on every core.
      var wanted: [(blob: String, path: String)] = []
      for record in records where !record.isMerge {
        for change in record.changes.first ?? [] where change.path.hasPrefix(prefix) {
          let path = String(change.path.dropFirst(prefix.count))
          guard kind(of: path) != nil else { continue }
          if let blob = change.oldBlob { wanted.append((blob, path)) }
          if let blob = change.newBlob { wanted.append((blob, path)) }
        }
      }
      scalars.prefetch(wanted, format: format(of:), read: read)
    }

    for record in records.reversed() where !record.isMerge {
      guard let list = record.changes.first else { continue }
      var documents: [(TreeChange, HistoryConfiguration.Kind)] = []
      var bodies: [(change: TreeChange, document: String)] = []
      for change in list {
        guard change.path.hasPrefix(prefix) else { continue }
        var local = change
        local.path = String(change.path.dropFirst(prefix.count))
        if let kind = kind(of: local.path) {
          documents.append((local, kind))
        } else if let document = document(ofBody: local.path) {
          bodies.append((local, document))
        }
      }
      guard !documents.isEmpty || !bodies.isEmpty else { continue }
      var touched = Set<Int>()
      let added = documents.filter { $0.0.isAddition }.map(\.0)
      let deleted = documents.filter { $0.0.isDeletion }.map(\.0)
      var renamedFrom: [String: TreeChange] = [:]
      var renamedSources = Set<String>()
      if !added.isEmpty && !deleted.isEmpty {
        for rename in RenameDetector.renames(added: added, deleted: deleted, read: read) {
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
        touched.insert(index)
      }
      // Body files last: one entry per document and commit, so a commit that changed both files
      // is counted once.
      for (change, document) in bodies {
        let index: Int
        if let live = live[document] {
          index = live
        } else if change.isDeletion {
          continue  // the document went with its metadata file
        } else if let kind = kind(of: document) {
          index = newTimeline(kind, &timelines)
          live[document] = index
        } else {
          continue
        }
        guard touched.insert(index).inserted else { continue }
        let state = timelines[index].entries.last?.stateAfter
        // Added: a folder whose body file comes first (not one whose earlier commits are outside the range).
        let added = timelines[index].entries.isEmpty && change.isAddition
        var entry = TimelineEntry(
          commit: record.commit, change: added ? .added : .modified, path: document,
          previousPath: nil, oldBlob: nil, newBlob: nil, stateBefore: state, stateAfter: state)
        entry.isBodyChange = true
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
      scalars.prefetch(wanted, format: format(of:), read: read)
      for index in timelines.indices where !timelines[index].entries.isEmpty {
        let workflow = timelines[index].workflow
        let entries = timelines[index].entries
        // A folder document's body changes hold no state: the first and last changes of its
        // metadata file say what it was before and after.
        let first = entries.first { !$0.isBodyChange } ?? entries[0]
        timelines[index].entries[0].stateBefore =
          first.change == .added
          ? nil : state(first.oldBlob, path: first.previousPath ?? first.path, workflow: workflow)
        let last = entries.last { !$0.isBodyChange } ?? entries[entries.count - 1]
        timelines[index].entries[entries.count - 1].stateAfter = state(
          last.newBlob, path: last.path, workflow: workflow)
      }
    }
    return timelines
  }

  private func newTimeline(_ kind: HistoryConfiguration.Kind, _ timelines: inout [DocumentTimeline]) -> Int {
    timelines.append(DocumentTimeline(kind: kind.name, workflow: kind.workflow, entries: [], metadata: kind.metadata))
    return timelines.count - 1
  }
}
