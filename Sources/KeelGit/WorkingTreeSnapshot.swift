import CLibgit2
import Foundation
import KeelCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files of the working directory as git sees them: tracked files plus untracked files that
/// are not ignored (`.gitignore`, `.git/info/exclude`, `core.excludesFile`). `.git`, nested
/// repositories, symbolic links and anything inside an ignored directory (unless tracked) are skipped.
///
/// The listing is taken when the snapshot is created; `read` returns the current bytes on disk.
public struct WorkingTreeSnapshot: Snapshot {
  public let repository: Repository
  public let root: URL
  public var label: String { "working tree" }
  public var revision: String? { nil }

  private let sortedPaths: [String]
  /// Reads go through the path policy: no symbolic link at any component, no `..`.
  private let files: PathPolicy

  init(repository: Repository, root: URL) throws(GitError) {
    self.repository = repository
    self.root = root
    files = PathPolicy(root: root)
    // Tracked files are listed even when an ignore rule matches them, as git does. The index is
    // read with Keel's own reader, which also reads split and sparse indexes.
    let indexFile = repository.gitDirectory.appendingPathComponent("index")
    let trackedPaths = ((try? repository.indexEntries(indexFile)) ?? nil)?.map(\.pathString) ?? []
    var walker = Walker(repository: repository, tracked: Set(trackedPaths))
    try repository.withLock { () throws(GitError) in
      try walker.walk(directory: root.path, relative: "", insideIgnored: false)
    }
    sortedPaths = walker.found.sorted()
  }

  public func paths() throws -> [String] { sortedPaths }

  public func read(_ path: String) throws -> Data {
    if path == ".git" || path.hasPrefix(".git/") { throw KeelError("no such file in the working tree: \(path)") }
    return try files.read(path)
  }

  /// The size is read from the opened file (no look-up of the path before).
  public func read(_ path: String, maxBytes: Int) throws -> Data {
    if path == ".git" || path.hasPrefix(".git/") { throw KeelError("no such file in the working tree: \(path)") }
    return try files.read(path, maxBytes: maxBytes)
  }

  public func blobID(_ path: String) -> String? { nil }
  public func byteCount(_ path: String) -> Int? { regularFileSize(root: root, relative: path) }
  /// Plain file reads: safe from any thread.
  public var supportsConcurrentReads: Bool { true }
}

/// Walks the working directory, asking libgit2 about ignore rules once per directory and once per
/// untracked file; an ignored directory is not entered unless it holds tracked files.
private struct Walker {
  let repository: Repository
  let tracked: Set<String>
  /// Every directory that contains a tracked file (`docs`, `docs/specs`).
  let trackedDirectories: Set<String>
  var found: [String] = []

  init(repository: Repository, tracked: Set<String>) {
    self.repository = repository
    self.tracked = tracked
    var directories: Set<String> = []
    for path in tracked {
      var current = Substring(path)
      while let slash = current.lastIndex(of: "/") {
        current = current[..<slash]
        if !directories.insert(String(current)).inserted { break }
      }
    }
    trackedDirectories = directories
  }

  private enum Kind { case file, directory, other }

  /// Call with the repository lock held.
  mutating func walk(directory: String, relative: String, insideIgnored: Bool) throws(GitError) {
    let entries: [(name: String, kind: PathPolicy.EntryKind)]
    do { entries = try PathPolicy.entries(ofFolder: directory) } catch { throw GitError(.other, error.message) }
    var subdirectories: [(name: String, path: String, ignored: Bool)] = []
    for (name, kind) in entries {
      if relative.isEmpty && name == ".git" { continue }
      let full = directory + "/" + name
      let path = relative.isEmpty ? name : relative + "/" + name
      switch kind {
      case .folder:
        // A directory with its own `.git` is a nested repository or a submodule: not ours.
        if access(full + "/.git", F_OK) == 0 { continue }
        let ignored = insideIgnored ? true : try isIgnored(path + "/")
        if ignored && !trackedDirectories.contains(path) { continue }
        subdirectories.append((name, path, ignored))
      case .file:
        if tracked.contains(path) {
          found.append(path)
        } else if !insideIgnored, try !isIgnored(path) {
          found.append(path)
        }
      case .other:
        continue
      }
    }
    for subdirectory in subdirectories {
      try walk(
        directory: directory + "/" + subdirectory.name, relative: subdirectory.path,
        insideIgnored: subdirectory.ignored)
    }
  }

  private func isIgnored(_ path: String) throws(GitError) -> Bool {
    var ignored: Int32 = 0
    try check(git_ignore_path_is_ignored(&ignored, repository.handle, path), "cannot check ignore rules for \(path)")
    return ignored == 1
  }
}

extension Repository {
  /// The files of the working directory (tracked, and untracked but not ignored).
  public func workingTreeSnapshot() throws(GitError) -> WorkingTreeSnapshot {
    guard let workingDirectory else {
      throw GitError(.bareRepository, "a bare repository has no working tree; use a revision instead")
    }
    return try WorkingTreeSnapshot(repository: self, root: workingDirectory)
  }
}
