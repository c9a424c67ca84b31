import Foundation

#if canImport(Glibc)
  import Glibc
  private let posixWrite = Glibc.write
#elseif canImport(Darwin)
  import Darwin
  private let posixWrite = Darwin.write
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
  /// pointed to is left alone.
  public static func write(_ data: Data, to url: URL, permissions: Int?, followingSymbolicLinks: Bool) throws {
    let target = followingSymbolicLinks ? try resolveSymbolicLinks(url.path) : url.path
    var existing = stat()
    let exists = lstat(target, &existing) == 0
    if exists && (existing.st_mode & S_IFMT) == S_IFDIR {
      throw KeelError("cannot write \(url.path): it is a directory")
    }
    if exists && (existing.st_mode & S_IFMT) == S_IFLNK && stat(target, &existing) != 0 {
      existing.st_mode = 0  // a dangling link being replaced: the new file gets the default mode
    }
    let existingMode = exists && existing.st_mode != 0 ? existing.st_mode & 0o7777 : nil
    let mode: mode_t? = permissions.map { mode_t($0 & 0o7777) } ?? existingMode

    let directory = (target as NSString).deletingLastPathComponent
    let name = (target as NSString).lastPathComponent
    let temporary =
      (directory.isEmpty ? "." : directory)
      + "/.\(name).keel-\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else { throw failure("cannot create a temporary file next to \(url.path)") }

    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    do {
      defer { close(descriptor) }
      try writeAll(data, to: descriptor, path: url.path)
      if let mode, fchmod(descriptor, mode) != 0 { throw failure("cannot set the permissions of \(url.path)") }
      guard fsync(descriptor) == 0 else { throw failure("cannot flush \(url.path) to disk") }
    }
    guard rename(temporary, target) == 0 else { throw failure("cannot replace \(url.path)") }
    renamed = true
    syncDirectory(directory.isEmpty ? "." : directory)
  }

  private static func writeAll(_ data: Data, to descriptor: Int32, path: String) throws {
    try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = posixWrite(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw failure("cannot write \(path)")
        }
        offset += written
      }
    }
  }

  /// Makes the rename itself durable. Best effort: some file systems refuse
  /// to sync a directory, and the data is already safe in the file.
  private static func syncDirectory(_ path: String) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
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

  private static func failure(_ message: String) -> KeelError {
    KeelError("\(message): \(String(cString: strerror(errno)))")
  }
}
