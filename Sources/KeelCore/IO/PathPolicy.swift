import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why keel will not read or write a path: it leads outside the repository, or
/// it goes through a symbolic link. Commands stop with this one-line reason (exit 2).
public struct PathRefusal: Error, Sendable, CustomStringConvertible {
  public enum Access: String, Sendable {
    case read, write
  }

  public var access: Access
  /// The path as keel was asked for it (repository-relative, or as typed).
  public var path: String
  /// Why: `specs/out is a symbolic link …`.
  public var reason: String

  public init(_ access: Access, _ path: String, _ reason: String) {
    self.access = access
    self.path = path
    self.reason = reason
  }

  public var description: String { "refusing to \(access.rawValue) \(path): \(reason)" }

  /// How a failed read of a file keel.yaml names is described: "does not
  /// exist", or the reason keel refused to read it.
  public static func problem(reading error: Error) -> String {
    if let tooLarge = error as? FileTooLargeError {
      return "is not read: it is \(tooLarge.size) bytes, over the limit of \(tooLarge.limit) bytes"
    }
    guard let refusal = error as? PathRefusal else { return "does not exist" }
    return "is not read: \(refusal.reason)"
  }
}

/// The root folder of a `PathPolicy`, opened once (every read starts there)
/// and closed with the last copy of the policy.
private final class RootFolder: Sendable {
  /// -1 when the folder could not be opened (it may not exist yet): each use then opens it itself.
  let descriptor: Int32

  init(_ path: String) { descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }

  deinit { if descriptor >= 0 { close(descriptor) } }
}

/// The one place that decides whether keel may read or write a path of a
/// repository (the folder of keel.yaml, the Git working tree, or a folder
/// `keel init` fills).
///
/// Paths are relative to `root`. A path that leads outside it (`..`, an
/// absolute path elsewhere) is refused, and so is a symbolic link at any
/// component below `root`: files are opened one folder at a time with
/// `O_NOFOLLOW` (`openat`), so nothing is read or written through a link even
/// if one appears between a check and the open. Only regular files are read,
/// and the open never blocks (a FIFO cannot hang keel). `root` itself is
/// trusted as given.
public struct PathPolicy: Sendable {
  public let root: URL
  private let rootPath: String
  private let rootFolder: RootFolder

  public init(root: URL) {
    self.root = root.standardizedFileURL
    rootPath = self.root.path
    rootFolder = RootFolder(rootPath)
  }

  // MARK: - Paths

  /// The names of a repository-relative path as keel's own files name them
  /// (keel.yaml entries, listed paths): `..`, `.`, empty names and absolute
  /// paths are refused.
  public static func components(of path: String, access: PathRefusal.Access) throws(PathRefusal) -> [String] {
    if path.hasPrefix("/") {
      throw PathRefusal(access, path, "it is an absolute path; keel's files are named relative to the repository")
    }
    let names = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    if names.contains("..") { throw PathRefusal(access, path, "'..' leads outside the repository") }
    guard !path.isEmpty, !names.contains(where: { $0.isEmpty || $0 == "." }) else {
      throw PathRefusal(access, path, "it is not a file path inside the repository")
    }
    return names
  }

  /// A path given on the command line (absolute, or relative to `directory`)
  /// as a path relative to `root`, `.` and `..` resolved by name; empty for
  /// `root` itself. Refused when it ends up outside `root`.
  public func relativePath(_ argument: String, from directory: URL, access: PathRefusal.Access) throws(PathRefusal)
    -> String
  {
    let absolute = argument.hasPrefix("/") ? argument : directory.standardizedFileURL.path + "/" + argument
    var names: [Substring] = []
    for name in absolute.split(separator: "/") where name != "." {
      if name == ".." {
        if !names.isEmpty { names.removeLast() }
      } else {
        names.append(name)
      }
    }
    let rootNames = rootPath.split(separator: "/")
    guard names.count >= rootNames.count, names.prefix(rootNames.count).elementsEqual(rootNames) else {
      throw PathRefusal(access, argument, "it is outside the repository at \(rootPath)")
    }
    return names.dropFirst(rootNames.count).joined(separator: "/")
  }

  /// The path relative to `root` when `url` lies inside it (by name), else nil.
  public func contains(_ url: URL) -> String? {
    try? relativePath(url.standardizedFileURL.path, from: root, access: .write)
  }

  // MARK: - Reading and writing

