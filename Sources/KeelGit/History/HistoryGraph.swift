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
  /// Each record's position in `records`, by commit id (built on first use).
  private var index: [String: Int]?

  /// Loads the history of `revision` (default `HEAD`).
  ///
  /// The history is always followed from `revision` itself: the cache only saves reading (and
  /// comparing) the commits it reaches, so whatever the cache holds, the records are exactly those
  /// a walk without it finds.
  ///
  /// - Parameters:
  ///   - useCache: read and update the cache under the Git directory.
  ///   - progress: called every few hundred commits read from Git with the count so far.
  ///   - damagedCache: called with the cache file when it was damaged (it is then discarded and rebuilt).
  public static func load(
    repository: Repository, revision: String = "HEAD", useCache: Bool = true,
    progress: ((Int) -> Void)? = nil, damagedCache: ((URL) -> Void)? = nil
  ) throws(GitError) -> HistoryGraph {
    let tip = try repository.resolveCommitID(revision)
    let boundaries = repository.shallowBoundaryIDs
    let cacheFile = useCache ? HistoryCache.file(in: repository) : nil
    var damaged = false
    let cached = cacheFile.flatMap { HistoryCache.read($0, shallow: boundaries, damaged: &damaged) }
    if damaged, let cacheFile { damagedCache?(cacheFile) }
    // The cache was last written for this tip: its first records are that commit's history, in walk order.
    if let cached, cached.orderTip == tip, cached.tipHistory.first?.commit.id == tip {
      let records = Array(cached.tipHistory)
      return HistoryGraph(
        repository: repository, tip: tip, records: records,
        truncated: records.contains { boundaries.contains($0.commit.id) }, walked: 0)
    }
    var store = HistoryCache.Store()
    for record in cached?.ordered ?? [] { store.records[record.commit.id] = record }
    let walked = try repository.withLock { () throws(GitError) -> Int in
      try Walker(repository: repository, boundaries: boundaries, progress: progress).walk(from: tip, into: &store)
    }
    let records = Self.walkOrder(from: tip, store: store)
    if let cacheFile {
      // The tip's history first, in walk order, then the other commits the cache knew that Git still
      // has (other branches; not commits rewritten away and pruned).
      let reachable = Set(records.lazy.map(\.commit.id))
      let others = repository.withLock {
        (cached?.ordered ?? []).filter {
          !reachable.contains($0.commit.id) && repository.hasObject(hex: $0.commit.id)
        }
      }
      HistoryCache.write(
        records + others, orderTip: tip, orderCount: records.count, to: cacheFile, shallow: boundaries)
    }
    return HistoryGraph(
      repository: repository, tip: tip, records: records,
      truncated: records.contains { boundaries.contains($0.commit.id) }, walked: walked)
  }

  /// The records reachable from `tip`, in `git log` order (numbered first: no hashing during the sort).
  private static func walkOrder(from tip: String, store: HistoryCache.Store) -> [CommitRecord] {
    guard store.records[tip] != nil else { return [] }
    var numbers: [String: Int] = [tip: 0]
    var records: [CommitRecord] = [store.records[tip]!]
    var parents: [[Int]] = [[]]
    var next = 0
    while next < records.count {
      var numbered: [Int] = []
      for parent in records[next].commit.parents {
        if let number = numbers[parent] {
          numbered.append(number)
        } else if let record = store.records[parent] {
          numbers[parent] = records.count
          numbered.append(records.count)
          records.append(record)
          parents.append([])
        }
      }
      parents[next] = numbered
      next += 1
    }
    let dates = records.map { HistoryDates.seconds($0.commit.commitDate) }
    return CommitOrder.dateOrder(parents: parents, dates: dates, tip: 0).map { records[$0] }
  }

  /// The versions of one path read from the cache, when it was last written for the commit
  /// `revision` names: only the commits that changed the path are decoded, which costs far less than
  /// loading every record. Only that commit's history is read (the file's first records). Nil when
  /// the cache cannot answer (missing, written for another tip, damaged): `load` then brings it up
  /// to date.
  ///
  /// - Parameter damagedCache: called with the cache file when it was damaged (it is then discarded).
  public static func cachedVersions(
    of path: String, repository: Repository, revision: String = "HEAD", allParents: Bool = false,
    followRenames: Bool = true, damagedCache: ((URL) -> Void)? = nil
  ) throws(GitError) -> PathHistoryWalk.Result? {
    let boundaries = repository.shallowBoundaryIDs
    guard
      let index = try freshIndex(
        repository: repository, revision: revision, boundaries: boundaries, damagedCache: damagedCache)
    else { return nil }
    do {
      let versions = try PathHistory.versions(
        of: path, in: CachedPathChanges(index: index), allParents: allParents, followRenames: followRenames,
        read: { try repository.readBlob(hex: $0) })
      return PathHistoryWalk.Result(
        versions: versions, isTruncated: try index.reachesBoundary(boundaries), walkedCommits: 0,
        repository: repository)
    } catch {
      return nil
    }
  }

  /// The cache file, opened, when it was last written for the commit `revision` names (its first
  /// records are that commit's history); nil otherwise.
  private static func freshIndex(
    repository: Repository, revision: String, boundaries: Set<String>, damagedCache: ((URL) -> Void)?
  ) throws(GitError) -> HistoryCache.Index? {
    let tip = try repository.resolveCommitID(revision)
    let file = HistoryCache.file(in: repository)
    switch HistoryCache.open(file, shallow: boundaries) {
    case .unusable:
      return nil
    case .damaged:
      damagedCache?(file)
      return nil
    case .index(let index):
      guard index.orderTip == tip, index.orderCount > 0, (try? index.id(at: 0)) == tip else { return nil }
      return index
    }
  }

  /// The history of `revision` from a cache last written for the commit it names, each record
  /// decoded when asked for: following a few documents reads only the commits that changed them.
  /// Nil when the cache cannot answer (missing, written for another tip, damaged): `load` then
  /// brings it up to date.
  ///
  /// - Parameter damagedCache: called with the cache file when it was damaged (it is then discarded).
  public static func cachedCommits(
    repository: Repository, revision: String = "HEAD", damagedCache: ((URL) -> Void)? = nil
  ) throws(GitError) -> CachedCommits? {
    let boundaries = repository.shallowBoundaryIDs
    guard
      let index = try freshIndex(
        repository: repository, revision: revision, boundaries: boundaries, damagedCache: damagedCache),
      let truncated = try? index.reachesBoundary(boundaries)
    else { return nil }
    return CachedCommits(index: index, repository: repository, truncated: truncated)
  }

  /// True when the repository has a history cache this version can read: a history of one path is
  /// then best computed from it (`load`); without one, `PathHistoryWalk` reads far less.
  public static func hasCache(in repository: Repository) -> Bool {
    HistoryCache.hasUsableHeader(HistoryCache.file(in: repository), shallow: repository.shallowBoundaryIDs)
  }

  private init(repository: Repository, tip: String, records: [CommitRecord], truncated: Bool, walked: Int) {
    self.repository = repository
    self.tip = tip
    self.records = records
    self.isTruncated = truncated
    self.walkedCommits = walked
  }

  /// Positions, not copies of the records: a copy of each of 20,000 records costs a changelog
  /// more than finding the range.
  private var positionsByID: [String: Int] {
    lock.lock()
    defer { lock.unlock() }
    if let index { return index }
    var byID: [String: Int] = [:]
    byID.reserveCapacity(records.count)
    for (position, record) in records.enumerated() where byID[record.commit.id] == nil {
      byID[record.commit.id] = position
    }
    index = byID
    return byID
  }

  public func record(_ id: String) -> CommitRecord? { positionsByID[id].map { records[$0] } }

  /// The commits of `since..tip`: reachable from the tip but not from `since`, in walk order.
  public func records(excludingAncestorsOf since: String) -> [CommitRecord] {
    var excluded = Set<Int>()
    let positionsByID = positionsByID
    var stack = positionsByID[since].map { [$0] } ?? []
    while let position = stack.popLast() {
      guard excluded.insert(position).inserted else { continue }
      stack += records[position].commit.parents.compactMap { positionsByID[$0] }
    }
    return records.indices.filter { !excluded.contains($0) }.map { records[$0] }
  }

  public func readBlob(_ id: String) throws -> Data { try repository.readBlob(hex: id) }

  /// Each delta of the blobs' chains inflated once, on every core (`Repository.readBlobs`).
  public func readBlobs(_ ids: [String], _ body: (Int, Data?) -> Void) {
    repository.readBlobs(hexIDs: ids, body)
  }
}

