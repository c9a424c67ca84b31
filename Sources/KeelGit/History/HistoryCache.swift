import Foundation
import KeelCore

/// The persistent commit cache: `<git-common-dir>/keel/history-commits.bin`.
///
/// Keyed by commit id (a commit never changes, so an entry never goes stale), it holds every commit
/// walked so far with its changed files. It lives inside the Git directory, so it is never
/// committed, and is shared by linked worktrees. Deleting it only makes the next run walk again.
/// A file written by another format version, or for another shallow boundary, or damaged, is
/// ignored (and replaced after the next walk).
enum HistoryCache {
  /// Bump when the format or the meaning of the data changes.
  static let formatVersion: UInt32 = 2
  static let magic = "keel-history-commits"

  struct Store {
    var records: [String: CommitRecord] = [:]
  }

  /// What the file holds: records in the walk order of `orderTip` (that tip's whole history first).
  struct Contents {
    var orderTip: String
    var ordered: [CommitRecord]
  }

  static func directory(in repository: Repository) -> URL {
    repository.commonDirectory.appendingPathComponent("keel", isDirectory: true)
  }

  static func file(in repository: Repository) -> URL {
    directory(in: repository).appendingPathComponent("history-commits.bin")
  }

  /// The shallow boundary as one string, so that a cache written before `git fetch --unshallow`
  /// (or a deeper fetch) is not used after it.
  private static func shallowKey(_ boundaries: Set<String>) -> String { boundaries.sorted().joined(separator: ",") }

  /// True when `file` starts like a cache this version can use (the rest is checked when read).
  static func hasUsableHeader(_ file: URL, shallow boundaries: Set<String>) -> Bool {
    guard let handle = try? FileHandle(forReadingFrom: file) else { return false }
    defer { try? handle.close() }
    let expected = shallowKey(boundaries)
    guard let head = try? handle.read(upToCount: 64 + expected.utf8.count) else { return false }
    var reader = BinaryReader(head)
    return
      (try? reader.readString() == magic && reader.readUInt32() == formatVersion
      && reader.readString() == expected) ?? false
  }

  static func read(_ file: URL, shallow boundaries: Set<String>) -> Contents? {
    guard let data = try? Data(contentsOf: file, options: .mappedIfSafe) else { return nil }
    var reader = BinaryReader(data)
    do {
      guard try reader.readString() == magic, try reader.readUInt32() == formatVersion,
        try reader.readString() == shallowKey(boundaries)
      else { return nil }
      let orderTip = try reader.readID()
      let count = try reader.readCount()
      var ordered: [CommitRecord] = []
      ordered.reserveCapacity(count)
      var authors: [String] = []
      let authorCount = try reader.readCount()
      for _ in 0..<authorCount { authors.append(try reader.readString()) }
      for _ in 0..<count {
        let id = try reader.readID()
        var parents: [String] = []
        let parentCount = try reader.readCount()
        for _ in 0..<parentCount { parents.append(try reader.readID()) }
        let nameIndex = try reader.readCount()
        let emailIndex = try reader.readCount()
        guard nameIndex < authors.count, emailIndex < authors.count else { return nil }
        let authorTime = try reader.readInt64()
        let commitTime = try reader.readInt64()
        let summary = try reader.readString()
        var lists: [[TreeChange]] = []
        let listCount = try reader.readCount()
        for _ in 0..<listCount {
          var list: [TreeChange] = []
          let changeCount = try reader.readCount()
          list.reserveCapacity(changeCount)
          for _ in 0..<changeCount {
            let path = try reader.readString()
            list.append(
              TreeChange(path: path, oldBlob: try reader.readOptionalID(), newBlob: try reader.readOptionalID()))
          }
          lists.append(list)
        }
        let commit = HistoryCommit(
          id: id, parents: parents, authorName: authors[nameIndex], authorEmail: authors[emailIndex],
          authorDate: Date(timeIntervalSince1970: TimeInterval(authorTime)),
          commitDate: Date(timeIntervalSince1970: TimeInterval(commitTime)), summary: summary)
        ordered.append(CommitRecord(commit: commit, changes: lists))
      }
      guard reader.isAtEnd else { return nil }
      return Contents(orderTip: orderTip, ordered: ordered)
    } catch {
      return nil
    }
  }

  /// Writes atomically (temporary file, then rename); a failure (read-only Git directory) is ignored:
  /// the cache only saves time.
  static func write(_ records: [CommitRecord], orderTip: String, to file: URL, shallow boundaries: Set<String>) {
    var writer = BinaryWriter()
    writer.write(magic)
    writer.write(formatVersion)
    writer.write(shallowKey(boundaries))
    writer.write(id: orderTip)
    writer.write(count: records.count)
    var authorIndex: [String: Int] = [:]
    var authors: [String] = []
    func index(_ name: String) -> Int {
      if let existing = authorIndex[name] { return existing }
      authorIndex[name] = authors.count
      authors.append(name)
      return authors.count - 1
    }
    for record in records {
      _ = index(record.commit.authorName)
      _ = index(record.commit.authorEmail)
    }
    writer.write(count: authors.count)
    for author in authors { writer.write(author) }
    for record in records {
      writer.write(id: record.commit.id)
      writer.write(count: record.commit.parents.count)
      for parent in record.commit.parents { writer.write(id: parent) }
      writer.write(count: authorIndex[record.commit.authorName]!)
      writer.write(count: authorIndex[record.commit.authorEmail]!)
      writer.write(Int64(record.commit.authorDate.timeIntervalSince1970))
      writer.write(Int64(record.commit.commitDate.timeIntervalSince1970))
      writer.write(record.commit.summary)
      writer.write(count: record.changes.count)
      for list in record.changes {
        writer.write(count: list.count)
        for change in list {
          writer.write(change.path)
          writer.write(optionalID: change.oldBlob)
          writer.write(optionalID: change.newBlob)
        }
      }
    }
    try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? AtomicFile.write(writer.data, to: file)
  }
}
