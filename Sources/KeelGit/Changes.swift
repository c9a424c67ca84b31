import CLibgit2
import Foundation

/// One file that differs between two snapshots.
public struct PathChange: Sendable, Hashable, CustomStringConvertible {
  public enum Status: String, Sendable, Hashable, Codable {
    case added, modified, deleted, renamed
  }

  public var status: Status
  /// The path in the newer snapshot (the old path for `deleted`).
  public var path: String
  /// The path in the older snapshot, for `renamed`.
  public var previousPath: String?

  public init(status: Status, path: String, previousPath: String? = nil) {
    self.status = status
    self.path = path
    self.previousPath = previousPath
  }

  public var description: String {
    if let previousPath { return "\(status.rawValue) \(previousPath) -> \(path)" }
    return "\(status.rawValue) \(path)"
  }
}

/// The newer side of a comparison.
public enum ChangeTarget: Sendable, Hashable {
  /// A commit or tree (`feature`, `HEAD`, a SHA).
  case revision(String)
  /// The staged content (the repository's index, or `$GIT_INDEX_FILE`).
  case index
  /// The working directory, untracked-but-not-ignored files included.
  case workingTree
}

extension Repository {
  /// Files that differ from `base` (nil: the empty tree, e.g. before the first commit) to `head`, with
  /// renames detected. Sorted by path. Only regular files are reported (as in the snapshots).
  ///
  /// For a pull request, pass `mergeBase(base, head)` as `base` to see only what the branch changed.
  public func changes(base: String?, head: ChangeTarget) throws(GitError) -> [PathChange] {
    let baseTree = try base.map { revision throws(GitError) in try resolve(revision).tree }
    return try diff(from: baseTree, to: head, indexFile: indexFile)
  }

  /// Files that differ from the `from` snapshot (nil: the empty tree) to `to`.
  public func changes(from: TreeSnapshot?, to head: ChangeTarget) throws(GitError) -> [PathChange] {
    try diff(from: from?.tree, to: head, indexFile: indexFile)
  }

  /// Files that differ between two commit trees.
  public func changes(from: TreeSnapshot?, to head: TreeSnapshot) throws(GitError) -> [PathChange] {
    try diff(from: from?.tree, to: .revision(head.treeID), indexFile: indexFile)
  }

  /// Files that differ from the `from` tree to the index that `head` was read from.
  public func changes(from: TreeSnapshot?, to head: IndexSnapshot) throws(GitError) -> [PathChange] {
    try diff(from: from?.tree, to: .index, indexFile: head.indexFile)
  }

  /// What `git commit` would record: HEAD (or nothing, on an unborn HEAD) to the index.
  public func stagedChanges() throws(GitError) -> [PathChange] {
    try changes(base: isHeadUnborn ? nil : "HEAD", head: .index)
  }

