import CLibgit2
import Foundation
import KeelCore

/// The history of one path read straight from Git, for `keel history PATH` when there is no cache:
/// like `git log --follow -- PATH`, each commit's tree is compared with its parent's only along the
/// path (root, then each folder of the path, stopping at the first equal id), so a commit that changed
/// other folders costs two small tree reads, and the folders it changed are never opened. Only where
/// the path appears is the whole commit compared, to find the file it was renamed from.
///
/// It fills no cache: the next command that needs every commit (changelog, metrics, history with a
/// cache) walks them all and keeps them.
public enum PathHistoryWalk {
  public struct Result: Sendable {
    /// Newest first, as `PathHistory.versions` gives them.
    public var versions: [PathVersion]
    /// True when the walk stopped at a shallow clone's boundary.
    public var isTruncated: Bool
    /// How many commits were read.
    public var walkedCommits: Int
    public let repository: Repository

    public func readBlob(_ id: String) throws -> Data { try repository.readBlob(hex: id) }
  }

  /// - Parameters:
  ///   - path: repository-relative.
  ///   - progress: called every few hundred commits read with the count so far.
  public static func versions(
    of path: String, repository: Repository, revision: String = "HEAD", allParents: Bool = false,
    followRenames: Bool = true, progress: ((Int) -> Void)? = nil
  ) throws(GitError) -> Result {
    let tip = try repository.resolveCommitID(revision)
    guard let tipID = ObjectID(hex: tip) else { throw GitError(.other, "invalid commit id \(tip)") }
    let boundaries = repository.shallowBoundaryIDs
    return try repository.withLock { () throws(GitError) -> Result in
      let objects = TreeComparison(repository: repository)
      let graph = try CommitGraph.read(from: tipID, objects: objects, boundaries: boundaries, progress: progress)
      let order = CommitOrder.dateOrder(parents: graph.parents, dates: graph.dates, tip: 0)
      let source = PathChanges(graph: graph, order: order, objects: objects, boundaries: boundaries)
      try source.prefetch(path, repository: repository, allParents: allParents)
      let versions = try PathHistory.versions(
        of: path, in: source, allParents: allParents, followRenames: followRenames,
        read: { id in
          guard let objectID = ObjectID(hex: id) else { throw KeelError("invalid blob id \(id)") }
          return try objects.withObject(objectID, what: "blob") { Data($0) }
        })
      return Result(
        versions: versions, isTruncated: graph.ids.contains { boundaries.contains($0.hex) },
        walkedCommits: graph.ids.count, repository: repository)
    }
  }
}

/// Every commit reachable from a tip, numbered (the tip is 0), with only what ordering and comparing
/// need: tree, parents and commit date.
struct CommitGraph {
  var ids: [ObjectID] = []
  var trees: [ObjectID] = []
  var parents: [[Int]] = []
  var dates: [Int64] = []

  static func read(
    from tip: ObjectID, objects: TreeComparison, boundaries: Set<String>, progress: ((Int) -> Void)?
  ) throws(GitError) -> CommitGraph {
    var graph = CommitGraph()
    var numbers: [ObjectID: Int] = [tip: 0]
    graph.ids.append(tip)
    var next = 0
    while next < graph.ids.count {
      let id = graph.ids[next]
      let parsed = try objects.withObject(id, what: "commit") { bytes in RawCommit(bytes, details: false) }
      guard let tree = parsed.tree else { throw GitError(.other, "commit \(id.hex) has no tree") }
      graph.trees.append(tree)
      graph.dates.append(parsed.commitTime)
      var parentNumbers: [Int] = []
      if boundaries.isEmpty || !boundaries.contains(id.hex) {
        for parent in parsed.parents {
          if let number = numbers[parent] {
            parentNumbers.append(number)
          } else {
            numbers[parent] = graph.ids.count
            parentNumbers.append(graph.ids.count)
            graph.ids.append(parent)
          }
        }
      }
      graph.parents.append(parentNumbers)
      next += 1
      if next % 500 == 0 { progress?(next) }
    }
    progress?(next)
    return graph
  }
}

/// `PathChangeSource` over a `CommitGraph`, comparing only the entries along the followed path.
/// What it resolves (the entry at each level of the path, per commit) is remembered, so each tree is
/// read at most once per commit while the path stays the same.
private final class PathChanges: PathChangeSource {
  typealias Failure = GitError

  /// The entry at one level of the path in one commit.
  enum Slot: Equatable {
    case unknown, absent
    case present(ObjectID)
  }

  let graph: CommitGraph
  let order: [Int]
  let objects: TreeComparison
  let boundaries: Set<String>
  private var followed = ""
  private var components: [[UInt8]] = []
  /// Per commit number: the slots of levels 1...components.count (level 0 is the root tree).
  private var resolved: [Int: [Slot]] = [:]

  init(graph: CommitGraph, order: [Int], objects: TreeComparison, boundaries: Set<String>) {
    self.graph = graph
    self.order = order
    self.objects = objects
    self.boundaries = boundaries
  }

  var commitCount: Int { order.count }

  func comparisonCount(at index: Int) -> Int { max(1, graph.parents[order[index]].count) }

  func change(of path: String, at index: Int, comparison: Int) throws(GitError) -> TreeChange? {
    setFollowed(path)
    let commit = order[index]
    let parents = graph.parents[commit]
    let parent = parents.isEmpty ? nil : parents[comparison]
    // Level 0: the root trees; equal ids end the comparison there, as at every level below.
    if let parent, graph.trees[parent] == graph.trees[commit] { return nil }
    for level in 1...components.count {
      let old = try parent.map { (number) throws(GitError) in try slot(level, of: number) } ?? .absent
      let new = try slot(level, of: commit)
      if old == new { return nil }
      if level == components.count {
        return TreeChange(path: path, oldBlob: old.hex, newBlob: new.hex)
      }
    }
    return nil
  }

