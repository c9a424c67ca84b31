import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Replaces a file's contents all at once: readers (and a crash, or a full
/// disk) see the old file or the new one, never a half-written one.
public enum AtomicFile {
  /// Writes `data` to a temporary file in the destination's directory, flushes
  /// it to disk, then renames it over the destination (and flushes the
  /// directory). When the destination is a symbolic link, the file it points
  /// to is replaced and the link kept.
  ///
  /// - Parameter permissions: the new file's mode bits (e.g. `0o755`). When
  ///   nil, a replaced file keeps its mode and a new file gets `0o666` less
  ///   the umask, as any newly created file does.
  public static func write(_ data: Data, to url: URL, permissions: Int? = nil) throws {
    try write(data, to: url, permissions: permissions, followingSymbolicLinks: true)
  }

  /// As `write(_:to:permissions:)`; with `followingSymbolicLinks: false` a
  /// symbolic link at `url` is itself replaced by the new file and what it
  /// pointed to is left alone. With `durable: false` neither the file nor the
  /// folder is flushed to disk: the replacement is still all at once for
  /// readers, but a crash may lose it or leave it cut short (for caches that
  /// check their contents).
  public static func write(
    _ data: Data, to url: URL, permissions: Int?, followingSymbolicLinks: Bool, durable: Bool = true
  ) throws {
    let target = followingSymbolicLinks ? try resolveSymbolicLinks(url.path) : url.path
    let folder = (target as NSString).deletingLastPathComponent
    let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else { throw failure("cannot create a temporary file next to \(url.path)") }
    defer { close(directory) }
    try write(
      data, in: directory, name: (target as NSString).lastPathComponent, shownAs: url.path, permissions: permissions,
      replacing: true, durable: durable)
  }

  /// Writes `data` as `name` in the open folder `directory` (a temporary file,
  /// flushed, then renamed into place; the folder is flushed too). A symbolic
  /// link at `name` is replaced itself, never followed.
  ///
  /// - Parameters:
  ///   - shownAs: the path error messages name.
  ///   - replacing: when false, an existing `name` (of any kind) is never
  ///     replaced, atomically: the new file is hard-linked into place, which
  ///     fails when the name is taken (`refusing to overwrite`).
  ///   - durable: when false, nothing is flushed to disk.
  public static func write(
    _ data: Data, in directory: Int32, name: String, shownAs path: String, permissions: Int?, replacing: Bool,
    durable: Bool = true
  ) throws {
    var existing = stat()
    let exists = fstatat(directory, name, &existing, AT_SYMLINK_NOFOLLOW) == 0
    if exists && !replacing { throw KeelError("refusing to overwrite \(path)") }
    if exists && (existing.st_mode & S_IFMT) == S_IFDIR {
      throw KeelError("cannot write \(path): it is a directory")
    }
    if exists && (existing.st_mode & S_IFMT) == S_IFLNK && fstatat(directory, name, &existing, 0) != 0 {
      existing.st_mode = 0  // a dangling link being replaced: the new file gets the default mode
    }
    let existingMode = exists && existing.st_mode != 0 ? existing.st_mode & 0o7777 : nil
    let mode: mode_t? = permissions.map { mode_t($0 & 0o7777) } ?? existingMode

    // At most 100 characters of the name: the temporary name must stay under the file system's limit.
    let temporary = ".\(name.prefix(100)).keel-\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
    let descriptor = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else { throw failure("cannot create a temporary file next to \(path)") }

    var placed = false
    defer { if !placed { unlinkat(directory, temporary, 0) } }
    do {
      defer { close(descriptor) }
      guard data.withUnsafeBytes({ FileDescriptorIO.write(descriptor, $0) }) else {
        throw failure("cannot write \(path)")
      }
      if let mode, fchmod(descriptor, mode) != 0 { throw failure("cannot set the permissions of \(path)") }
      guard !durable || fsync(descriptor) == 0 else { throw failure("cannot flush \(path) to disk") }
    }
    if replacing {
      guard renameat(directory, temporary, directory, name) == 0 else { throw failure("cannot replace \(path)") }
      placed = true
    } else if linkat(directory, temporary, directory, name, 0) == 0 {
      // The temporary name is removed by the deferred unlink; the file stays under `name`.
    } else if errno == EEXIST {
      throw KeelError("refusing to overwrite \(path)")
    } else if [EPERM, EOPNOTSUPP, EXDEV, EMLINK].contains(errno) {
      // A file system without hard links: check again and rename (the window is as small as it can be).
      guard fstatat(directory, name, &existing, AT_SYMLINK_NOFOLLOW) != 0 else {
        throw KeelError("refusing to overwrite \(path)")
      }
      guard renameat(directory, temporary, directory, name) == 0 else { throw failure("cannot create \(path)") }
      placed = true
    } else {
      throw failure("cannot create \(path)")
    }
    if durable { _ = fsync(directory) }  // makes the rename durable; best effort (some file systems refuse)
  }

  /// Follows a chain of symbolic links to the path that will really be written.
  static func resolveSymbolicLinks(_ path: String) throws -> String {
    var current = path
    for _ in 0..<40 {
      var info = stat()
      guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let length = readlink(current, &buffer, buffer.count - 1)
      guard length >= 0 else { throw failure("cannot read the link \(current)") }
      let destination = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current =
        destination.hasPrefix("/")
        ? destination
        : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
    }
    throw KeelError("cannot write \(path): too many levels of symbolic links")
  }

  static func failure(_ message: String) -> KeelError {
    KeelError("\(message): \(String(cString: strerror(errno)))")
  }
}
