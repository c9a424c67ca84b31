import CLibgit2
import Foundation
import KeelCore

/// Reads raw objects from the object database and compares trees entry by entry, on the raw tree
/// format (`<mode> <name>\0<20-byte id>`, sorted), as git does: no per-entry allocation, and equal ids
/// end the comparison there (an unchanged folder is never opened), so the cost is proportional to
/// what changed, not to the size of the tree. Only regular files are reported; a file that becomes
/// a symbolic link or a submodule is deleted.
///
/// Use only with the repository lock held.
struct TreeComparison {
  let objectDatabase: OpaquePointer
  /// Reads packed and loose objects without libgit2, keeping recent trees and delta bases;
  /// libgit2 reads the rest (alternates, damage).
  let packs: PackReader

  init(objectDatabase: OpaquePointer, packs: PackReader) {
    self.objectDatabase = objectDatabase
    self.packs = packs
  }

  /// The repository's own handles (the caller holds its lock).
  init(repository: Repository) {
    self.init(objectDatabase: repository.objectDatabase, packs: repository.packReader)
  }

  /// Calls `body` with the bytes of a tree (valid only inside `body`).
  func withTree<T>(_ id: ObjectID, _ body: (UnsafeRawBufferPointer) throws(GitError) -> T) throws(GitError) -> T {
    try withObject(id, what: "tree", body)
  }

  /// Calls `body` with the bytes of an object (valid only inside `body`).
  func withObject<T>(_ id: ObjectID, what: String, _ body: (UnsafeRawBufferPointer) throws(GitError) -> T)
    throws(GitError) -> T
  {
    if let packed = packs.object(id) {
      defer { withExtendedLifetime(packed) {} }
      return try body(packed.bytes)
    }
    var object: OpaquePointer?
    let code = id.withPointer { git_odb_read(&object, objectDatabase, $0) }
    guard code == 0, let object else {
      throw GitError.fromLastError(code: code, operation: "cannot read \(what) \(id.hex)")
    }
    defer { git_odb_object_free(object) }
    let size = git_odb_object_size(object)
    guard size > 0, let data = git_odb_object_data(object) else {
      return try body(UnsafeRawBufferPointer(start: nil, count: 0))
    }
    return try body(UnsafeRawBufferPointer(start: data, count: size))
  }

  func changes(from old: ObjectID?, to new: ObjectID?) throws(GitError) -> [TreeChange] {
    if old == new { return [] }
    var result: [TreeChange] = []
    try compare(old, new, prefix: [], into: &result)
    return result.sorted { $0.path < $1.path }
  }

  private func compare(_ old: ObjectID?, _ new: ObjectID?, prefix: [UInt8], into result: inout [TreeChange])
    throws(GitError)
  {
    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    func withTree<T>(_ id: ObjectID?, _ body: (UnsafeRawBufferPointer) throws(GitError) -> T) throws(GitError) -> T {
      guard let id else { return try body(empty) }
      return try self.withTree(id, body)
    }
    try withTree(old) { (oldBytes) throws(GitError) in
      try withTree(new) { (newBytes) throws(GitError) in
        var oldEntries = RawTreeIterator(oldBytes)
        var newEntries = RawTreeIterator(newBytes)
        var oldEntry = oldEntries.next()
        var newEntry = newEntries.next()
        while oldEntry != nil || newEntry != nil {
          let order: Int
          if let oldEntry, let newEntry {
            order = RawTreeEntry.compare(oldEntry, newEntry)
          } else {
            order = oldEntry == nil ? 1 : -1
          }
          if order < 0 {
            try removed(oldEntry!, prefix: prefix, into: &result)
            oldEntry = oldEntries.next()
          } else if order > 0 {
            try added(newEntry!, prefix: prefix, into: &result)
            newEntry = newEntries.next()
          } else {
            try changed(oldEntry!, newEntry!, prefix: prefix, into: &result)
            oldEntry = oldEntries.next()
            newEntry = newEntries.next()
          }
        }
      }
    }
  }

  private func path(_ entry: RawTreeEntry, prefix: [UInt8]) -> [UInt8] {
    prefix + UnsafeRawBufferPointer(start: entry.name, count: entry.nameCount)
  }

