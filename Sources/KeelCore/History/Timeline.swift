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
/// renames as `keel history` does. Merge commits are skipped, as in `keel history`: every change is
/// counted once, at the commit that made it. A change to a folder document's body file alone is a
/// change of the document (its metadata file's path), with the state it already had.
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
  /// Rename detection's results known from earlier runs, and where new ones are kept.
  public var renames: RenameResults?
  /// How every version's state is read.
  public let states: DocumentStates

  public init(
    configuration: HistoryConfiguration, prefix: String = "", scalars: ScalarCache = ScalarCache(file: nil),
    renames: RenameResults? = nil
  ) {
    self.configuration = configuration
    self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
    self.scalars = scalars
    self.renames = renames
    states = DocumentStates(configuration: configuration, prefix: self.prefix, scalars: scalars)
  }

  /// Which states a timeline needs: every entry's (metrics), only the state before the first
  /// entry and after the last (changelog: a fraction of the blobs to read), or none (when each
  /// document was first committed: `template-since:` in `--staged` and review mode).
  public enum States: Sendable {
    case all, endpoints, none
  }

  /// - Parameters:
  ///   - records: commits newest first (walk order).
  ///   - documents: only the timelines of these documents as they are at the newest commit (paths
  ///     relative to the prefix, as `DocumentTimeline.path`; no deleted ones), exactly as they are
  ///     among every document's, but only the commits that changed them or the files they were
  ///     renamed from are looked at (`followed`). Nil: every document's.
  public func timelines(
    records: [CommitRecord], source: HistorySource, states wanted: States = .all, documents: Set<String>? = nil
  ) -> [DocumentTimeline] {
    if let documents { return timelines(of: documents, in: records, source: source, states: wanted) }
    let classifier = ChangeClassifier(configuration: configuration, prefix: prefix, states: states)
    let changes = records.map { classifier.changes($0) }
    return timelines(
      records: records, changes: changes, known: Array(repeating: nil, count: records.count), classifier: classifier,
      source: source, states: wanted, documents: nil)
  }

  /// The timelines of `documents` as they are at the newest commit of `commits` (paths relative to
  /// the prefix, as `DocumentTimeline.path`; no deleted ones), exactly as they are among every
  /// document's, but only the commits that changed them or the files they were renamed from are
  /// read from `commits` (`followed`).
  public func timelines<Commits: CommitList>(
    of documents: Set<String>, in commits: Commits, source: HistorySource, states wanted: States = .all
  ) throws(Commits.Failure) -> [DocumentTimeline] {
    let classifier = ChangeClassifier(configuration: configuration, prefix: prefix, states: states)
    let (records, changes, known) = try followed(documents, in: commits, classifier: classifier, source: source)
    return timelines(
      records: records, changes: changes, known: known, classifier: classifier, source: source, states: wanted,
      documents: documents)
  }

  /// - Parameters:
  ///   - changes: each record's changes, classified (`ChangeClassifier`).
  ///   - known: each record's renames, when they are known before the walk (by destination path).
  private func timelines(
    records: [CommitRecord], changes: [Changed], known: [[String: TreeChange]?], classifier: ChangeClassifier,
    source: HistorySource, states wanted: States, documents: Set<String>?
  ) -> [DocumentTimeline] {
    var timelines: [DocumentTimeline] = []
    var live: [String: Int] = [:]
    /// Readable files that are no document (yet), by path: their versions so far, oldest first, which
    /// become the first versions of the document they are moved into.
    var outside: [String: [TimelineEntry]] = [:]
    var known = known
    // What rename detection may compare (the files of commits that add and delete some), read in
    // one batch with their states rather than one by one.
    var renameVersions: [(blob: String, path: String)] = []
    var unscored = Set<String>()
    for (position, (documents, bodies, others)) in changes.enumerated()
    where Self.mayRename(documents, bodies, others) {
      let additions = documents.map(\.0).filter(\.isAddition) + bodies.map(\.change).filter(\.isAddition)
      let deletions = documents.map(\.0).filter(\.isDeletion) + others.filter(\.isDeletion)
      guard !additions.isEmpty, !deletions.isEmpty else { continue }
      // Renames an earlier run found need no bytes and no score.
      if known[position] == nil, renames != nil {
        known[position] = renameSources(documents: documents, bodies: bodies, others: others, read: nil)
      }
      if known[position] != nil { continue }
      for change in additions { if let blob = change.newBlob { renameVersions.append((blob, prefix + change.path)) } }
      for change in deletions { if let blob = change.oldBlob { renameVersions.append((blob, prefix + change.path)) } }
      // Bytes only for the pairs whose similarity no earlier run remembered (`RenameScores`).
      for addition in additions {
        guard let new = addition.newBlob else { continue }
        for deletion in deletions {
          guard let old = deletion.oldBlob, old != new, scalars.score(old, new) == nil else { continue }
          unscored.insert(old)
          unscored.insert(new)
        }
      }
    }
    // Their states too when every state is wanted (the later prefetch then skips them).
    let contents = states.prefetch(
      wanted == .all ? renameVersions : [], keeping: unscored, read: source.readBlobs)
    let readContent: (String) throws -> Data = { try contents[$0] ?? source.readBlob($0) }

    // Oldest first, by index: a reversed zip of records and changes would copy every record.
    for position in records.indices.reversed() {
      let (documents, bodies, others) = changes[position]
      guard !documents.isEmpty || !bodies.isEmpty || !others.isEmpty else { continue }
      // Which timelines this commit changed, when a body file may change one of them again.
      var touched = Set<Int>()
      let renamedFrom =
        known[position]
        ?? (Self.mayRename(documents, bodies, others)
          ? renameSources(documents: documents, bodies: bodies, others: others, read: readContent) ?? [:] : [:])
      let renamedSources = renamedFrom.isEmpty ? [] : Set(renamedFrom.values.map(\.path))
      for (change, number) in documents {
        let kind = classifier.kindList[number]
        if renamedSources.contains(change.path) { continue }  // reported as the rename's destination
        var entry = TimelineEntry(
          commit: records[position].commit, change: .modified, path: change.path, previousPath: nil,
          oldBlob: change.oldBlob,
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
        // The document follows its latest kind's workflow (one configuration: a kind's name says it all).
        if timelines[index].kind != kind.name {
          timelines[index].kind = kind.name
          timelines[index].workflow = kind.workflow
          timelines[index].metadata = kind.metadata
        }
        timelines[index].entries.append(entry)
        if !bodies.isEmpty { touched.insert(index) }
      }
      // Body files after metadata files: one entry per document and commit, so a commit that changed
      // both files is counted once.
      for (change, document) in bodies {
        let index: Int
        if let live = live[document] {
          index = live
        } else if change.isDeletion {
          continue  // the document went with its metadata file
        } else if let number = classifier.kind(of: document) {
          index = newTimeline(classifier.kindList[number], &timelines)
          live[document] = index
        } else {
          continue
        }
        guard touched.insert(index).inserted else { continue }
        // Added: a folder whose body file comes first (not one whose earlier commits are outside the range).
        let added = timelines[index].entries.isEmpty && change.isAddition
        var entry = TimelineEntry(
          commit: records[position].commit, change: added ? .added : .modified, path: document,
          previousPath: nil, oldBlob: nil, newBlob: nil, stateBefore: nil, stateAfter: nil)
        entry.isBodyChange = true
        timelines[index].entries.append(entry)
      }
      for change in others where !renamedSources.contains(change.path) {
        let entry = TimelineEntry(
          commit: records[position].commit,
          change: change.isAddition ? .added : change.isDeletion ? .deleted : .modified,
          path: change.path, previousPath: nil, oldBlob: change.oldBlob, newBlob: change.newBlob, stateBefore: nil,
          stateAfter: nil)
        switch entry.change {
        case .added: outside[change.path] = [entry]
        case .deleted: outside[change.path] = nil
        default: outside[change.path, default: []].append(entry)
        }
      }
    }
    if let documents { timelines.removeAll { $0.isDeleted || !documents.contains($0.path) } }
    assignStates(&timelines, wanted, source: source)
    return timelines
  }

  /// The commits that make the timelines of `documents`, with their changes and the renames that
  /// matter in them: followed from the newest commit back, every commit that changed one of the
  /// documents' paths (a folder document's metadata and body files), and, where one was added by a
  /// rename, the path it came from, from there on back. A timeline only moves between paths at a
  /// commit that changed both, so these commits give a followed path the timelines a walk over every
  /// commit gives it, as long as the renames into followed paths are found as in that walk: among all
  /// the commit's files (`renameSources`). Renames into other paths are left out (a followed file
  /// renamed away is a deletion here, which ends its timeline as the move does: neither is at a
  /// followed path any more), so a commit that moves many other files is not compared pair by pair.
  ///
  /// Only the changes at followed paths are kept (a body file's: of a followed document): changes
  /// elsewhere would only make timelines of other documents, which the caller drops. So only those
  /// paths are matched against the kinds' globs, except in a commit that added a followed document,
  /// whose every change is classified to find where it came from.
  private func followed<Commits: CommitList>(
    _ documents: Set<String>, in commits: Commits, classifier: ChangeClassifier, source: HistorySource
  ) throws(Commits.Failure) -> (records: [CommitRecord], changes: [Changed], known: [[String: TreeChange]?]) {
    // Relative to the prefix, and as the repository paths that commits list.
    var paths = Set<String>()
    var repositoryPaths = FollowedPaths()
    func follow(_ path: String) {
      for path in [path] + [configuration.bodyPath(ofDocument: path)].compactMap({ $0 }) {
        paths.insert(path)
        repositoryPaths.insert(prefix + path)
      }
    }
    documents.forEach(follow)
    let read: (String) throws -> Data = { try source.readBlob($0) }
    var kept: (records: [CommitRecord], changes: [Changed], known: [[String: TreeChange]?]) = ([], [], [])
    for position in 0..<commits.commitCount {
      guard try commits.changes(anyOf: repositoryPaths, at: position) else { continue }
      let record = try commits.record(at: position)
      var change = classifier.changes(record, only: repositoryPaths)
      var renamed: [String: TreeChange] = [:]
      if change.documents.contains(where: { $0.0.isAddition && paths.contains($0.0.path) }) {
        let all = classifier.changes(record, remembering: false)
        let found = renameSources(documents: all.documents, bodies: all.bodies, others: all.others, read: read) ?? [:]
        for (destination, source) in found where paths.contains(destination) {
          renamed[destination] = source
          follow(source.path)
        }
        change = ChangeClassifier.kept(all, only: repositoryPaths, prefix: prefix)
      }
      kept.records.append(record)
      kept.changes.append(change)
      kept.known.append(renamed)
    }
    return kept
  }

  /// Whether a commit's changes may hold a rename (`renameSources`): something added and something
  /// deleted. Most commits only modify files.
  private static func mayRename(
    _ documents: [(TreeChange, kind: Int)], _ bodies: [(change: TreeChange, document: String)],
    _ others: [TreeChange]
  ) -> Bool {
    (documents.contains { $0.0.isAddition } || bodies.contains { $0.change.isAddition })
      && (documents.contains { $0.0.isDeletion } || others.contains(where: \.isDeletion))
  }

  /// The source of each document a commit renamed (by destination path): a document or another
  /// readable file it deleted, or, for a folder document whose metadata file appears with its body
  /// file, the file that body was before.
  ///
  /// - Parameter read: reads a blob for rename detection; nil: only renames `renames` remembers
  ///   are found, and the result is nil when one of them is not remembered.
  private func renameSources(
    documents: [(TreeChange, kind: Int)], bodies: [(change: TreeChange, document: String)],
    others: [TreeChange], read: ((String) throws -> Data)?
  ) -> [String: TreeChange]? {
    let added = documents.filter { $0.0.isAddition }.map(\.0)
    let deleted = documents.filter { $0.0.isDeletion }.map(\.0) + others.filter(\.isDeletion)
    guard !added.isEmpty && !deleted.isEmpty else { return [:] }
    func detect(added: [TreeChange], deleted: [TreeChange]) -> [RenameDetector.Rename]? {
      guard let read else {
        return renames?.renames(added: added, deleted: deleted, minimumScore: RenameDetector.defaultMinimumScore)
      }
      return RenameDetector.renames(added: added, deleted: deleted, read: read, scores: scalars, results: renames)
    }
    var sources: [String: TreeChange] = [:]
    guard let first = detect(added: added, deleted: deleted) else { return nil }
    for rename in first {
      sources[rename.destination.path] = rename.source
    }
    // A new folder document's body file, renamed from a file that is no document.
    let used = Set(sources.values.map(\.path))
    let unusedOthers = others.filter { $0.isDeletion && !used.contains($0.path) }
    let newDocuments = Set(added.map(\.path).filter { sources[$0] == nil })
    let newBodies = bodies.filter { $0.change.isAddition && newDocuments.contains($0.document) }
    guard !newBodies.isEmpty, !unusedOthers.isEmpty else { return sources }
    let documentOfBody = Dictionary(
      newBodies.map { ($0.change.path, $0.document) }, uniquingKeysWith: { first, _ in first })
    guard let second = detect(added: newBodies.map(\.change), deleted: unusedOthers) else { return nil }
    for rename in second {
      sources[documentOfBody[rename.destination.path]!] = rename.source
    }
    return sources
  }

  /// Reads the states each timeline needs (every entry's, or the endpoints'), with the workflow of
  /// the document's latest kind, all through `DocumentStates`. A body file's change keeps the state
  /// the document had; the endpoints are its first and last other changes.
  private func assignStates(_ timelines: inout [DocumentTimeline], _ wanted: States, source: HistorySource) {
    if wanted == .none { return }
    let read: (String) throws -> Data = { try source.readBlob($0) }
    // Entries are read field by field through `timelines[index]`: a copy of an entry, or of a
    // timeline's entries while states are written, costs retains of every string it holds (most
    // of a warm changelog).
    func ends(_ index: Int) -> (first: Int, last: Int)? {
      guard let first = timelines[index].entries.firstIndex(where: { !$0.isBodyChange }),
        let last = timelines[index].entries.lastIndex(where: { !$0.isBodyChange })
      else { return nil }
      return (first, last)
    }
    /// The blob and path of the version before and after an entry.
    func before(_ index: Int, _ offset: Int) -> (blob: String?, path: String) {
      (
        timelines[index].entries[offset].oldBlob,
        timelines[index].entries[offset].previousPath ?? timelines[index].entries[offset].path
      )
    }
    func after(_ index: Int, _ offset: Int) -> (blob: String?, path: String) {
      (timelines[index].entries[offset].newBlob, timelines[index].entries[offset].path)
    }
    var versions: [(blob: String, path: String)] = []
    for index in timelines.indices {
      guard let (first, last) = ends(index) else { continue }
      let offsets = wanted == .all ? Array(first...last) : first == last ? [first] : [first, last]
      for offset in offsets where !timelines[index].entries[offset].isBodyChange {
        if wanted == .all || offset == first, case let (blob?, path) = before(index, offset) {
          versions.append((blob, prefix + path))
        }
        if wanted == .all || offset == last, case let (blob?, path) = after(index, offset) {
          versions.append((blob, prefix + path))
        }
      }
    }
    states.prefetch(versions, read: source.readBlobs)
    func state(_ version: (blob: String?, path: String), _ workflow: WorkflowInfo) -> String? {
      states.state(ofBlob: version.blob, at: prefix + version.path, workflow: workflow, read: read)
    }
    for index in timelines.indices {
      let workflow = timelines[index].workflow
      guard let (first, last) = ends(index) else { continue }
      switch wanted {
      case .none:
        return
      case .endpoints:
        let stateBefore = state(before(index, first), workflow)
        let stateAfter = state(after(index, last), workflow)
        timelines[index].entries[0].stateBefore = stateBefore
        timelines[index].entries[timelines[index].entries.count - 1].stateAfter = stateAfter
      case .all:
        var current: String?
        for offset in timelines[index].entries.indices {
          if timelines[index].entries[offset].isBodyChange {
            timelines[index].entries[offset].stateBefore = current
            timelines[index].entries[offset].stateAfter = current
            continue
          }
          timelines[index].entries[offset].stateBefore = state(before(index, offset), workflow)
          current = state(after(index, offset), workflow)
          timelines[index].entries[offset].stateAfter = current
        }
      }
    }
  }

  private func newTimeline(_ kind: HistoryConfiguration.Kind, _ timelines: inout [DocumentTimeline]) -> Int {
    timelines.append(DocumentTimeline(kind: kind.name, workflow: kind.workflow, entries: [], metadata: kind.metadata))
    return timelines.count - 1
  }
}