  /// The bytes of the regular file at `path`. Throws `PathRefusal` for a path
  /// outside the repository, a symbolic link or something that is not a
  /// regular file, and `KeelError` when there is no such file.
  ///
  /// - Parameters:
  ///   - maxBytes: a larger file is not read: `FileTooLargeError` (decided from its size).
  ///   - prefix: read no more than this many bytes from the start.
  public func read(_ path: String, maxBytes: Int? = nil, prefix: Int? = nil) throws -> Data {
    let names = try Self.components(of: path, access: .read)
    guard let directory = try openFolder(of: names, path: path, access: .read, creating: false, forReading: true) else {
      throw KeelError("no such file: \(path)")
    }
    defer { close(directory) }
    let descriptor = try openFile(names, in: directory, path: path, access: .read)
    defer { close(descriptor) }
    return try Self.readRegularFile(descriptor, path: path, maxBytes: maxBytes, prefix: prefix)
  }

  /// Writes `data` atomically at `path`, creating missing folders. Refuses a
  /// symbolic link at any component (the file's own name included); with
  /// `replacing: false` never replaces an existing file (`refusing to overwrite`).
  /// With `durable: false` nothing is flushed to disk (caches: a lost file is only rebuilt).
  public func write(_ data: Data, to path: String, replacing: Bool, permissions: Int? = nil, durable: Bool = true)
    throws
  {
    let names = try Self.components(of: path, access: .write)
    guard let directory = try openFolder(of: names, path: path, access: .write, creating: true) else {
      throw KeelError("cannot create the folders of \(path)")
    }
    defer { close(directory) }
    var status = stat()
    if fstatat(directory, names[names.count - 1], &status, AT_SYMLINK_NOFOLLOW) == 0,
      status.st_mode & S_IFMT == S_IFLNK
    {
      throw PathRefusal(.write, path, Self.linkReason(names, upTo: names.count - 1))
    }
    try AtomicFile.write(
      data, in: directory, name: names[names.count - 1], shownAs: path, permissions: permissions,
      replacing: replacing, durable: durable)
  }

  /// Removes the file at `path` (a symbolic link there is removed itself, never followed), going
  /// through no linked folder; nothing there is no failure.
  public func remove(_ path: String) throws {
    let names = try Self.components(of: path, access: .write)
    guard let directory = try openFolder(of: names, path: path, access: .write, creating: false) else { return }
    defer { close(directory) }
    if unlinkat(directory, names[names.count - 1], 0) != 0 && errno != ENOENT {
      throw AtomicFile.failure("cannot remove \(path)")
    }
  }

