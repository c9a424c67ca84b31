import CLibgit2
import Foundation
import KeelCore

/// The files of a commit's tree (any revision git understands), read straight from the object
/// database without a checkout; works in bare repositories.
///
/// Regular and executable files are listed; symbolic links and submodules are not.
public struct TreeSnapshot: Snapshot {
  public let repository: Repository
  /// The revision as the user wrote it (`HEAD~1`, `v2.3`, `main`).
  public let requestedRevision: String
  /// `HEAD~1 (3f2a9c1)`, or just the short id when the user gave an id.
  public let label: String
  /// The commit id; nil when the revision names a tree rather than a commit (`v1^{tree}`).
  public let revision: String?
  /// The id of the root tree.
  public var treeID: String { tree.hex }

  let tree: ObjectID
  private let blobs: [String: ObjectID]
  private let sortedPaths: [String]

  public init(repository: Repository, revision: String) throws(GitError) {
    let resolved = try repository.resolve(revision)
    self.repository = repository
    self.requestedRevision = revision
    self.revision = resolved.commit?.hex
    self.tree = resolved.tree
    let looksLikeID = revision.count >= 4 && revision.allSatisfy(\.isHexDigit)
    let namesItself = looksLikeID && (resolved.commit?.hex.hasPrefix(revision.lowercased()) ?? false)
    if namesItself {
      label = resolved.shortID
    } else {
      label = "\(revision) (\(resolved.commit == nil ? "tree " : "")\(resolved.shortID))"
    }
    var blobs: [String: ObjectID] = [:]
    try repository.withLock { () throws(GitError) in
      try Self.collect(tree: resolved.tree, prefix: "", repository: repository.handle, into: &blobs)
    }
    self.blobs = blobs
    sortedPaths = blobs.keys.sorted()
  }

  /// Walks a tree recursively; call with the repository lock held.
  private static func collect(
    tree id: ObjectID, prefix: String, repository: OpaquePointer, into blobs: inout [String: ObjectID]
  ) throws(GitError) {
    var tree: OpaquePointer?
    let code = id.withPointer { git_tree_lookup(&tree, repository, $0) }
    guard code == 0, let tree else {
      throw GitError.fromLastError(code: code, operation: "cannot read tree \(id.hex) at '\(prefix)'")
    }
    defer { git_tree_free(tree) }
    for index in 0..<git_tree_entrycount(tree) {
      guard let entry = git_tree_entry_byindex(tree, index) else { continue }
      let path = prefix + String(cString: git_tree_entry_name(entry))
      let mode = git_tree_entry_filemode(entry)
      if mode == GIT_FILEMODE_TREE {
        try collect(tree: ObjectID(git_tree_entry_id(entry)), prefix: path + "/", repository: repository, into: &blobs)
      } else if mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE {
        blobs[path] = ObjectID(git_tree_entry_id(entry))
      }
    }
  }

  public func paths() throws -> [String] { sortedPaths }

  public func read(_ path: String) throws -> Data {
    guard let id = blobs[path] else { throw KeelError("no such file in \(label): \(path)") }
    return try repository.readBlob(id, path: path)
  }

  public func blobID(_ path: String) -> String? { blobs[path]?.hex }
  public func byteCount(_ path: String) -> Int? { blobs[path].flatMap { repository.blobSize($0) } }
}

extension Repository {
  /// The files of `revision` (branch, tag, full or short SHA, `HEAD~3`, `v1^{tree}`, …).
  public func treeSnapshot(at revision: String) throws(GitError) -> TreeSnapshot {
    try TreeSnapshot(repository: self, revision: revision)
  }
}
