import Foundation

/// How one commit changed one file.
public enum ChangeKind: String, Sendable, Hashable, Codable {
  case added, modified, renamed, deleted
}

/// One commit in the history of one file: what changed and the blobs before and after.
public struct PathVersion: Sendable, Hashable {
  public var record: CommitRecord
  public var change: ChangeKind
  /// The file's path after the commit (before it, for a deletion).
  public var path: String
  /// The path before a rename.
  public var previousPath: String?
  public var oldBlob: String?
  public var newBlob: String?
  /// The parent this change is measured against (always the first parent unless `allParents`).
  public var parentIndex: Int

  public var commit: HistoryCommit { record.commit }

  public init(
    record: CommitRecord, change: ChangeKind, path: String, previousPath: String? = nil, oldBlob: String?,
    newBlob: String?, parentIndex: Int = 0
  ) {
    self.record = record
    self.change = change
    self.path = path
    self.previousPath = previousPath
    self.oldBlob = oldBlob
    self.newBlob = newBlob
    self.parentIndex = parentIndex
  }
}

/// What following one path needs from a history, commit by commit in walk order: the cached
/// records (`RecordChanges`), or a reader that compares only the tree entries along the path
/// (`KeelGit.PathHistoryWalk`, for a first run without a cache).
public protocol PathChangeSource {
  associatedtype Failure: Error
  /// Commits in walk order (newest first, every commit before its parents).
  var commitCount: Int { get }
  /// How many comparisons commit `index` has: one per parent, and one (against the empty tree) for
  /// a root commit or a shallow boundary.
  func comparisonCount(at index: Int) -> Int
  /// How `path` changed in commit `index` against its parent number `comparison`; nil when unchanged.
  func change(of path: String, at index: Int, comparison: Int) throws(Failure) -> TreeChange?
  /// Every file commit `index` changed against its first parent (to find the source of a rename).
  func allChanges(at index: Int) throws(Failure) -> [TreeChange]
  /// The commit to report, given the changes the walk found in it (one list per comparison).
  func record(at index: Int, found: [[TreeChange]]) throws(Failure) -> CommitRecord
}

/// The path changes of records that hold every changed file (the cache's).
public struct RecordChanges: PathChangeSource {
  public typealias Failure = Never
  public let records: [CommitRecord]

  public init(records: [CommitRecord]) { self.records = records }

  public var commitCount: Int { records.count }
  public func comparisonCount(at index: Int) -> Int { records[index].changes.count }
  public func change(of path: String, at index: Int, comparison: Int) -> TreeChange? {
    PathHistory.find(path, in: records[index].changes[comparison])
  }
  public func allChanges(at index: Int) -> [TreeChange] { records[index].changes.first ?? [] }
  public func record(at index: Int, found: [[TreeChange]]) -> CommitRecord { records[index] }
}

/// Which commits changed a file, following renames as `git log --follow -- PATH` does: every
/// non-merge commit whose tree differs from its parent's at the followed path is listed; when the
/// file appears in a commit and a deleted file is similar enough (see `RenameDetector`), the walk
/// goes on with the old name, for the rest of the (date-ordered) walk, as git's does.
///
/// Merges are not listed (as with `git log --follow`): every change is reported once, at the commit
/// that made it, whichever parent it later arrived through. With `allParents`, a merge is also listed
/// against each parent the file differs from (`git log -m --follow`).
public enum PathHistory {
  public static func versions(
    of path: String, in source: HistorySource, records: [CommitRecord]? = nil, allParents: Bool = false,
    followRenames: Bool = true
  ) -> [PathVersion] {
    versions(
      of: path, in: RecordChanges(records: records ?? source.records), allParents: allParents,
      followRenames: followRenames, read: { try source.readBlob($0) })
  }

  /// The same walk over any `PathChangeSource`; `read` reads blobs for rename detection.
  public static func versions<Source: PathChangeSource>(
    of path: String, in source: Source, allParents: Bool = false, followRenames: Bool = true,
    read: (String) throws -> Data
  ) throws(Source.Failure) -> [PathVersion] {
    var current = path
    var versions: [PathVersion] = []
    for index in 0..<source.commitCount {
      let comparisons = source.comparisonCount(at: index)
      if comparisons <= 1 {
        guard comparisons == 1, let change = try source.change(of: current, at: index, comparison: 0) else { continue }
        let record = try source.record(at: index, found: [[change]])
        if change.isAddition, followRenames,
          let renamed = RenameDetector.source(of: current, in: try source.allChanges(at: index), read: read)
        {
          versions.append(
            PathVersion(
              record: record, change: .renamed, path: current, previousPath: renamed.path, oldBlob: renamed.oldBlob,
              newBlob: change.newBlob, parentIndex: 0))
          current = renamed.path
        } else {
          versions.append(version(record, change, parentIndex: 0))
        }
        continue
      }
      guard allParents else { continue }
      var found: [(Int, TreeChange)] = []
      for comparison in 0..<comparisons {
        if let change = try source.change(of: current, at: index, comparison: comparison) {
          found.append((comparison, change))
        }
      }
      guard !found.isEmpty else { continue }
      var lists = [[TreeChange]](repeating: [], count: comparisons)
      for (comparison, change) in found { lists[comparison] = [change] }
      let record = try source.record(at: index, found: lists)
      for (comparison, change) in found { versions.append(version(record, change, parentIndex: comparison)) }
    }
    return versions
  }

  private static func version(_ record: CommitRecord, _ change: TreeChange, parentIndex: Int) -> PathVersion {
    let kind: ChangeKind = change.isAddition ? .added : change.isDeletion ? .deleted : .modified
    return PathVersion(
      record: record, change: kind, path: change.path, previousPath: nil, oldBlob: change.oldBlob,
      newBlob: change.newBlob, parentIndex: parentIndex)
  }

  /// Binary search in a list sorted by path.
  static func find(_ path: String, in list: [TreeChange]) -> TreeChange? {
    var low = 0
    var high = list.count
    while low < high {
      let middle = (low + high) / 2
      if list[middle].path < path { low = middle + 1 } else { high = middle }
    }
    return low < list.count && list[low].path == path ? list[low] : nil
  }
}
