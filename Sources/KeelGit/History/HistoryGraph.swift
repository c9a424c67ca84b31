import CLibgit2
import Foundation
import KeelCore

/// The commits reachable from a revision, each with the files it changed against each parent,
/// read once from Git and kept in a cache under the Git directory (`<git-common-dir>/keel/`), so
/// that the next run only reads the commits it has not seen.
///
/// The walk reads each commit, then compares its tree with its parents' trees entry by entry
/// (`TreeComparison`: unchanged folders are never opened). On a shallow clone the walk stops at the
/// boundary and `isTruncated` is true.
public final class HistoryGraph: HistorySource, @unchecked Sendable {
  public let records: [CommitRecord]
  public let isTruncated: Bool
  /// The commit the walk started from.
  public let tip: String
  /// How many commits were read from Git in this run (0 when the cache had them all).
  public let walkedCommits: Int
  public let repository: Repository

  private let recordsByID: [String: CommitRecord]

  /// Loads the history of `revision` (default `HEAD`).
  ///
  /// - Parameters:
  ///   - useCache: read and update the cache under the Git directory.
  ///   - progress: called every few hundred commits read from Git with the count so far.
  public static func load(
    repository: Repository, revision: String = "HEAD", useCache: Bool = true,
    progress: ((Int) -> Void)? = nil
  ) throws(GitError) -> HistoryGraph {
    let tip = try repository.resolveCommitID(revision)
    let boundaries = repository.shallowBoundaryIDs
    let cacheFile = useCache ? HistoryCache.file(in: repository) : nil
    var store = cacheFile.flatMap { HistoryCache.read($0, shallow: boundaries) } ?? HistoryCache.Store()
    let walked = try repository.withLock { () throws(GitError) -> Int in
      try Walker(repository: repository.handle, boundaries: boundaries, progress: progress).walk(from: tip, into: &store)
    }
    if walked > 0, let cacheFile {
      HistoryCache.write(store, to: cacheFile, shallow: boundaries)
    }
    return HistoryGraph(repository: repository, tip: tip, store: store, walked: walked)
  }

  private init(repository: Repository, tip: String, store: HistoryCache.Store, walked: Int) {
    self.repository = repository
    self.tip = tip
    self.walkedCommits = walked
    let order = CommitOrder.dateOrder(
      from: [tip], parents: { store.records[$0]?.commit.parents }, date: { store.records[$0]!.commit.commitDate })
    var truncated = false
    records = order.map { id in
      let record = store.records[id]!
      if store.boundaries.contains(id) { truncated = true }
      return record
    }
    isTruncated = truncated
    var byID: [String: CommitRecord] = [:]
    byID.reserveCapacity(records.count)
    for record in records { byID[record.commit.id] = record }
    recordsByID = byID
  }

  public func record(_ id: String) -> CommitRecord? { recordsByID[id] }

  /// The commits of `since..tip`: reachable from the tip but not from `since`, in walk order.
  public func records(excludingAncestorsOf since: String) -> [CommitRecord] {
    var excluded = Set<String>()
    var stack = recordsByID[since] != nil ? [since] : []
    while let id = stack.popLast() {
      guard excluded.insert(id).inserted, let record = recordsByID[id] else { continue }
      stack += record.commit.parents
    }
    return records.filter { !excluded.contains($0.commit.id) }
  }

  public func readBlob(_ id: String) throws -> Data {
    guard let objectID = ObjectID(hex: id) else { throw KeelError("invalid blob id \(id)") }
    return try repository.readBlob(objectID, path: id)
  }
}

/// Reads commits not yet in the store, newest first, stopping at commits the store already has
/// (the store holds whole histories: a stored commit's ancestors are stored too).
private struct Walker {
  let repository: OpaquePointer
  let boundaries: Set<String>
  let progress: ((Int) -> Void)?

  func walk(from tip: String, into store: inout HistoryCache.Store) throws(GitError) -> Int {
    guard store.records[tip] == nil, let tipID = ObjectID(hex: tip) else { return 0 }
    struct Pending {
      var info: HistoryCommit
      var tree: ObjectID
      var parents: [ObjectID]
    }
    var pending: [String: Pending] = [:]
    var order: [String] = []
    var stack = [tipID]
    var seen: Set<ObjectID> = [tipID]
    // 1. Read the new commits.
    while let id = stack.popLast() {
      var commit: OpaquePointer?
      let code = id.withPointer { git_commit_lookup(&commit, repository, $0) }
      guard code == 0, let commit else {
        throw GitError.fromLastError(code: code, operation: "cannot read commit \(id.hex)")
      }
      defer { git_commit_free(commit) }
      let hex = id.hex
      let isBoundary = boundaries.contains(hex)
      var parents: [ObjectID] = []
      if !isBoundary {
        for index in 0..<git_commit_parentcount(commit) {
          guard let parent = git_commit_parent_id(commit, index) else { continue }
          parents.append(ObjectID(parent))
        }
      }
      let author = git_commit_author(commit)!.pointee
      let committer = git_commit_committer(commit)!.pointee
      let info = HistoryCommit(
        id: hex, parents: parents.map(\.hex),
        authorName: String(cString: author.name), authorEmail: String(cString: author.email),
        authorDate: Date(timeIntervalSince1970: TimeInterval(author.when.time)),
        commitDate: Date(timeIntervalSince1970: TimeInterval(committer.when.time)),
        summary: git_commit_summary(commit).map { String(cString: $0) } ?? "")
      pending[hex] = Pending(info: info, tree: ObjectID(git_commit_tree_id(commit)), parents: parents)
      order.append(hex)
      if order.count % 500 == 0 { progress?(order.count) }
      for parent in parents.reversed() where store.records[parent.hex] == nil && seen.insert(parent).inserted {
        stack.append(parent)
      }
    }
    // 2. Compare each new commit's tree with its parents' trees.
    let comparison = TreeComparison(repository: repository)
    for hex in order {
      let item = pending[hex]!
      var changes: [[TreeChange]] = []
      if item.parents.isEmpty {
        changes = [try comparison.changes(from: nil, to: item.tree)]
      } else {
        for parent in item.parents {
          let parentTree: ObjectID
          if let known = pending[parent.hex]?.tree { parentTree = known } else { parentTree = try treeOf(parent) }
          changes.append(try comparison.changes(from: parentTree, to: item.tree))
        }
      }
      store.records[hex] = CommitRecord(commit: item.info, changes: changes)
      if isBoundary(hex) { store.boundaries.insert(hex) }
    }
    progress?(order.count)
    return order.count
  }

  private func isBoundary(_ hex: String) -> Bool { boundaries.contains(hex) }

  /// The tree of a commit that is not among the new ones (a stored parent).
  private func treeOf(_ id: ObjectID) throws(GitError) -> ObjectID {
    var commit: OpaquePointer?
    let code = id.withPointer { git_commit_lookup(&commit, repository, $0) }
    guard code == 0, let commit else {
      throw GitError.fromLastError(code: code, operation: "cannot read commit \(id.hex)")
    }
    defer { git_commit_free(commit) }
    return ObjectID(git_commit_tree_id(commit))
  }
}