  /// Whether something already exists at `path`, checked the way `write`
  /// would go: throws `PathRefusal` when a component (the last included) is a
  /// symbolic link or the path leads outside. Lets a command refuse before it
  /// writes anything.
  public func exists(_ path: String, access: PathRefusal.Access = .write) throws -> Bool {
    let names = try Self.components(of: path, access: access)
    guard let directory = try openFolder(of: names, path: path, access: access, creating: false) else { return false }
    defer { close(directory) }
    var status = stat()
    guard fstatat(directory, names[names.count - 1], &status, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
    if status.st_mode & S_IFMT == S_IFLNK {
      throw PathRefusal(access, path, Self.linkReason(names, upTo: names.count - 1))
    }
    return true
  }

  // MARK: - Listing

  /// What a folder entry is to keel: a regular file it may read, a folder it
  /// may enter, or something else (a symbolic link, a FIFO, a socket, a
  /// device), which keel neither reads nor follows.
  public enum EntryKind: Sendable {
    case file, folder, other
  }

  /// The entries of the folder at `path` (an absolute path), without `.` and
  /// `..`, in the order the file system gives them. Both working-tree
  /// listings (the Git one and the plain-folder one) classify entries here.
  public static func entries(ofFolder path: String) throws(KeelError) -> [(name: String, kind: EntryKind)] {
    guard let stream = opendir(path) else {
      throw KeelError("cannot list directory \(path): \(String(cString: strerror(errno)))")
    }
    defer { closedir(stream) }
    var entries: [(name: String, kind: EntryKind)] = []
    while let entry = readdir(stream) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
      }
      if name == "." || name == ".." { continue }
      entries.append((name, kind(of: entry.pointee.d_type, at: path + "/" + name)))
    }
    return entries
  }

  private static func kind(of type: UInt8, at path: String) -> EntryKind {
    switch Int32(type) {
    case Int32(DT_REG): return .file
    case Int32(DT_DIR): return .folder
    case Int32(DT_UNKNOWN):
      var status = stat()
      guard lstat(path, &status) == 0 else { return .other }
      switch status.st_mode & S_IFMT {
      case S_IFREG: return .file
      case S_IFDIR: return .folder
      default: return .other
      }
    default: return .other
    }
  }

  // MARK: - Descriptors (for `FileEdit`)

  /// Opens the folder that holds `names.last`, one component at a time
  /// without following links; with `creating`, missing folders are made,
  /// without it nil means one is missing. The caller closes the descriptor.
  /// `forReading` folders can only be used to open files in (`O_PATH` on
  /// Linux: cheaper), not flushed or written to.
  func openFolder(
    of names: [String], path: String, access: PathRefusal.Access, creating: Bool, forReading: Bool = false
  ) throws -> Int32? {
    let start = rootFolder.descriptor >= 0 ? rootFolder.descriptor : open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard start >= 0 else { throw AtomicFile.failure("cannot open \(rootPath)") }
    var directory = start
    // Closes a descriptor this call opened (never the policy's own root descriptor).
    func release(_ descriptor: Int32) { if descriptor != rootFolder.descriptor { close(descriptor) } }
    let flags = (forReading ? Self.pathOnly : O_RDONLY) | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
    for index in 0..<(names.count - 1) {
      var next = openat(directory, names[index], flags)
      if next < 0, errno == ENOENT, creating {
        if mkdirat(directory, names[index], 0o777) != 0, errno != EEXIST {
          let error = AtomicFile.failure("cannot create the folder \(names[0...index].joined(separator: "/"))")
          release(directory)
          throw error
        }
        next = openat(directory, names[index], flags)
      }
      if next < 0 && errno == ENOENT && !creating {
        release(directory)
        return nil
      }
      if next < 0 {
        let error = openFailure(names, index: index, in: directory, path: path, access: access, folder: true)
        release(directory)
        throw error
      }
      release(directory)
      directory = next
    }
    return directory == rootFolder.descriptor ? dup(directory) : directory
  }

  #if os(Linux)
    /// `O_PATH` (not exported by Glibc's module): a descriptor to open files relative to, nothing more.
    private static let pathOnly: Int32 = 0o10000000
  #else
    private static let pathOnly: Int32 = O_RDONLY
  #endif

  /// Opens the regular file `names.last` in `directory` (read-only, not
  /// following a link, never blocking). The caller closes it.
  func openFile(_ names: [String], in directory: Int32, path: String, access: PathRefusal.Access) throws -> Int32 {
    let descriptor = openat(directory, names[names.count - 1], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw openFailure(names, index: names.count - 1, in: directory, path: path, access: access, folder: false)
    }
    return descriptor
  }

  /// Why `names[index]` could not be opened in `directory`: a link or a
  /// non-folder is refused (`PathRefusal`), anything else is a `KeelError`.
  private func openFailure(
    _ names: [String], index: Int, in directory: Int32, path: String, access: PathRefusal.Access, folder: Bool
  ) -> Error {
    let code = errno
    var status = stat()
    let shown = names[0...index].joined(separator: "/")
    if fstatat(directory, names[index], &status, AT_SYMLINK_NOFOLLOW) == 0 {
      if status.st_mode & S_IFMT == S_IFLNK { return PathRefusal(access, path, Self.linkReason(names, upTo: index)) }
      if folder && status.st_mode & S_IFMT != S_IFDIR { return PathRefusal(access, path, "\(shown) is not a folder") }
    }
    if code == ENOENT { return KeelError("no such file: \(path)") }
    return KeelError("cannot open \(shown): \(String(cString: strerror(code)))")
  }

  private static func linkReason(_ names: [String], upTo index: Int) -> String {
    let subject = index == names.count - 1 ? "it" : names[0...index].joined(separator: "/")
    return "\(subject) is a symbolic link; keel does not follow links inside the repository"
  }

  /// Reads an open file to its end (or its first `prefix` bytes); it must be a regular file of at
  /// most `maxBytes`.
  static func readRegularFile(_ descriptor: Int32, path: String, maxBytes: Int? = nil, prefix: Int? = nil) throws
    -> Data
  {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw AtomicFile.failure("cannot read \(path)") }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw PathRefusal(.read, path, "it is not a regular file")
    }
    let size = Int(status.st_size)
    if let maxBytes, size > maxBytes { throw FileTooLargeError(path: path, size: size, limit: maxBytes) }
    var data = Data(count: min(size, prefix ?? size))
    guard let filled = data.withUnsafeMutableBytes({ FileDescriptorIO.read(descriptor, into: $0) }) else {
      throw AtomicFile.failure("cannot read \(path)")
    }
    // The file may have shrunk while being read: keep what was there.
    if filled < data.count { data.removeSubrange(filled...) }
    return data
  }
}