  private func diff(from baseTree: ObjectID?, to head: ChangeTarget, indexFile: URL) throws(GitError) -> [PathChange] {
    var headTree: ObjectID?
    // A split or sparse index, which libgit2 1.5 cannot open, is read by Keel and handed to it in memory.
    var resolvedIndex: [IndexFileSummary.Entry]?
    switch head {
    case .revision(let revision): headTree = try resolve(revision).tree
    case .index: resolvedIndex = try indexEntries(indexFile, onlyWhenNeeded: true)
    case .workingTree:
      guard !isBare else {
        throw GitError(.bareRepository, "a bare repository has no working tree; use a revision instead")
      }
      // libgit2 compares the working tree through the repository's own index.
      resolvedIndex = try indexEntries(gitDirectory.appendingPathComponent("index"), onlyWhenNeeded: true)
    }
    return try withLock { () throws(GitError) -> [PathChange] in
      let oldTree = try baseTree.map { id throws(GitError) in try lookupTree(id) }
      defer { if let oldTree { git_tree_free(oldTree) } }

      var options = git_diff_options()
      try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "cannot set up a diff")
      options.flags = GIT_DIFF_IGNORE_SUBMODULES.rawValue
      if head == .workingTree {
        options.flags |= GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
      }

      var diff: OpaquePointer?
      // Intent-to-add entries (`git add -N`) are in the index but not staged: git leaves them out of commits.
      var intentToAdd: Set<String> = []
      switch head {
      case .revision:
        let newTree = try lookupTree(headTree!)
        defer { git_tree_free(newTree) }
        try check(git_diff_tree_to_tree(&diff, handle, oldTree, newTree, &options), "cannot compare trees")
      case .index:
        var index: OpaquePointer?
        if let resolvedIndex {
          index = try memoryIndex(resolvedIndex)
        } else {
          try check(git_index_open(&index, indexFile.path), "cannot read the index \(indexFile.path)")
        }
        defer { git_index_free(index) }
        let intentFlag = UInt16(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue)
        for position in 0..<git_index_entrycount(index) {
          guard let entry = git_index_get_byindex(index, position), entry.pointee.flags_extended & intentFlag != 0
          else { continue }
          intentToAdd.insert(String(cString: entry.pointee.path))
        }
        try check(git_diff_tree_to_index(&diff, handle, oldTree, index, &options), "cannot compare with the index")
      case .workingTree:
        if let resolvedIndex {
          // libgit2 compares the working tree through the repository's index: give it the one Keel read.
          let index = try memoryIndex(resolvedIndex)
          defer { git_index_free(index) }
          try check(git_repository_set_index(handle, index), "cannot use the index")
        }
        try check(
          git_diff_tree_to_workdir_with_index(&diff, handle, oldTree, &options), "cannot compare with the working tree")
      }
      guard let diff else { return [] }
      defer { git_diff_free(diff) }

      var findOptions = git_diff_find_options()
      try check(
        git_diff_find_options_init(&findOptions, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "cannot set up renames")
      findOptions.flags = GIT_DIFF_FIND_RENAMES.rawValue
      if head == .workingTree { findOptions.flags |= GIT_DIFF_FIND_FOR_UNTRACKED.rawValue }
      try check(git_diff_find_similar(diff, &findOptions), "cannot detect renames")

      var changes: [PathChange] = []
      for position in 0..<git_diff_num_deltas(diff) {
        guard let delta = git_diff_get_delta(diff, position)?.pointee else { continue }
        guard var change = Self.change(for: delta) else { continue }
        if intentToAdd.contains(change.path) {
          guard change.status == .renamed, let previousPath = change.previousPath else { continue }
          change = PathChange(status: .deleted, path: previousPath)
        }
        changes.append(change)
      }
      if head == .workingTree, let resolvedIndex {
        // Skip-worktree files (outside a sparse checkout) are absent by design, not deleted: git
        // takes them as they are in the index.
        let skipped = Set(resolvedIndex.filter(\.isSkipWorktree).map(\.pathString))
        changes.removeAll { $0.status == .deleted && skipped.contains($0.path) }
      }
      return changes.sorted { ($0.path, $0.previousPath ?? "") < ($1.path, $1.previousPath ?? "") }
    }
  }

  /// Call with the lock held; the caller frees the tree.
  private func lookupTree(_ id: ObjectID) throws(GitError) -> OpaquePointer {
    var tree: OpaquePointer?
    let code = id.withPointer { git_tree_lookup(&tree, handle, $0) }
    guard code == 0, let tree else { throw GitError.fromLastError(code: code, operation: "cannot read tree \(id.hex)") }
    return tree
  }

  /// Maps a libgit2 delta to a change between regular files (a symbolic link or submodule on one
  /// side makes it an addition or a deletion of the regular file on the other side).
  private static func change(for delta: git_diff_delta) -> PathChange? {
    func isRegularFile(_ file: git_diff_file) -> Bool {
      UInt32(file.mode) == GIT_FILEMODE_BLOB.rawValue || UInt32(file.mode) == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue
    }
    let oldPath = delta.old_file.path.map { String(cString: $0) } ?? ""
    let newPath = delta.new_file.path.map { String(cString: $0) } ?? oldPath
    let oldIsFile = isRegularFile(delta.old_file)
    let newIsFile = isRegularFile(delta.new_file)
    switch delta.status {
    case GIT_DELTA_ADDED, GIT_DELTA_UNTRACKED, GIT_DELTA_COPIED:
      return newIsFile ? PathChange(status: .added, path: newPath) : nil
    case GIT_DELTA_DELETED:
      return oldIsFile ? PathChange(status: .deleted, path: oldPath) : nil
    case GIT_DELTA_CONFLICTED:
      return PathChange(status: .modified, path: newPath)
    case GIT_DELTA_MODIFIED, GIT_DELTA_TYPECHANGE, GIT_DELTA_RENAMED:
      switch (oldIsFile, newIsFile) {
      case (true, true):
        return delta.status == GIT_DELTA_RENAMED && oldPath != newPath
          ? PathChange(status: .renamed, path: newPath, previousPath: oldPath)
          : PathChange(status: .modified, path: newPath)
      case (false, true): return PathChange(status: .added, path: newPath)
      case (true, false): return PathChange(status: .deleted, path: oldPath)
      case (false, false): return nil
      }
    default:
      return nil
    }
  }
}
