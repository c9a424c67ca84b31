import Foundation

/// When each document entered its current workflow state, according to the Git history.
public struct StateHistory: Sendable {
  public struct Entry: Sendable, Hashable {
    public var state: String
    public var since: Date
    /// The commit that entered the state (the first of its current run), and its place in the
    /// history (`Version.order`); nil when the history was read without commit order.
    public var commit: String? = nil
    public var order: Int? = nil
  }

  /// One committed version of a document.
  public struct Version: Sendable, Hashable {
    /// The place of its commit in the history: parents before children (a later commit of
    /// another branch may come before or after).
    public var order: Int
    public var commit: String
    /// Its path then (relative to keel.yaml's folder; a folder document's metadata file).
    public var path: String
    /// The file's blob (the metadata file's); nil for a deletion and for a change of a folder
    /// document's body file alone.
    public var blob: String?
    public var isBodyChange: Bool

    public init(order: Int, commit: String, path: String, blob: String?, isBodyChange: Bool = false) {
      self.order = order
      self.commit = commit
      self.path = path
      self.blob = blob
      self.isBodyChange = isBodyChange
    }
  }

  /// Document path (relative to keel.yaml's folder) → its state at the tip and when it entered it.
  public var entries: [String: Entry]
  /// The moment ages are measured at.
  public var now: Date
  /// Document path → the date of the commit that first added it (following renames; a folder
  /// document's: the first commit of either of its files): which of two documents with the same id
  /// came second, and whether a kind's `template-since:` binds it.
  public var firstCommitted: [String: Date] = [:]
  /// Document path → its committed versions, oldest first; filled only when the history was read
  /// with commit order (a workflow has a state that `locks`).
  public var versions: [String: [Version]] = [:]
  /// Reads the versions' bytes (`workflow/changed-after-approval`, `ref/suspect`); nil without.
  public var files: (any HistoryFiles)?

  public init(
    entries: [String: Entry], now: Date, firstCommitted: [String: Date] = [:], versions: [String: [Version]] = [:],
    files: (any HistoryFiles)? = nil
  ) {
    self.entries = entries
    self.now = now
    self.firstCommitted = firstCommitted
    self.versions = versions
    self.files = files
  }

  /// - Parameter commitOrder: commit id → its place in the history (parents first); given, the
  ///   entries carry the commit that entered each state and `versions` holds every version.
  public init(timelines: [DocumentTimeline], now: Date, commitOrder: [String: Int]? = nil) {
    var entries: [String: Entry] = [:]
    for timeline in timelines where !timeline.isDeleted {
      var current: String?
      var since: TimelineEntry?
      for entry in timeline.entries where entry.stateAfter != current {
        current = entry.stateAfter
        since = entry
      }
      if let current, let since {
        entries[timeline.path] = Entry(
          state: current, since: since.date, commit: commitOrder.map { _ in since.commit.id },
          order: commitOrder?[since.commit.id])
      }
    }
    self.init(entries: entries, now: now)
    for timeline in timelines where !timeline.isDeleted {
      if let first = timeline.entries.first { firstCommitted[timeline.path] = first.date }
      guard let commitOrder else { continue }
      versions[timeline.path] = timeline.entries.compactMap { entry in
        commitOrder[entry.commit.id].map {
          Version(
            order: $0, commit: entry.commit.id, path: entry.path, blob: entry.newBlob, isBodyChange: entry.isBodyChange)
        }
      }
    }
  }

  /// The version of the document whose latest path is `path` that was current at `order`: its
  /// last committed file (a folder document's metadata file) at or before it; nil when it had none
  /// (not added yet, or deleted then).
  public func version(of path: String, at order: Int) -> Version? {
    guard let all = versions[path] else { return nil }
    let last = all.last { $0.order <= order && !$0.isBodyChange }
    return last?.blob == nil ? nil : last
  }
}

/// The bytes of committed versions, as the engine reads them from Git for the rules that compare a
/// document with what was approved.
public protocol HistoryFiles: Sendable {
  /// A blob by id; nil when unreadable.
  func blob(_ id: String) -> Data?
  /// A file (path relative to keel.yaml's folder) in the tree of `commit`; nil when it has none.
  func file(_ path: String, at commit: String) -> Data?
}

/// Versions in memory (rule examples, tests).
public struct MemoryHistoryFiles: HistoryFiles {
  public var blobs: [String: Data]
  /// Commit → path → bytes.
  public var trees: [String: [String: Data]]

  public init(blobs: [String: Data] = [:], trees: [String: [String: Data]] = [:]) {
    self.blobs = blobs
    self.trees = trees
  }

  public func blob(_ id: String) -> Data? { blobs[id] }
  public func file(_ path: String, at commit: String) -> Data? { trees[commit]?[path] }
}
