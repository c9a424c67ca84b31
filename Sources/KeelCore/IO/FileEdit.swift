import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An edit that would have overwritten someone else's: the file changed since
/// keel read it, or another keel process is editing it. Nothing was written;
/// commands exit 1 with this message.
public struct EditConflict: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var description: String

  init(_ path: String, _ description: String) {
    self.path = path
    self.description = description
  }
}

/// A read-modify-write of one file of the repository that cannot lose an edit
/// (`keel transition`):
///
/// - the file is opened through `PathPolicy` (no symbolic link, no `..`) and
///   locked (`flock`, exclusive) for as long as this value lives, so a second
///   keel process editing the same file fails (`EditConflict`) instead of
///   racing. The lock goes with the process: a crashed keel leaves none behind.
/// - `replace(with:)` reads the file again right before the atomic rename and
///   refuses when its bytes differ from `original` (an editor saved meanwhile).
///   What is left is the instant between that comparison and the rename.
public final class FileEdit {
  public let path: String
  /// The bytes as they were read, under the lock.
  public let original: Data
  private let names: [String]
  private let policy: PathPolicy
  private let directory: Int32
  private let descriptor: Int32

  public init(_ path: String, in policy: PathPolicy) throws {
    self.path = path
    self.policy = policy
    names = try PathPolicy.components(of: path, access: .write)
    guard let directory = try policy.openFolder(of: names, path: path, access: .write, creating: false) else {
      throw KeelError("no such file: \(path)")
    }
    var descriptor: Int32 = -1
    do {
      descriptor = try policy.openFile(names, in: directory, path: path, access: .write)
      original = try Self.lockAndRead(descriptor, name: names[names.count - 1], in: directory, path: path)
    } catch {
      if descriptor >= 0 { close(descriptor) }
      close(directory)
      throw error
    }
    self.directory = directory
    self.descriptor = descriptor
  }

  /// Takes the lock, reads the file and makes sure the file at the path is still the one locked
  /// (not replaced between the open and the lock).
  private static func lockAndRead(_ descriptor: Int32, name: String, in directory: Int32, path: String) throws -> Data {
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      if errno == EWOULDBLOCK {
        throw EditConflict(path, "\(path) is being changed by another keel process; nothing was written")
      }
      throw AtomicFile.failure("cannot lock \(path)")
    }
    let data = try PathPolicy.readRegularFile(descriptor, path: path)
    var opened = stat()
    var current = stat()
    guard fstat(descriptor, &opened) == 0, fstatat(directory, name, &current, AT_SYMLINK_NOFOLLOW) == 0,
      opened.st_ino == current.st_ino, opened.st_dev == current.st_dev
    else { throw changed(path) }
    return data
  }

  deinit {
    close(descriptor)
    close(directory)
  }

  /// Replaces the file with `data` atomically (its mode kept), unless its
  /// bytes changed since `original` was read: then `EditConflict`, and the
  /// file is left as the other writer left it.
  public func replace(with data: Data) throws {
    let now: Data
    do {
      let reopened = try policy.openFile(names, in: directory, path: path, access: .write)
      defer { close(reopened) }
      now = try PathPolicy.readRegularFile(reopened, path: path)
    } catch is KeelError {
      throw Self.changed(path)  // removed (or made unreadable) meanwhile
    }
    guard now == original else { throw Self.changed(path) }
    try AtomicFile.write(
      data, in: directory, name: names[names.count - 1], shownAs: path, permissions: nil, replacing: true)
  }

  private static func changed(_ path: String) -> EditConflict {
    EditConflict(path, "\(path) changed since keel read it; nothing was written (run the command again)")
  }
}