/// A commit's changes under the prefix (paths relative to it): documents (with their kind's number
/// in `ChangeClassifier.kindList`), folder documents' body files, and other readable files.
private typealias Changed = (
  documents: [(TreeChange, kind: Int)], bodies: [(change: TreeChange, document: String)],
  others: [TreeChange]
)

/// Sorts commits' changes into `Changed`. The same few thousand paths come back in thousands of
/// commits: each path's globs are matched once. `DocumentStates` matches them for the states too:
/// its answer is kept here without its lock. Kinds are numbered (`kindList`): every commit's changes
/// are kept until the walk ends, and a number costs less to copy and to free than a kind with its
/// workflow.
private final class ChangeClassifier {
  let configuration: HistoryConfiguration
  let prefix: String
  let states: DocumentStates
  private(set) var kindList: [HistoryConfiguration.Kind] = []
  private var kindNumbers: [String: Int] = [:]
  private var kinds: [String: Int?] = [:]
  /// A folder document's body file: a change of the document whose metadata file is given.
  private var bodyOf: [String: String?] = [:]
  private let bodyNames: Set<String>

  init(configuration: HistoryConfiguration, prefix: String, states: DocumentStates) {
    self.configuration = configuration
    self.prefix = prefix
    self.states = states
    bodyNames = configuration.bodyNames
  }