  private func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  private func removed(_ entry: RawTreeEntry, prefix: [UInt8], into result: inout [TreeChange]) throws(GitError) {
    switch entry.kind {
    case .tree: try compare(entry.objectID, nil, prefix: path(entry, prefix: prefix) + [0x2f], into: &result)
    case .file:
      result.append(TreeChange(path: string(path(entry, prefix: prefix)), oldBlob: entry.objectID.hex, newBlob: nil))
    case .other: break
    }
  }

  private func added(_ entry: RawTreeEntry, prefix: [UInt8], into result: inout [TreeChange]) throws(GitError) {
    switch entry.kind {
    case .tree: try compare(nil, entry.objectID, prefix: path(entry, prefix: prefix) + [0x2f], into: &result)
    case .file:
      result.append(TreeChange(path: string(path(entry, prefix: prefix)), oldBlob: nil, newBlob: entry.objectID.hex))
    case .other: break
    }
  }

  /// Two entries with the same name (both trees, or both not trees: git's order keeps them apart).
  private func changed(_ old: RawTreeEntry, _ new: RawTreeEntry, prefix: [UInt8], into result: inout [TreeChange])
    throws(GitError)
  {
    let sameID = memcmp(old.id, new.id, 20) == 0
    switch (old.kind, new.kind) {
    case (.tree, .tree):
      if !sameID { try compare(old.objectID, new.objectID, prefix: path(new, prefix: prefix) + [0x2f], into: &result) }
    case (.file, .file):
      // A mode change alone (the executable bit) is not a content change.
      if !sameID {
        result.append(
          TreeChange(path: string(path(new, prefix: prefix)), oldBlob: old.objectID.hex, newBlob: new.objectID.hex))
      }
    case (.file, _): try removed(old, prefix: prefix, into: &result)
    case (_, .file): try added(new, prefix: prefix, into: &result)
    default: break
    }
  }
}

/// One entry of a raw tree object; its pointers are valid only while the object is.
struct RawTreeEntry {
  enum Kind { case tree, file, other }
  var kind: Kind
  var name: UnsafeRawPointer
  var nameCount: Int
  /// 20 bytes.
  var id: UnsafeRawPointer

  var objectID: ObjectID {
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid) { $0.copyMemory(from: UnsafeRawBufferPointer(start: id, count: 20)) }
    return ObjectID(oid)
  }

  /// Git's tree order: names compared bytewise, a tree's name as if it ended with `/`.
  static func compare(_ left: RawTreeEntry, _ right: RawTreeEntry) -> Int {
    let count = min(left.nameCount, right.nameCount)
    let order = memcmp(left.name, right.name, count)
    if order != 0 { return order < 0 ? -1 : 1 }
    let leftNext: UInt8 =
      left.nameCount > count ? left.name.load(fromByteOffset: count, as: UInt8.self) : (left.kind == .tree ? 0x2f : 0)
    let rightNext: UInt8 =
      right.nameCount > count
      ? right.name.load(fromByteOffset: count, as: UInt8.self) : (right.kind == .tree ? 0x2f : 0)
    if leftNext != rightNext { return leftNext < rightNext ? -1 : 1 }
    return left.nameCount == right.nameCount ? 0 : (left.nameCount < right.nameCount ? -1 : 1)
  }
}

/// Iterates `<octal mode> <name>\0<20-byte id>` records; stops at the end or at malformed data.
struct RawTreeIterator {
  private let bytes: UnsafeRawBufferPointer
  private var offset = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  mutating func next() -> RawTreeEntry? {
    guard offset < bytes.count, let base = bytes.baseAddress else { return nil }
    var mode: UInt32 = 0
    while offset < bytes.count, bytes[offset] != 0x20 {
      mode = mode << 3 | UInt32(bytes[offset] &- 0x30)
      offset += 1
    }
    offset += 1
    let nameStart = offset
    while offset < bytes.count, bytes[offset] != 0 { offset += 1 }
    guard offset + 21 <= bytes.count else {
      offset = bytes.count
      return nil
    }
    let nameCount = offset - nameStart
    offset += 1
    let id = base + offset
    offset += 20
    let kind: RawTreeEntry.Kind
    switch mode {
    case 0o040000: kind = .tree
    case 0o100644, 0o100755, 0o100664: kind = .file
    default: kind = .other
    }
    return RawTreeEntry(kind: kind, name: base + nameStart, nameCount: nameCount, id: id)
  }
}
