import Foundation

/// Where bytes come from: the working tree, the index (staged content) or a
/// commit's tree. Nothing else in KeelCore knows about Git.
public protocol Snapshot: Sendable {
  /// A short human description: `working tree`, `index`, `HEAD~1 (3f2a9c1)`.
  var label: String { get }
  /// The commit id this snapshot was taken at, when it is a commit.
  var revision: String? { get }
  /// Every file path (repository-relative, `/`-separated), sorted.
  func paths() throws -> [String]
  /// The bytes of the file at `path`; throws `KeelError` if it does not exist.
  func read(_ path: String) throws -> Data
  /// Git's blob id of the file, where Git has one (index and trees).
  func blobID(_ path: String) -> String?
  /// True when `read` may be called from several threads at once (plain
  /// files); Git-backed snapshots serialise access to libgit2 and say false.
  var supportsConcurrentReads: Bool { get }
  /// The size in bytes of the file at `path`, from the file system or the
  /// blob's header, without reading the content; nil when not known that way.
  func byteCount(_ path: String) -> Int?
  /// The bytes of the file at `path`, or `FileTooLargeError` when it holds more than `maxBytes`
  /// (then not read).
  func read(_ path: String, maxBytes: Int) throws -> Data
}

/// Thrown by `Snapshot.read(_:maxBytes:)`: the file holds more than allowed,
/// and its content was not read.
public struct FileTooLargeError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var size: Int
  public var limit: Int
  public var description: String { "\(path) is \(size) bytes, over the limit of \(limit) bytes" }
}

extension Snapshot {
  public var supportsConcurrentReads: Bool { false }
  public func byteCount(_ path: String) -> Int? { nil }
  public func contains(_ path: String) -> Bool { (try? read(path)) != nil }

  /// The bytes of the file at `path`, or `FileTooLargeError` when it holds
  /// more than `maxBytes`: decided from `byteCount` before anything is read
  /// (an 8 GB file costs a `stat`), else after reading.
  public func read(_ path: String, maxBytes: Int) throws -> Data {
    if let size = byteCount(path), size > maxBytes { throw FileTooLargeError(path: path, size: size, limit: maxBytes) }
    let data = try read(path)
    guard data.count <= maxBytes else { throw FileTooLargeError(path: path, size: data.count, limit: maxBytes) }
    return data
  }
}

/// The size of the regular file at `relative` (a repository path) under
/// `root`, not following a final symbolic link; nil for anything else, for a
/// path with `..`, or when it cannot be examined.
public func regularFileSize(root: URL, relative: String) -> Int? {
  let components = relative.split(separator: "/", omittingEmptySubsequences: false)
  guard !relative.hasPrefix("/"), !components.contains(where: { $0 == ".." || $0.isEmpty }) else { return nil }
  var status = stat()
  guard lstat(root.path + "/" + relative, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
  return Int(status.st_size)
}

/// A plain directory on disk (the working tree, or any folder without Git).
/// `.git` is skipped; so is anything under a directory listed in `skipping`.
/// As in Git's working tree, only regular files and folders are listed:
/// symbolic links, FIFOs and the like are neither listed nor followed, and
/// `read` goes through `PathPolicy` (no link, no `..`).
public struct FileSystemSnapshot: Snapshot {
  public let root: URL
  public var label: String { "working tree" }
  public var revision: String? { nil }
  private let skipping: Set<String>
  private let files: PathPolicy

  public init(root: URL, skipping: Set<String> = [".git", ".build", "node_modules"]) {
    self.root = root.standardizedFileURL
    self.skipping = skipping
    files = PathPolicy(root: root)
  }

  public func paths() throws -> [String] {
    var result: [String] = []
    try walk(directory: root.path, relative: "", into: &result)
    return result.sorted()
  }

  private func walk(directory: String, relative: String, into result: inout [String]) throws {
    for (name, kind) in try PathPolicy.entries(ofFolder: directory) where !skipping.contains(name) {
      let rel = relative.isEmpty ? name : relative + "/" + name
      switch kind {
      case .folder: try walk(directory: directory + "/" + name, relative: rel, into: &result)
      case .file: result.append(rel)
      case .other: continue
      }
    }
  }

  public func read(_ path: String) throws -> Data { try files.read(path) }

  public func blobID(_ path: String) -> String? { nil }
  public var supportsConcurrentReads: Bool { true }
  public func byteCount(_ path: String) -> Int? { regularFileSize(root: root, relative: path) }
}

/// An in-memory snapshot, for tests and for content that is not on disk.
public struct MemorySnapshot: Snapshot {
  public var files: [String: Data]
  public var label: String
  public var revision: String?

  public init(files: [String: Data], label: String = "memory", revision: String? = nil) {
    self.files = files
    self.label = label
    self.revision = revision
  }

  public init(texts: [String: String], label: String = "memory") {
    self.init(files: texts.mapValues { Data($0.utf8) }, label: label)
  }

  public func paths() throws -> [String] { files.keys.sorted() }
  public func read(_ path: String) throws -> Data {
    guard let data = files[path] else { throw KeelError("no such file: \(path)") }
    return data
  }
  public func blobID(_ path: String) -> String? { nil }
  public var supportsConcurrentReads: Bool { true }
  public func byteCount(_ path: String) -> Int? { files[path]?.count }
}

/// A view of a folder inside another snapshot: the keel repository may live in
/// a subfolder of the Git repository (`examples/product-ops`).
public struct SubdirectorySnapshot: Snapshot {
  public let base: Snapshot
  /// `examples/product-ops/` (with the trailing slash), or empty.
  public let prefix: String

  public init(base: Snapshot, directory: String) {
    self.base = base
    let trimmed = directory.split(separator: "/").joined(separator: "/")
    self.prefix = trimmed.isEmpty ? "" : trimmed + "/"
  }

  public var label: String { base.label }
  public var revision: String? { base.revision }

  public func paths() throws -> [String] {
    guard !prefix.isEmpty else { return try base.paths() }
    return try base.paths().compactMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil }
  }

  public func read(_ path: String) throws -> Data { try base.read(prefix + path) }
  public func read(_ path: String, maxBytes: Int) throws -> Data {
    do { return try base.read(prefix + path, maxBytes: maxBytes) } catch var error as FileTooLargeError {
      error.path = path
      throw error
    }
  }
  public func blobID(_ path: String) -> String? { base.blobID(prefix + path) }
  public var supportsConcurrentReads: Bool { base.supportsConcurrentReads }
  public func byteCount(_ path: String) -> Int? { base.byteCount(prefix + path) }
}