  /// - Parameter remembering: keep the answer (false: a path of one commit looked at once).
  func kind(of path: String, remembering: Bool = true) -> Int? {
    if let known = kinds[path] { return known }
    let found = states.kind(ofLocal: path, remembering: remembering).map { kind in
      if let number = kindNumbers[kind.name] { return number }
      kindList.append(kind)
      kindNumbers[kind.name] = kindList.count - 1
      return kindList.count - 1
    }
    if remembering { kinds[path] = found }
    return found
  }

  /// The file name of `path` when it can be a folder document's body file.
  private func bodyName(_ path: String) -> Substring? {
    let name = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path[path.utf8.index(after: $0)...] } ?? path[...]
    return bodyNames.contains(String(name)) ? name : nil
  }

  func document(ofBody path: String, remembering: Bool = true) -> String? {
    guard bodyName(path) != nil else { return nil }
    if let known = bodyOf[path] { return known }
    let found = configuration.document(ofBody: path).flatMap {
      kind(of: $0, remembering: remembering) != nil ? $0 : nil
    }
    if remembering { bodyOf[path] = found }
    return found
  }

  /// The commit's changes against its parent (none for a merge).
  ///
  /// - Parameter remembering: keep each path's kind for later commits (false: the paths of a
  ///   commit looked at alone, such as one that moved every document).
  func changes(_ record: CommitRecord, remembering: Bool = true) -> Changed {
    var result: Changed = ([], [], [])
    guard !record.isMerge, let list = record.changes.first else { return result }
    for change in list { classify(change, into: &result, remembering: remembering) }
    return result
  }

  /// `changes(record)`, kept to the changes at `followed` (repository paths; a body file's: its
  /// document's), without matching the other paths against any glob.
  func changes(_ record: CommitRecord, only followed: FollowedPaths) -> Changed {
    var result: Changed = ([], [], [])
    guard !record.isMerge, let list = record.changes.first else { return result }
    for change in list {
      if followed.contains(change.path) {
        classify(change, into: &result)
      } else if let name = bodyName(change.path), followed.containsFile(inFolder: change.path.dropLast(name.count)) {
        // A body file's document is a file of its folder (`document(ofBody:)`).
        classify(change, into: &result)
      }
    }
    return Self.kept(result, only: followed, prefix: prefix)
  }

  /// The changes of `changed` at `followed` (repository paths; a body file's: its document's).
  static func kept(_ changed: Changed, only followed: FollowedPaths, prefix: String) -> Changed {
    (
      changed.documents.filter { followed.contains(prefix + $0.0.path) },
      changed.bodies.filter { followed.contains(prefix + $0.document) },
      changed.others.filter { followed.contains(prefix + $0.path) }
    )
  }

  private func classify(_ change: TreeChange, into result: inout Changed, remembering: Bool = true) {
    guard change.path.hasPrefix(prefix) else { return }
    var local = change
    if !prefix.isEmpty { local.path = String(change.path.dropFirst(prefix.count)) }
    if let kind = kind(of: local.path, remembering: remembering) {
      result.documents.append((local, kind))
    } else if let document = document(ofBody: local.path, remembering: remembering) {
      result.bodies.append((local, document))
    } else if DocumentFormat(path: local.path) != nil {
      result.others.append(local)
    }
  }
}
