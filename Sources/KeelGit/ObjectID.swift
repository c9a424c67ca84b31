import CLibgit2

/// A Git object id (SHA-1), copied out of libgit2 so it can outlive the object it came from.
struct ObjectID: Hashable, Sendable, CustomStringConvertible {
  private(set) var raw: git_oid

  init(_ raw: git_oid) { self.raw = raw }
  init(_ pointer: UnsafePointer<git_oid>) { self.raw = pointer.pointee }

  init?(hex: String) {
    var oid = git_oid()
    guard hex.utf8.count == 40, git_oid_fromstrn(&oid, hex, hex.utf8.count) == 0 else { return nil }
    self.raw = oid
  }

  /// The 40-character lowercase hex form.
  var hex: String {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    return withUnsafeBytes(of: raw) { bytes in
      String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
        for (index, byte) in bytes.enumerated() {
          buffer[index * 2] = digits[Int(byte >> 4)]
          buffer[index * 2 + 1] = digits[Int(byte & 0x0f)]
        }
        return bytes.count * 2
      }
    }
  }

  var description: String { hex }

  /// Calls `body` with a pointer to the id, as libgit2 functions take `const git_oid *`.
  func withPointer<T>(_ body: (UnsafePointer<git_oid>) throws -> T) rethrows -> T {
    var copy = raw
    return try body(&copy)
  }

  static func == (lhs: ObjectID, rhs: ObjectID) -> Bool {
    withUnsafeBytes(of: lhs.raw) { left in
      withUnsafeBytes(of: rhs.raw) { right in
        left.loadUnaligned(as: UInt64.self) == right.loadUnaligned(as: UInt64.self)
          && left.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            == right.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
          && left.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
            == right.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
      }
    }
  }

  /// The first 8 bytes: ids are SHA-1 digests, already uniformly spread (hashing all 20 bytes showed
  /// in the profile of a history walk, which keeps tens of thousands of ids in dictionaries).
  func hash(into hasher: inout Hasher) {
    withUnsafeBytes(of: raw) { hasher.combine($0.loadUnaligned(as: UInt64.self)) }
  }
}
