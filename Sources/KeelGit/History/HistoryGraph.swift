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

  private let lock = NSLock()
  private var index: [String: CommitRecord]?

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
    let cached = cacheFile.flatMap { HistoryCache.read($0, shallow: boundaries) }
    // The cache was last written for this tip: its records are already in walk order.
    if let cached, cached.orderTip == tip {
      return HistoryGraph(
        repository: repository, tip: tip, records: cached.ordered,
        truncated: cached.ordered.contains { boundaries.contains($0.commit.id) }, walked: 0)
    }
    var store = HistoryCache.Store()
    for record in cached?.ordered ?? [] { store.records[record.commit.id] = record }
    let walked = try repository.withLock { () throws(GitError) -> Int in
      try Walker(repository: repository, boundaries: boundaries, progress: progress).walk(from: tip, into: &store)
    }
    let order = CommitOrder.dateOrder(
      from: [tip], parents: { store.records[$0]?.commit.parents }, date: { store.records[$0]!.commit.commitDate })
    let records = order.map { store.records[$0]! }
    if let cacheFile {
      // The tip's history first, in walk order, then whatever else the cache held (other branches).
      let reachable = Set(order)
      let others = (cached?.ordered ?? []).filter { !reachable.contains($0.commit.id) }
      HistoryCache.write(records + others, orderTip: tip, to: cacheFile, shallow: boundaries)
    }
    return HistoryGraph(
      repository: repository, tip: tip, records: records,
      truncated: records.contains { boundaries.contains($0.commit.id) }, walked: walked)
  }

  private init(repository: Repository, tip: String, records: [CommitRecord], truncated: Bool, walked: Int) {
    self.repository = repository
    self.tip = tip
    self.records = records
    self.isTruncated = truncated
    self.walkedCommits = walked
  }

  private var recordsByID: [String: CommitRecord] {
    lock.lock()
    defer { lock.unlock() }
    if let index { return index }
    var byID: [String: CommitRecord] = [:]
    byID.reserveCapacity(records.count)
    for record in records { byID[record.commit.id] = record }
    index = byID
    return byID
  }

  public func record(_ id: String) -> CommitRecord? { recordsByID[id] }

  /// The commits of `since..tip`: reachable from the tip but not from `since`, in walk order.
  public func records(excludingAncestorsOf since: String) -> [CommitRecord] {
    var excluded = Set<String>()
    let recordsByID = recordsByID
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
/// (the store holds whole histories: a stored commit's ancestors are stored too). Commits and trees
/// are read as raw objects and parsed here, which costs far less than libgit2's object parsing.
private struct Walker {
  let repository: Repository
  let boundaries: Set<String>
  let progress: ((Int) -> Void)?

  func walk(from tip: String, into store: inout HistoryCache.Store) throws(GitError) -> Int {
    guard store.records[tip] == nil, let tipID = ObjectID(hex: tip) else { return 0 }
    let objects = TreeComparison(objectDatabase: repository.objectDatabase)
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
      let hex = id.hex
      var parsed = try objects.withObject(id, what: "commit") { bytes in RawCommit(bytes) }
      guard let tree = parsed.tree else { throw GitError(.other, "commit \(hex) has no tree") }
      if boundaries.contains(hex) { parsed.parents = [] }
      let info = HistoryCommit(
        id: hex, parents: parsed.parents.map(\.hex), authorName: parsed.authorName, authorEmail: parsed.authorEmail,
        authorDate: Date(timeIntervalSince1970: TimeInterval(parsed.authorTime)),
        commitDate: Date(timeIntervalSince1970: TimeInterval(parsed.commitTime)), summary: parsed.summary)
      pending[hex] = Pending(info: info, tree: tree, parents: parsed.parents)
      order.append(hex)
      if order.count % 500 == 0 { progress?(order.count) }
      for parent in parsed.parents.reversed() where store.records[parent.hex] == nil && seen.insert(parent).inserted {
        stack.append(parent)
      }
    }
    // 2. Compare each new commit's tree with its parents' trees.
    for hex in order {
      let item = pending[hex]!
      var changes: [[TreeChange]] = []
      if item.parents.isEmpty {
        changes = [try objects.changes(from: nil, to: item.tree)]
      } else {
        for parent in item.parents {
          let parentTree: ObjectID
          if let known = pending[parent.hex]?.tree {
            parentTree = known
          } else {
            let parsed = try objects.withObject(parent, what: "commit") { bytes in RawCommit(bytes) }
            guard let tree = parsed.tree else { throw GitError(.other, "commit \(parent.hex) has no tree") }
            parentTree = tree
          }
          changes.append(try objects.changes(from: parentTree, to: item.tree))
        }
      }
      store.records[hex] = CommitRecord(commit: item.info, changes: changes)
    }
    progress?(order.count)
    return order.count
  }
}

/// The parts of a raw commit object the history needs.
struct RawCommit {
  var tree: ObjectID?
  var parents: [ObjectID] = []
  var authorName = ""
  var authorEmail = ""
  var authorTime: Int64 = 0
  var commitTime: Int64 = 0
  /// The first paragraph of the message on one line (as `git log --format=%s`).
  var summary = ""

  init(_ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    // Headers, up to the first empty line; continuation lines (gpgsig) start with a space.
    while offset < bytes.count {
      var end = offset
      while end < bytes.count, bytes[end] != 0x0a { end += 1 }
      let line = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
      offset = end + 1
      if line.isEmpty { break }
      if line.starts(with: Array("tree ".utf8)) {
        tree = Self.id(line, from: 5)
      } else if line.starts(with: Array("parent ".utf8)) {
        if let parent = Self.id(line, from: 7) { parents.append(parent) }
      } else if line.starts(with: Array("author ".utf8)) {
        (authorName, authorEmail, authorTime) = Self.signature(UnsafeRawBufferPointer(rebasing: line[7...]))
      } else if line.starts(with: Array("committer ".utf8)) {
        commitTime = Self.signature(UnsafeRawBufferPointer(rebasing: line[10...])).2
      }
    }
    // The summary: the message's first paragraph, lines joined with spaces.
    let message = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[min(offset, bytes.count)...]), as: UTF8.self)
    var lines: [Substring] = []
    for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty {
        if lines.isEmpty { continue }
        break
      }
      lines.append(Substring(trimmed))
    }
    summary = lines.joined(separator: " ")
  }

  private static func id(_ line: UnsafeRawBufferPointer, from start: Int) -> ObjectID? {
    guard line.count >= start + 40 else { return nil }
    return ObjectID(hex: String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<(start + 40)]), as: UTF8.self))
  }

  /// `Name <email> 1700000000 +0100` → name, email, seconds since 1970.
  private static func signature(_ bytes: UnsafeRawBufferPointer) -> (String, String, Int64) {
    guard let close = bytes.lastIndex(of: UInt8(ascii: ">")),
      let open = bytes[..<close].lastIndex(of: UInt8(ascii: "<"))
    else { return (String(decoding: bytes, as: UTF8.self), "", 0) }
    var nameEnd = open
    while nameEnd > 0, bytes[nameEnd - 1] == 0x20 { nameEnd -= 1 }
    let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<nameEnd]), as: UTF8.self)
    let email = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<close]), as: UTF8.self)
    var time: Int64 = 0
    var index = close + 1
    while index < bytes.count, bytes[index] == 0x20 { index += 1 }
    var negative = false
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
      time = time * 10 + Int64(bytes[index] - 0x30)
      index += 1
    }
    return (name, email, negative ? -time : time)
  }
}
