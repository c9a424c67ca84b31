import CLibgit2
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
    try repository.requireSupportedIndex(file)
    self.repository = repository
    self.indexFile = file
    var blobs: [String: ObjectID] = [:]
    var conflicted: Set<String> = []
    try repository.withLock { () throws(GitError) in
      var index: OpaquePointer?
      let code = git_index_open(&index, file.path)
      guard code == 0, let index else {
        throw GitError.fromLastError(code: code, operation: "cannot read the index \(file.path)")
      }
      defer { git_index_free(index) }
      let stageMask = UInt16(GIT_INDEX_ENTRY_STAGEMASK)
      let intentToAdd = UInt16(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue)
      for position in 0..<git_index_entrycount(index) {
        guard let entry = git_index_get_byindex(index, position)?.pointee else { continue }
        let path = String(cString: entry.path)
        if entry.flags & stageMask != 0 {
          conflicted.insert(path)
          continue
        }
        guard entry.flags_extended & intentToAdd == 0 else { continue }
        guard entry.mode == GIT_FILEMODE_BLOB.rawValue || entry.mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue
        else { continue }
        blobs[path] = ObjectID(entry.id)
      }
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
