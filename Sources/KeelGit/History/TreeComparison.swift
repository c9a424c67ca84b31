import CLibgit2
import Foundation
import KeelCore

/// Compares two trees entry by entry: equal ids end the comparison there (an unchanged folder is
/// never opened), so the cost is proportional to what changed, not to the size of the tree.
/// Only regular files are reported; a file that becomes a symbolic link or a submodule is deleted.
struct TreeComparison {
  /// The `git_repository *`; call only with the repository lock held.
  let repository: OpaquePointer

  func changes(from old: ObjectID?, to new: ObjectID?) throws(GitError) -> [TreeChange] {
    var result: [TreeChange] = []
    try compare(old, new, prefix: "", into: &result)
    return result.sorted { $0.path < $1.path }
  }

  private func compare(_ old: ObjectID?, _ new: ObjectID?, prefix: String, into result: inout [TreeChange])
    throws(GitError)
  {
    if old == new { return }
    let oldTree = try old.map { id throws(GitError) in try lookup(id, prefix: prefix) }
    defer { if let oldTree { git_tree_free(oldTree) } }
    let newTree = try new.map { id throws(GitError) in try lookup(id, prefix: prefix) }
    defer { if let newTree { git_tree_free(newTree) } }
    let oldCount = oldTree.map { git_tree_entrycount($0) } ?? 0
    let newCount = newTree.map { git_tree_entrycount($0) } ?? 0
    var oldIndex = 0
    var newIndex = 0
    while oldIndex < oldCount || newIndex < newCount {
      let oldEntry = oldIndex < oldCount ? git_tree_entry_byindex(oldTree, oldIndex) : nil
      let newEntry = newIndex < newCount ? git_tree_entry_byindex(newTree, newIndex) : nil
      let order: Int32
      if let oldEntry, let newEntry {
        order = Self.compareNames(oldEntry, newEntry)
      } else {
        order = oldEntry == nil ? 1 : -1
      }
      if order < 0 {
        try removed(oldEntry!, prefix: prefix, into: &result)
        oldIndex += 1
      } else if order > 0 {
        try added(newEntry!, prefix: prefix, into: &result)
        newIndex += 1
      } else {
        try changed(oldEntry!, newEntry!, prefix: prefix, into: &result)
        oldIndex += 1
        newIndex += 1
      }
    }
  }

  private func lookup(_ id: ObjectID, prefix: String) throws(GitError) -> OpaquePointer {
    var tree: OpaquePointer?
    let code = id.withPointer { git_tree_lookup(&tree, repository, $0) }
    guard code == 0, let tree else {
      throw GitError.fromLastError(code: code, operation: "cannot read tree \(id.hex) at '\(prefix)'")
    }
    return tree
  }

  private enum EntryKind { case tree, file, other }

  private static func kind(_ entry: OpaquePointer) -> EntryKind {
    switch git_tree_entry_filemode(entry) {
    case GIT_FILEMODE_TREE: .tree
    case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE: .file
    default: .other
    }
  }

  private static func name(_ entry: OpaquePointer, prefix: String) -> String {
    prefix + String(cString: git_tree_entry_name(entry))
  }

  private func removed(_ entry: OpaquePointer, prefix: String, into result: inout [TreeChange]) throws(GitError) {
    switch Self.kind(entry) {
    case .tree:
      let path = Self.name(entry, prefix: prefix)
      try compare(ObjectID(git_tree_entry_id(entry)), nil, prefix: path + "/", into: &result)
    case .file:
      result.append(
        TreeChange(path: Self.name(entry, prefix: prefix), oldBlob: ObjectID(git_tree_entry_id(entry)).hex, newBlob: nil))
    case .other: break
    }
  }

  private func added(_ entry: OpaquePointer, prefix: String, into result: inout [TreeChange]) throws(GitError) {
    switch Self.kind(entry) {
    case .tree:
      let path = Self.name(entry, prefix: prefix)
      try compare(nil, ObjectID(git_tree_entry_id(entry)), prefix: path + "/", into: &result)
    case .file:
      result.append(
        TreeChange(path: Self.name(entry, prefix: prefix), oldBlob: nil, newBlob: ObjectID(git_tree_entry_id(entry)).hex))
    case .other: break
    }
  }

  /// Two entries with the same name (and both trees or both not trees, as git's order keeps them apart).
  private func changed(_ old: OpaquePointer, _ new: OpaquePointer, prefix: String, into result: inout [TreeChange])
    throws(GitError)
  {
    let oldID = git_tree_entry_id(old)!
    let newID = git_tree_entry_id(new)!
    let oldKind = Self.kind(old)
    let newKind = Self.kind(new)
    if git_oid_equal(oldID, newID) != 0 && oldKind == newKind { return }
    switch (oldKind, newKind) {
    case (.tree, .tree):
      try compare(ObjectID(oldID), ObjectID(newID), prefix: Self.name(new, prefix: prefix) + "/", into: &result)
    case (.file, .file):
      // A mode change alone (executable bit) is not a content change.
      if git_oid_equal(oldID, newID) != 0 { return }
      result.append(
        TreeChange(path: Self.name(new, prefix: prefix), oldBlob: ObjectID(oldID).hex, newBlob: ObjectID(newID).hex))
    case (.file, _):
      try removed(old, prefix: prefix, into: &result)
    case (_, .file):
      try added(new, prefix: prefix, into: &result)
    default:
      break
    }
  }

  /// Git's tree order: names compared bytewise, a tree's name as if it ended with `/`.
  private static func compareNames(_ left: OpaquePointer, _ right: OpaquePointer) -> Int32 {
    let leftName = git_tree_entry_name(left)!
    let rightName = git_tree_entry_name(right)!
    var index = 0
    while true {
      let leftByte = UInt8(bitPattern: leftName[index])
      let rightByte = UInt8(bitPattern: rightName[index])
      if leftByte == 0 || rightByte == 0 || leftByte != rightByte {
        let leftEnd: UInt8 = leftByte != 0 ? leftByte : (git_tree_entry_filemode(left) == GIT_FILEMODE_TREE ? 0x2f : 0)
        let rightEnd: UInt8 =
          rightByte != 0 ? rightByte : (git_tree_entry_filemode(right) == GIT_FILEMODE_TREE ? 0x2f : 0)
        if leftEnd != rightEnd { return leftEnd < rightEnd ? -1 : 1 }
        if leftByte == 0 && rightByte == 0 { return 0 }
        // One name ended and the other continues with '/': compare what follows.
        return leftByte == 0 ? -1 : 1
      }
      index += 1
    }
  }
}