/// Follows every commit reachable from the tip, newest first, and reads from Git those the store
/// does not have; a stored commit is passed through (its parents followed) without reading it, so
/// the store's contents can make a walk cheaper but never change which commits it reaches. Commits
/// and trees are read as raw objects and parsed here, which costs far less than libgit2's object
/// parsing.
private struct Walker {
  let repository: Repository
  let boundaries: Set<String>
  let progress: ((Int) -> Void)?

  func walk(from tip: String, into store: inout HistoryCache.Store) throws(GitError) -> Int {
    guard let tipID = ObjectID(hex: tip) else { throw GitError(.other, "invalid commit id \(tip)") }
    let objects = TreeComparison(repository: repository)
    struct Pending {
      var info: HistoryCommit
      var tree: ObjectID
      var parents: [ObjectID]
    }
    var pending: [Pending] = []
    var indexByID: [ObjectID: Int] = [:]
    var stack = [tipID]
    var seen: Set<ObjectID> = [tipID]
    // 1. Read the commits the store does not have.
    while let id = stack.popLast() {
      let hex = id.hex
      if let stored = store.records[hex] {
        for parent in stored.commit.parents.reversed() {
          guard let parentID = ObjectID(hex: parent) else { throw GitError(.other, "invalid commit id \(parent)") }
          if seen.insert(parentID).inserted { stack.append(parentID) }
        }
        continue
      }
      var parsed = try objects.withObject(id, what: "commit") { bytes in RawCommit(bytes) }
      guard let tree = parsed.tree else { throw GitError(.other, "commit \(hex) has no tree") }
      if boundaries.contains(hex) { parsed.parents = [] }
      let info = HistoryCommit(
        id: hex, parents: parsed.parents.map(\.hex), authorName: parsed.authorName, authorEmail: parsed.authorEmail,
        authorDate: HistoryDates.date(seconds: parsed.authorTime),
        commitDate: HistoryDates.date(seconds: parsed.commitTime), summary: parsed.summary)
      indexByID[id] = pending.count
      pending.append(Pending(info: info, tree: tree, parents: parsed.parents))
      if pending.count % 500 == 0 { progress?(pending.count) }
      for parent in parsed.parents.reversed() where seen.insert(parent).inserted { stack.append(parent) }
    }
    // 2. The parents' trees (a parent already in the store is read again for its tree).
    var parentTrees: [[ObjectID]] = []
    parentTrees.reserveCapacity(pending.count)
    for item in pending {
      var trees: [ObjectID] = []
      for parent in item.parents {
        if let index = indexByID[parent] {
          trees.append(pending[index].tree)
        } else {
          let parsed = try objects.withObject(parent, what: "commit") { bytes in RawCommit(bytes, details: false) }
          guard let tree = parsed.tree else { throw GitError(.other, "commit \(parent.hex) has no tree") }
          trees.append(tree)
        }
      }
      parentTrees.append(trees)
    }
    // 3. Compare each new commit's tree with its parents' trees, on every core.
    let trees = pending.map(\.tree)
    let changes = try ParallelTrees.map(count: pending.count, repository: repository) {
      (objects, index) throws(GitError) -> [[TreeChange]] in
      let parents = parentTrees[index]
      if parents.isEmpty { return [try objects.changes(from: nil, to: trees[index])] }
      var lists: [[TreeChange]] = []
      lists.reserveCapacity(parents.count)
      for parent in parents { lists.append(try objects.changes(from: parent, to: trees[index])) }
      return lists
    }
    for (index, item) in pending.enumerated() {
      store.records[item.info.id] = CommitRecord(commit: item.info, changes: changes[index])
    }
    progress?(pending.count)
    return pending.count
  }
}

