import Foundation
import KeelCore
import KeelGit

/// Where keel runs: the Git repository (if any) around the working directory
/// and the folder holding keel.yaml, which may be a subfolder of the repository.
struct Workspace {
  let directory: URL
  let repository: Repository?
  /// Folder of keel.yaml in the working tree (nil in a bare repository).
  let keelRoot: URL?
  /// keel.yaml's folder relative to the Git working directory (`examples/product-ops`), or empty.
  let prefix: String

  init(directory: URL) throws {
    self.directory = directory
    guard FileManager.default.fileExists(atPath: directory.path) else {
      throw KeelError("no such directory: \(directory.path)")
    }
    repository = try? Repository.discover(from: directory.path)
    let top = repository?.workingDirectory?.standardizedFileURL
    var keelRoot: URL?
    if repository?.isBare != true {
      var candidate = directory.standardizedFileURL
      while true {
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(KeelConfig.fileName).path) {
          keelRoot = candidate
          break
        }
        if let top, candidate.path == top.path { break }
        let parent = candidate.deletingLastPathComponent()
        if parent.path == candidate.path { break }
        candidate = parent
      }
    }
    self.keelRoot = keelRoot
    if let top, let keelRoot, keelRoot.path.hasPrefix(top.path) {
      prefix = String(keelRoot.path.dropFirst(top.path.count)).split(separator: "/").joined(separator: "/")
    } else {
      prefix = ""
    }
  }

  /// The folder whose files keel must not write or read through a symbolic
  /// link: the Git working tree, else keel.yaml's folder (nil in a bare repository).
  var repositoryRoot: URL? {
    if let repository, !repository.isBare, let top = repository.workingDirectory { return top.standardizedFileURL }
    return keelRoot
  }

  func requireRepository(for purpose: String) throws -> Repository {
    guard let repository else {
      throw KeelError("\(directory.path) is not inside a Git repository (needed for \(purpose))")
    }
    return repository
  }

  /// The working tree as keel sees it (keel.yaml's folder).
  func workingTree() throws -> Snapshot {
    if let repository, !repository.isBare {
      let snapshot = SubdirectorySnapshot(base: try repository.workingTreeSnapshot(), directory: prefix)
      // keel.yaml in a folder the enclosing repository ignores: that folder is
      // not part of the repository, so read it as a plain folder.
      if let keelRoot, !(try snapshot.paths()).contains(KeelConfig.fileName) {
        return FileSystemSnapshot(root: keelRoot)
      }
      return snapshot
    }
    guard let keelRoot else {
      if repository?.isBare == true {
        throw KeelError("a bare repository has no working tree; use --rev REV")
      }
      throw KeelError("no \(KeelConfig.fileName) found in \(directory.path) or its parents; run 'keel init'")
    }
    return FileSystemSnapshot(root: keelRoot)
  }

  func index() throws -> Snapshot {
    let repository = try requireRepository(for: "--staged")
    if repository.isBare { throw KeelError("a bare repository has no index") }
    return SubdirectorySnapshot(base: try repository.indexSnapshot(), directory: prefix)
  }

  func revision(_ revision: String) throws -> Snapshot {
    let repository = try requireRepository(for: "a revision")
    return SubdirectorySnapshot(base: try repository.treeSnapshot(at: revision), directory: prefix)
  }
}
