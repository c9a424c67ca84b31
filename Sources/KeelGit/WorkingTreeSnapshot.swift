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

  init(repository: Repository, root: URL) throws(GitError) {
    self.repository = repository
    self.root = root
    // Tracked files are listed even when an ignore rule matches them, as git does. The index is
    // read with Keel's own reader so this also works with a split or sparse index (where the list
    // may then be incomplete, which only matters for tracked files that are also ignored).
    let indexFile = repository.gitDirectory.appendingPathComponent("index")
    let trackedPaths = (try? IndexFileSummary.read(indexFile))?.paths ?? []
    var walker = Walker(repository: repository, tracked: Set(trackedPaths))
    try repository.withLock { () throws(GitError) in
      try walker.walk(directory: root.path, relative: "", insideIgnored: false)
    }
    sortedPaths = walker.found.sorted()
  }

  public func paths() throws -> [String] { sortedPaths }

  public func read(_ path: String) throws -> Data {
    let components = path.split(separator: "/", omittingEmptySubsequences: false)
    guard !path.isEmpty, !path.hasPrefix("/"), !components.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
    else { throw KeelError("invalid path: \(path)") }
    guard components.first != ".git" else { throw KeelError("no such file in the working tree: \(path)") }
    guard let data = Self.readRegularFile(root.path + "/" + path) else {
      throw KeelError("no such file in the working tree: \(path)")
    }
    return data
  }

  /// Reads a regular file with plain system calls (noticeably faster than `FileManager` for many small files).
  private static func readRegularFile(_ path: String) -> Data? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
    var data = Data(count: Int(status.st_size))
    var filled = 0
    let complete = data.withUnsafeMutableBytes { buffer -> Bool in
      while filled < buffer.count {
        let count = systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return count == 0 }
        filled += count
      }
      return true
    }
    guard complete else { return nil }
    // The file may have shrunk while being read, or grown: keep what was there.
    if filled < data.count { data.removeSubrange(filled...) }
    return data
  }

  public func blobID(_ path: String) -> String? { nil }
  public func byteCount(_ path: String) -> Int? { regularFileSize(root: root, relative: path) }
  /// Plain file reads: safe from any thread.
  public var supportsConcurrentReads: Bool { true }
}

/// `read(2)`; a free function because inside `Snapshot` types `read` names the protocol method.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
  #else
    Darwin.read(descriptor, buffer, count)
  #endif
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
    guard let stream = opendir(directory) else {
      throw GitError(.other, "cannot list directory \(directory): \(String(cString: strerror(errno)))")
    }
    defer { closedir(stream) }
    var subdirectories: [(name: String, path: String, ignored: Bool)] = []
    while let entry = readdir(stream) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      if name == "." || name == ".." { continue }
      if relative.isEmpty && name == ".git" { continue }
      let full = directory + "/" + name
      let path = relative.isEmpty ? name : relative + "/" + name
      switch Self.kind(of: entry.pointee.d_type, at: full) {
      case .directory:
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

  private static func kind(of type: UInt8, at path: String) -> Kind {
    switch Int32(type) {
    case Int32(DT_REG): return .file
    case Int32(DT_DIR): return .directory
    case Int32(DT_UNKNOWN):
      var status = stat()
      guard lstat(path, &status) == 0 else { return .other }
      switch status.st_mode & S_IFMT {
      case S_IFREG: return .file
      case S_IFDIR: return .directory
      default: return .other
      }
    default: return .other
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