/// Runs tree comparisons on every core: libgit2 handles must not be shared between threads, so each
/// extra thread opens the repository again (its own `git_repository` and object database). The caller
/// holds `repository`'s lock; the first thread uses its handles.
enum ParallelTrees {
  /// Below this many items a second thread costs more than it saves.
  static let minimumParallelCount = 512

  static func map<T>(
    count: Int, repository: Repository, minimumCount: Int = minimumParallelCount,
    _ body: (TreeComparison, Int) throws(GitError) -> T
  ) throws(GitError) -> [T] {
    let main = TreeComparison(repository: repository)
    let cores = min(ProcessInfo.processInfo.activeProcessorCount, 4)
    var helpers: [Repository] = []
    if count >= minimumCount && cores > 1 && git_libgit2_features() & Int32(GIT_FEATURE_THREADS.rawValue) != 0 {
      for _ in 1..<cores {
        guard let helper = try? Repository(path: repository.gitDirectory.path) else { break }
        helpers.append(helper)
      }
    }
    if helpers.isEmpty {
      var results: [T] = []
      results.reserveCapacity(count)
      for index in 0..<count { results.append(try body(main, index)) }
      return results
    }
    let shared = SharedWork<T>(count: count)
    let first = UncheckedBox(main)  // used by thread 0 only
    let extra = helpers
    let packs = repository.packSet
    withoutActuallyEscaping(body) { body in
      let work = UncheckedBox<(TreeComparison, Int) throws(GitError) -> T>(body)
      DispatchQueue.concurrentPerform(iterations: helpers.count + 1) { worker in
        let run = { (objects: TreeComparison) in
          while let range = shared.nextChunk() {
            for index in range {
              do throws(GitError) { shared.store(try work.value(objects, index), at: index) } catch {
                shared.fail(error)
                return
              }
            }
          }
        }
        if worker == 0 {
          run(first.value)
        } else {
          let helper = extra[worker - 1]
          helper.withLock {
            run(TreeComparison(objectDatabase: helper.objectDatabase, packs: PackReader(packs: packs)))
          }
        }
      }
    }
    return try shared.results()
  }
}