  /// Resolves `path` in every commit that the walk will compare along it, level by level, on every
  /// core (each distinct folder read once); the walk then finds it all remembered. Renames found
  /// later are resolved as the walk goes.
  func prefetch(_ path: String, repository: Repository, allParents: Bool) throws(GitError) {
    setFollowed(path)
    let count = graph.ids.count
    var slots = [[Slot]](repeating: [Slot](repeating: .unknown, count: components.count + 1), count: count)
    /// Commits compared with their parents: merges only with `allParents`.
    let compared = (0..<count).filter { allParents || graph.parents[$0].count <= 1 }
    // Level 0 (the root tree) is known; a commit needs level k when its level k-1 differs from a parent's.
    var current = (0..<count).map { Slot.present(graph.trees[$0]) }
    for level in 1...components.count {
      var needed = [Bool](repeating: false, count: count)
      for commit in compared {
        let parents = graph.parents[commit]
        if parents.isEmpty {
          if current[commit] != .absent { needed[commit] = true }
        }
        for parent in parents where current[parent] != current[commit] {
          needed[commit] = true
          needed[parent] = true
        }
      }
      // One lookup per distinct folder.
      var folders: [ObjectID] = []
      var folderIndex: [ObjectID: Int] = [:]
      for commit in 0..<count where needed[commit] {
        guard case .present(let folder) = current[commit], folderIndex[folder] == nil else { continue }
        folderIndex[folder] = folders.count
        folders.append(folder)
      }
      let name = components[level - 1]
      let wanted: RawTreeEntry.Kind = level == components.count ? .file : .tree
      let found = try ParallelTrees.map(count: folders.count, repository: repository) {
        (objects, index) throws(GitError) -> Slot in
        try Self.lookup(name, kind: wanted, in: folders[index], objects: objects)
      }
      var next = [Slot](repeating: .unknown, count: count)
      for commit in 0..<count where needed[commit] {
        if case .present(let folder) = current[commit] {
          next[commit] = found[folderIndex[folder]!]
        } else {
          next[commit] = .absent
        }
        slots[commit][level] = next[commit]
      }
      current = next
    }
    for commit in 0..<count where slots[commit][1] != .unknown { resolved[commit] = slots[commit] }
  }

  private func setFollowed(_ path: String) {
    guard path != followed else { return }
    followed = path
    components = path.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.utf8) }
    resolved = [:]
  }

  /// The entry `name` of the wanted kind in a tree.
  static func lookup(_ name: [UInt8], kind wanted: RawTreeEntry.Kind, in tree: ObjectID, objects: TreeComparison)
    throws(GitError) -> Slot
  {
    guard !name.isEmpty else { return .absent }
    return try objects.withTree(tree) { bytes in
      var entries = RawTreeIterator(bytes)
      while let entry = entries.next() {
        guard entry.kind == wanted, entry.nameCount == name.count,
          name.withUnsafeBytes({ memcmp($0.baseAddress!, entry.name, name.count) }) == 0
        else { continue }
        return Slot.present(entry.objectID)
      }
      return Slot.absent
    }
  }

  func allChanges(at index: Int) throws(GitError) -> [TreeChange] {
    let commit = order[index]
    // A root commit (or a shallow boundary) deletes nothing, so nothing can be renamed there.
    guard let parent = graph.parents[commit].first else { return [] }
    return try objects.changes(from: graph.trees[parent], to: graph.trees[commit])
  }

  func record(at index: Int, found: [[TreeChange]]) throws(GitError) -> CommitRecord {
    let commit = order[index]
    let id = graph.ids[commit]
    let parsed = try objects.withObject(id, what: "commit") { bytes in RawCommit(bytes) }
    let hex = id.hex
    let parents = boundaries.contains(hex) ? [] : parsed.parents.map(\.hex)
    let info = HistoryCommit(
      id: hex, parents: parents, authorName: parsed.authorName, authorEmail: parsed.authorEmail,
      authorDate: HistoryDates.date(seconds: parsed.authorTime),
      commitDate: HistoryDates.date(seconds: parsed.commitTime), summary: parsed.summary)
    return CommitRecord(commit: info, changes: found)
  }

  /// The entry at `level` (1: the path's first component) in commit `number`: a folder for the levels
  /// above the last, a regular file for the last (anything else there counts as no file, as in
  /// `TreeComparison`).
  private func slot(_ level: Int, of number: Int) throws(GitError) -> Slot {
    var slots = resolved[number] ?? [Slot](repeating: .unknown, count: components.count + 1)
    if slots[level] != .unknown { return slots[level] }
    let container: Slot = level == 1 ? .present(graph.trees[number]) : try slot(level - 1, of: number)
    if level > 1 { slots = resolved[number] ?? slots }
    var result = Slot.absent
    if case .present(let tree) = container {
      let wanted: RawTreeEntry.Kind = level == components.count ? .file : .tree
      result = try Self.lookup(components[level - 1], kind: wanted, in: tree, objects: objects)
    }
    slots[level] = result
    resolved[number] = slots
    return result
  }
}

extension PathChanges.Slot {
  var hex: String? {
    if case .present(let id) = self { return id.hex }
    return nil
  }
}
