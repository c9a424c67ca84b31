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
    var current = path
    var versions: [PathVersion] = []
    for record in records ?? source.records {
      if record.changes.count <= 1 {
        guard let list = record.changes.first, let change = find(current, in: list) else { continue }
        if change.isAddition, followRenames,
          let renamed = RenameDetector.source(of: current, in: list, read: { try source.readBlob($0) })
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
      for (index, list) in record.changes.enumerated() {
        if let change = find(current, in: list) { versions.append(version(record, change, parentIndex: index)) }
      }
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
