import Foundation
import KeelCore
import KeelGit

/// Where keel runs: the Git repository (if any) around the working directory
/// and the folder holding keel.yaml, which may be a subfolder of the repository.
public struct Workspace: SnapshotSource, Sendable {
  public let directory: URL
  let repository: Repository?
  /// Folder of keel.yaml in the working tree (nil in a bare repository).
  public let keelRoot: URL?
  /// keel.yaml's folder relative to the Git working directory (`examples/product-ops`), or empty.
  public let prefix: String
  /// `--config FILE`: the keel.yaml every snapshot is read with (its folder holds the files it names).
  let configurationFile: URL?

  /// - Parameter configurationFile: `--config FILE`, relative to `directory`. Its folder is then the
  ///   keel repository's folder; in a Git working tree it must be inside it.
  public init(directory: URL, configurationFile: String? = nil) throws {
    self.directory = directory
    guard FileManager.default.fileExists(atPath: directory.path) else {
      throw KeelError("no such directory: \(directory.path)")
    }
    repository = try? Repository.discover(from: directory.path)
    let top = repository?.workingDirectory?.standardizedFileURL
    var keelRoot: URL?
    self.configurationFile = try configurationFile.map { file in
      let url = URL(fileURLWithPath: file, relativeTo: directory).standardizedFileURL
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else {
        throw KeelError("--config \(file): no such file")
      }
      return url
    }
    if let configurationFile = self.configurationFile {
      let folder = configurationFile.deletingLastPathComponent().standardizedFileURL
      if let top, repository?.isBare != true, folder.path != top.path, !folder.path.hasPrefix(top.path + "/") {
        throw KeelError("--config \(configurationFile.path) is outside the repository at \(top.path)")
      }
      if repository?.isBare != true { keelRoot = folder }
    } else if repository?.isBare != true {
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
  public var repositoryRoot: URL? {
    if let repository, !repository.isBare, let top = repository.workingDirectory { return top.standardizedFileURL }
    return keelRoot
  }

  /// How a report shows paths: from the Git repository root in the machine formats, from `directory`
  /// (where keel runs, `-C`) in text. One place for every reporter (`ReportPaths`).
  public var reportPaths: ReportPaths {
    ReportPaths(
      repositoryPrefix: prefix, keelFolder: keelRoot?.standardizedFileURL.path,
      runDirectory: directory.standardizedFileURL.path)
  }

  /// The `file://` URL of the folder `reportPaths.repository` is relative to (SARIF's `%SRCROOT%`);
  /// nil in a bare repository.
  public var reportRoot: String? {
    guard let root = repository?.isBare == false ? repositoryRoot : keelRoot else { return nil }
    return root.absoluteURL.absoluteString
  }

  func requireRepository(for purpose: String) throws -> Repository {
    guard let repository else {
      throw KeelError("\(directory.path) is not inside a Git repository (needed for \(purpose))")
    }
    return repository
  }

  /// The working tree as keel sees it (keel.yaml's folder).
  public func workingTree() throws -> Snapshot {
    if let repository, !repository.isBare {
      let snapshot = SubdirectorySnapshot(base: try repository.workingTreeSnapshot(), directory: prefix)
      // keel.yaml in a folder the enclosing repository ignores: that folder is
      // not part of the repository, so read it as a plain folder.
      if let keelRoot, !(try snapshot.paths()).contains(configurationFile?.lastPathComponent ?? KeelConfig.fileName) {
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

  public func index() throws -> Snapshot {
    let repository = try requireRepository(for: "--staged")
    if repository.isBare { throw KeelError("a bare repository has no index") }
    return SubdirectorySnapshot(base: try repository.indexSnapshot(), directory: prefix)
  }

  public func revision(_ revision: String) throws -> Snapshot {
    let repository = try requireRepository(for: "a revision")
    return SubdirectorySnapshot(base: try repository.treeSnapshot(at: revision), directory: prefix)
  }

  /// Where keel.yaml and the schemas, templates and workflows it names are read for `snapshot`
  /// (`Checker.configuration`); nil: from `snapshot` itself, as usual. With `--config FILE`: FILE,
  /// and the files it names from its folder, whatever the snapshot. Otherwise a snapshot without
  /// keel.yaml (a revision from before keel was adopted) is read, when `borrowing`, with HEAD's
  /// configuration, else the working tree's, and a one-line note on stderr says so; with neither,
  /// it is the usual "no keel.yaml" error.
  public func configuration(for snapshot: Snapshot, borrowing: Bool = true) throws -> Snapshot? {
    if let configurationFile {
      let folder = configurationFile.deletingLastPathComponent()
      let keelYAML = try PathPolicy(root: folder).read(configurationFile.lastPathComponent)
      return OverlaySnapshot(base: FileSystemSnapshot(root: folder), replacing: [KeelConfig.fileName: keelYAML])
    }
    guard borrowing else { return nil }
    // Only a snapshot without keel.yaml borrows one: one that keel refuses to read (a symbolic
    // link) stays an error.
    do {
      _ = try snapshot.read(KeelConfig.fileName)
      return nil
    } catch is PathRefusal { return nil } catch {}
    var candidates: [() throws -> Snapshot] = []
    if let repository, !repository.isHeadUnborn { candidates.append { try revision("HEAD") } }
    if keelRoot != nil { candidates.append { try workingTree() } }
    for candidate in candidates {
      guard let source = try? candidate(), source.contains(KeelConfig.fileName) else { continue }
      let name = source.revision == nil ? "the working tree's" : "\(source.label)'s"
      Output.warn(
        "note: \(snapshot.label) has no \(KeelConfig.fileName); reading it with \(name) configuration"
          + " (--config FILE to choose)")
      return source
    }
    throw KeelError(
      "no \(KeelConfig.fileName) found in \(snapshot.label), HEAD or the working tree; run 'keel init' to create one")
  }
}

extension Workspace {
  public func requireGit(for purpose: String) throws { _ = try requireRepository(for: purpose) }

  public func hasCommits(for purpose: String) throws -> Bool {
    !(try requireRepository(for: purpose).isHeadUnborn)
  }

  public func mergeBase(_ base: String, _ head: String) throws -> String {
    let repository = try requireRepository(for: "--base")
    return try repository.mergeBase(base, head) ?? repository.resolveCommitID(base)
  }

  public func changes(from base: String, to head: SelectionTarget) throws -> [ReviewChange] {
    let repository = try requireRepository(for: "a comparison")
    let target: ChangeTarget =
      switch head {
      case .revision(let revision): .revision(revision)
      case .index: .index
      case .workingTree: .workingTree
      }
    return localize(try repository.changes(base: base, head: target))
  }

  /// Whether the working tree differs from `HEAD` inside keel.yaml's folder (a file added, changed
  /// or deleted, untracked files included); false outside Git and in a bare repository.
  func hasUncommittedChanges() throws -> Bool {
    guard let repository, !repository.isBare else { return false }
    if repository.isHeadUnborn { return !(try workingTree().paths().isEmpty) }
    return !(try changes(from: "HEAD", to: .workingTree).isEmpty)
  }

  /// Keeps changes inside keel.yaml's folder, with paths relative to it.
  func localize(_ changes: [PathChange]) -> [ReviewChange] {
    let prefix = self.prefix.isEmpty ? "" : self.prefix + "/"
    return changes.compactMap { change in
      guard change.path.hasPrefix(prefix) else { return nil }
      return ReviewChange(
        path: String(change.path.dropFirst(prefix.count)),
        previousPath: change.previousPath.flatMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil },
        change: DocumentSummary.Change(change.status))
    }
  }

  /// The commit date of `revision`'s snapshot (exports stamp it).
  func commitDate(of snapshot: Snapshot) throws -> Date? {
    guard let id = snapshot.revision else { return nil }
    return try requireRepository(for: "a revision").commit(id: id).committerDate
  }
}

extension DocumentSummary.Change {
  init(_ status: PathChange.Status) {
    switch status {
    case .added: self = .added
    case .modified: self = .modified
    case .renamed: self = .renamed
    case .deleted: self = .deleted
    }
  }
}
