import Foundation
import KeelCore

/// What `keel history PATH` found by following one path through Git without the commit cache
/// (`PathHistoryWalk`), kept in `<git-common-dir>/keel/history-paths.bin` for the next call: the
/// versions of that path from that commit, keyed by the commit id, the path, `--all-parents` and the
/// shallow boundary. A commit id names its whole history, so an entry never goes stale; a history
/// asked from another commit is walked again. The file holds the last `capacity` entries, is sealed
/// with a checksum (a damaged file is discarded, never read) and replaced atomically.
public enum PathVersionsCache {
  static let magic = "keel-history-paths"
  static let formatVersion: UInt32 = 1
  /// Entries kept (the most recent ones).
  static let capacity = 64

  static func file(in repository: Repository) -> URL {
    HistoryCache.directory(in: repository).appendingPathComponent("history-paths.bin")
  }

  private static func key(tip: String, path: String, allParents: Bool, boundaries: Set<String>) -> String {
    [tip, allParents ? "m" : "-", boundaries.sorted().joined(separator: ","), path].joined(separator: "\u{0}")
  }

  /// The entries of the file, oldest first (key, encoded versions); nil when there is no usable file.
  private static func entries(_ file: URL, damaged: ((URL) -> Void)?) -> [(String, [UInt8])]? {
    CacheFile.read(file, magic: magic, version: formatVersion, damaged: damaged) { bytes in
      var reader = BinaryReader(bytes: bytes)
      do {
        _ = try reader.readString()
        _ = try reader.readUInt32()
        var entries: [(String, [UInt8])] = []
        for _ in 0..<(try reader.readCount()) {
          let key = try reader.readString()
          let start = reader.offset
          try reader.skip(try reader.readCount())
          entries.append((key, Array(bytes[(start + 4)..<reader.offset])))
        }
        return reader.isAtEnd ? entries : nil
      } catch {
        return nil
      }
    }?.index
  }

  /// The versions of `path` from commit `tip` when a walk left them; nil otherwise.
  public static func versions(
    of path: String, tip: String, allParents: Bool, repository: Repository, damaged: ((URL) -> Void)? = nil
  ) -> PathHistoryWalk.Result? {
    let boundaries = repository.shallowBoundaryIDs
    let wanted = key(tip: tip, path: path, allParents: allParents, boundaries: boundaries)
    guard let entry = entries(file(in: repository), damaged: damaged)?.last(where: { $0.0 == wanted }) else {
      return nil
    }
    var reader = BinaryReader(bytes: entry.1)
    do {
      let truncated = try reader.readByte() != 0
      var versions: [PathVersion] = []
      for _ in 0..<(try reader.readCount()) {
        let commit = HistoryCommit(
          id: try reader.readID(), parents: try (0..<reader.readCount()).map { _ in try reader.readID() },
          authorName: try reader.readString(), authorEmail: try reader.readString(),
          authorDate: HistoryDates.date(seconds: try reader.readInt64()),
          commitDate: HistoryDates.date(seconds: try reader.readInt64()), summary: try reader.readString())
        guard let change = ChangeKind(rawValue: try reader.readString()) else { return nil }
        let versionPath = try reader.readString()
        let previous = try reader.readByte() != 0 ? try reader.readString() : nil
        let oldBlob = try reader.readOptionalID()
        let newBlob = try reader.readOptionalID()
        let parentIndex = try reader.readCount()
        guard parentIndex < max(1, commit.parents.count) else { return nil }
        versions.append(
          PathVersion(
            record: CommitRecord(commit: commit, changes: []), change: change, path: versionPath,
            previousPath: previous, oldBlob: oldBlob, newBlob: newBlob, parentIndex: parentIndex))
      }
      guard reader.isAtEnd else { return nil }
      return PathHistoryWalk.Result(
        versions: versions, isTruncated: truncated, walkedCommits: 0, repository: repository)
    } catch {
      return nil
    }
  }

  /// Keeps what a walk found (atomically; a failure only costs the next call a walk).
  public static func store(
    _ result: PathHistoryWalk.Result, of path: String, tip: String, allParents: Bool, repository: Repository
  ) {
    let boundaries = repository.shallowBoundaryIDs
    let file = file(in: repository)
    var writer = BinaryWriter()
    writer.write(UInt8(result.isTruncated ? 1 : 0))
    writer.write(count: result.versions.count)
    for version in result.versions {
      let commit = version.commit
      writer.write(id: commit.id)
      writer.write(count: commit.parents.count)
      for parent in commit.parents { writer.write(id: parent) }
      writer.write(commit.authorName)
      writer.write(commit.authorEmail)
      writer.write(Int64(commit.authorDate.timeIntervalSince1970))
      writer.write(Int64(commit.commitDate.timeIntervalSince1970))
      writer.write(commit.summary)
      writer.write(version.change.rawValue)
      writer.write(version.path)
      writer.write(UInt8(version.previousPath == nil ? 0 : 1))
      if let previous = version.previousPath { writer.write(previous) }
      writer.write(optionalID: version.oldBlob)
      writer.write(optionalID: version.newBlob)
      writer.write(count: version.parentIndex)
    }
    let added = key(tip: tip, path: path, allParents: allParents, boundaries: boundaries)
    var kept = (entries(file, damaged: nil) ?? []).filter { $0.0 != added }
    kept.append((added, [UInt8](writer.data)))
    kept = Array(kept.suffix(capacity))
    var output = BinaryWriter()
    output.write(magic)
    output.write(formatVersion)
    output.write(count: kept.count)
    for (key, encoded) in kept {
      output.write(key)
      output.write(count: encoded.count)
      output.append(Data(encoded))
    }
    CacheFile.write(output, to: file)
  }
}