/// A value handed to worker threads that only read it (or synchronise themselves).
private struct UncheckedBox<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

/// The results of `ParallelTrees.map`: chunks handed out under a lock, each slot written by one thread.
private final class SharedWork<T>: @unchecked Sendable {
  private let lock = NSLock()
  private let count: Int
  private var next = 0
  private var error: GitError?
  private let slots: UnsafeMutablePointer<T?>
  private static var chunkSize: Int { 64 }

  init(count: Int) {
    self.count = count
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
  }

  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }

  func nextChunk() -> Range<Int>? {
    lock.lock()
    defer { lock.unlock() }
    guard error == nil, next < count else { return nil }
    let start = next
    next = min(count, next + Self.chunkSize)
    return start..<next
  }

  /// Each index is written by exactly one thread; the join (end of `concurrentPerform`) publishes it.
  func store(_ value: T, at index: Int) { slots[index] = value }

  func fail(_ failure: GitError) {
    lock.lock()
    if error == nil { error = failure }
    lock.unlock()
  }

  func results() throws(GitError) -> [T] {
    if let error { throw error }
    return (0..<count).map { slots[$0]! }
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

  /// - Parameter details: also read the author and the summary (not needed to walk and compare).
  init(_ bytes: UnsafeRawBufferPointer, details: Bool = true) {
    var offset = 0
    // Headers, up to the first empty line; continuation lines (gpgsig) start with a space.
    while offset < bytes.count {
      let end =
        memchr(bytes.baseAddress! + offset, 0x0a, bytes.count - offset).map { bytes.baseAddress!.distance(to: $0) }
        ?? bytes.count
      let line = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
      offset = end + 1
      if line.isEmpty { break }
      if Self.starts(line, with: "tree ") {
        tree = Self.id(line, from: 5)
      } else if Self.starts(line, with: "parent ") {
        if let parent = Self.id(line, from: 7) { parents.append(parent) }
      } else if Self.starts(line, with: "author ") {
        if details {
          (authorName, authorEmail, authorTime) = Self.signature(UnsafeRawBufferPointer(rebasing: line[7...]))
        }
      } else if Self.starts(line, with: "committer ") {
        commitTime = Self.signature(UnsafeRawBufferPointer(rebasing: line[10...]), time: true).2
      }
    }
    if details { summary = Self.summary(UnsafeRawBufferPointer(rebasing: bytes[min(offset, bytes.count)...])) }
  }

  private static func starts(_ line: UnsafeRawBufferPointer, with prefix: StaticString) -> Bool {
    let count = prefix.utf8CodeUnitCount
    return line.count >= count && memcmp(line.baseAddress!, prefix.utf8Start, count) == 0
  }

  /// The message's first paragraph, lines trimmed and joined with spaces.
  static func summary(_ message: UnsafeRawBufferPointer) -> String {
    // Plain ASCII without carriage returns (nearly every message): bytes, trimming spaces and tabs.
    if !message.contains(where: { $0 >= 0x80 || $0 == 0x0d }) {
      var result: [UInt8] = []
      var offset = 0
      while offset < message.count {
        var end = offset
        while end < message.count, message[end] != 0x0a { end += 1 }
        var start = offset
        var stop = end
        offset = end + 1
        while start < stop, message[start] == 0x20 || message[start] == 0x09 { start += 1 }
        while stop > start, message[stop - 1] == 0x20 || message[stop - 1] == 0x09 { stop -= 1 }
        if start == stop {
          if result.isEmpty { continue }
          break
        }
        if !result.isEmpty { result.append(0x20) }
        result.append(contentsOf: message[start..<stop])
      }
      return String(decoding: result, as: UTF8.self)
    }
    let text = String(decoding: message, as: UTF8.self)
    var lines: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty {
        if lines.isEmpty { continue }
        break
      }
      lines.append(Substring(trimmed))
    }
    return lines.joined(separator: " ")
  }

  private static func id(_ line: UnsafeRawBufferPointer, from start: Int) -> ObjectID? {
    guard line.count >= start + 40 else { return nil }
    var oid = git_oid()
    let valid = withUnsafeMutableBytes(of: &oid) { raw -> Bool in
      for index in 0..<20 {
        guard let high = hexValue(line[start + 2 * index]), let low = hexValue(line[start + 2 * index + 1]) else {
          return false
        }
        raw[index] = high << 4 | low
      }
      return true
    }
    return valid ? ObjectID(oid) : nil
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x61...0x66: byte - 0x61 + 10
    case 0x41...0x46: byte - 0x41 + 10
    default: nil
    }
  }

  /// `Name <email> 1700000000 +0100` → name, email, seconds since 1970 (only the time when `time`).
  private static func signature(_ bytes: UnsafeRawBufferPointer, time timeOnly: Bool = false) -> (String, String, Int64)
  {
    guard let close = bytes.lastIndex(of: UInt8(ascii: ">")),
      let open = bytes[..<close].lastIndex(of: UInt8(ascii: "<"))
    else { return (timeOnly ? "" : String(decoding: bytes, as: UTF8.self), "", 0) }
    var name = ""
    var email = ""
    if !timeOnly {
      var nameEnd = open
      while nameEnd > 0, bytes[nameEnd - 1] == 0x20 { nameEnd -= 1 }
      name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<nameEnd]), as: UTF8.self)
      email = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<close]), as: UTF8.self)
    }
    var time: Int64 = 0
    var index = close + 1
    while index < bytes.count, bytes[index] == 0x20 { index += 1 }
    var negative = false
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    // Git takes any number of digits: a time beyond 63 bits saturates (HistoryDates keeps it out of arithmetic).
    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
      let (shifted, overflow) = time.multipliedReportingOverflow(by: 10)
      let (sum, carry) = shifted.addingReportingOverflow(Int64(bytes[index] - 0x30))
      time = overflow || carry ? .max : sum
      index += 1
    }
    return (name, email, negative ? -time : time)
  }
}
