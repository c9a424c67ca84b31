import Foundation
import KeelCore

/// The staged content: stage-0 entries of the index, i.e. exactly what the next commit will contain.
/// Works on an unborn HEAD (the very first commit). Entries with merge conflicts (stages 1–3) are
/// not listed; they are reported in `conflictedPaths`. Intent-to-add entries (`git add -N`),
/// symbolic links and submodules are not listed either.
public struct IndexSnapshot: Snapshot {
  public let repository: Repository
  /// The index file read (the repository's, or `$GIT_INDEX_FILE` while git runs a commit hook).
  public let indexFile: URL
  public var label: String { "index" }
  public var revision: String? { nil }
  /// Paths with unresolved merge conflicts, sorted.
  public let conflictedPaths: [String]

  private let blobs: [String: ObjectID]
  private let sortedPaths: [String]

  public init(repository: Repository, indexFile: URL? = nil) throws(GitError) {
    let file = indexFile ?? repository.indexFile
    self.repository = repository
    self.indexFile = file
    var blobs: [String: ObjectID] = [:]
    var conflicted: Set<String> = []
    // Keel's own reader: it also reads split and sparse indexes, which libgit2 1.5 cannot.
    for entry in try repository.indexEntries(file) ?? [] {
      let path = entry.pathString
      if entry.stage != 0 {
        conflicted.insert(path)
        continue
      }
      guard !entry.isIntentToAdd, entry.mode & 0o170000 == 0o100000 else { continue }
      blobs[path] = entry.id
    }
    self.blobs = blobs
    sortedPaths = blobs.keys.sorted()
    conflictedPaths = conflicted.sorted()
  }

  public func paths() throws -> [String] { sortedPaths }

  public func read(_ path: String) throws -> Data {
    guard let id = blobs[path] else {
      if conflictedPaths.contains(path) { throw KeelError("\(path) has unresolved merge conflicts", path: path) }
      throw KeelError("no such file in the index: \(path)")
    }
    return try repository.readBlob(id, path: path)
  }

  public func blobID(_ path: String) -> String? { blobs[path]?.hex }
  public func byteCount(_ path: String) -> Int? { blobs[path].flatMap { repository.blobSize($0) } }
}

extension Repository {
  /// The staged content (what `git commit` would record).
  public func indexSnapshot() throws(GitError) -> IndexSnapshot {
    try IndexSnapshot(repository: self)
  }
}
