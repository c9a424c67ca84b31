import Foundation

/// A commit as the history engine sees it, copied out of Git.
public struct HistoryCommit: Sendable, Hashable {
  public var id: String
  /// Parent commit ids, first parent first; empty for a root commit and for a shallow boundary.
  public var parents: [String]
  public var authorName: String
  public var authorEmail: String
  public var authorDate: Date
  /// Orders the walk (as `git log` does), not shown.
  public var commitDate: Date
  /// The first line of the message.
  public var summary: String

  public init(
    id: String, parents: [String], authorName: String, authorEmail: String, authorDate: Date, commitDate: Date,
    summary: String
  ) {
    self.id = id
    self.parents = parents
    self.authorName = authorName
    self.authorEmail = authorEmail
    self.authorDate = authorDate
    self.commitDate = commitDate
    self.summary = summary
  }
}

/// One file that differs between a commit's tree and one of its parents' trees (regular files only).
public struct TreeChange: Sendable, Hashable {
  public var path: String
  /// The blob in the parent; nil when the file was added.
  public var oldBlob: String?
  /// The blob in the commit; nil when the file was deleted.
  public var newBlob: String?

  public init(path: String, oldBlob: String?, newBlob: String?) {
    self.path = path
    self.oldBlob = oldBlob
    self.newBlob = newBlob
  }

  public var isAddition: Bool { oldBlob == nil }
  public var isDeletion: Bool { newBlob == nil }
}

/// A commit with the files it changed against each of its parents.
public struct CommitRecord: Sendable, Hashable {
  public var commit: HistoryCommit
  /// One list per parent, in parent order, each sorted by path; a root commit (or a shallow boundary)
  /// has a single list: its files against the empty tree.
  public var changes: [[TreeChange]]

  public init(commit: HistoryCommit, changes: [[TreeChange]]) {
    self.commit = commit
    self.changes = changes
  }

  public var isMerge: Bool { commit.parents.count > 1 }
}

/// Everything the history engine reads from Git: the commits reachable from a tip, newest first,
/// and the bytes of any blob they name. `KeelGit.HistoryGraph` is the real one; tests use in-memory ones.
public protocol HistorySource: Sendable {
  /// Commits reachable from the tip in walk order: newest first, every commit before its parents
  /// (commit date order, as `git log` shows them).
  var records: [CommitRecord] { get }
  /// True when the walk stopped at a shallow clone's boundary, so older history is missing.
  var isTruncated: Bool { get }
  func readBlob(_ id: String) throws -> Data
  /// Reads many blobs: `body` is called once per id, possibly from several threads at once and in
  /// any order, with the blob's bytes, which are valid only during the call (nil: unreadable).
  func readBlobs(_ ids: [String], _ body: (Int, Data?) -> Void)
}

extension HistorySource {
  /// One by one, in order.
  public func readBlobs(_ ids: [String], _ body: (Int, Data?) -> Void) {
    for (index, id) in ids.enumerated() { body(index, try? readBlob(id)) }
  }
}

/// An in-memory history, for tests and for callers that already have the data.
public struct MemoryHistorySource: HistorySource {
  public var records: [CommitRecord]
  public var isTruncated: Bool
  public var blobs: [String: Data]

  public init(records: [CommitRecord], isTruncated: Bool = false, blobs: [String: Data]) {
    self.records = records
    self.isTruncated = isTruncated
    self.blobs = blobs
  }

  public func readBlob(_ id: String) throws -> Data {
    guard let data = blobs[id] else { throw KeelError("no blob \(id)") }
    return data
  }
}

/// Orders commits as `git log` does by default: newest commit date first, never a commit before
/// one of its children (ties keep the order in which commits became ready, first parents first).
public enum CommitOrder {
  /// - Parameters:
  ///   - tip: where the walk starts.
  ///   - parents: a commit's parents (only those known; unknown ones are skipped).
  ///   - date: the commit date.
  ///   - excluded: commits (with their ancestors) left out, as `git log A..B` leaves out A's history.
  public static func dateOrder(
    from tips: [String], parents: (String) -> [String]?, date: (String) -> Date, excluding excluded: Set<String> = []
  ) -> [String] {
    // Collect the reachable set and count each commit's children inside it.
    var childCount: [String: Int] = [:]
    var stack = tips.filter { !excluded.contains($0) && parents($0) != nil }
    var seen = Set(stack)
    while let id = stack.popLast() {
      for parent in parents(id) ?? [] where !excluded.contains(parent) && parents(parent) != nil {
        childCount[parent, default: 0] += 1
        if seen.insert(parent).inserted { stack.append(parent) }
      }
    }
    typealias Ready = ReadyCommit<Date, String>
    var heap = Heap<Ready>()
    var sequence = 0
    var queued = Set<String>()
    for tip in tips where seen.contains(tip) && childCount[tip, default: 0] == 0 && queued.insert(tip).inserted {
      heap.push(Ready(date: date(tip), sequence: sequence, id: tip))
      sequence += 1
    }
    var order: [String] = []
    order.reserveCapacity(seen.count)
    while let next = heap.pop() {
      order.append(next.id)
      for parent in parents(next.id) ?? [] where seen.contains(parent) {
        childCount[parent, default: 0] -= 1
        if childCount[parent] == 0 && queued.insert(parent).inserted {
          heap.push(Ready(date: date(parent), sequence: sequence, id: parent))
          sequence += 1
        }
      }
    }
    return order
  }
}

extension CommitOrder {
  /// The same order over commits numbered `0..<parents.count` (what the walkers use: no hashing of ids).
  ///
  /// - Parameters:
  ///   - parents: each commit's parents, by number (only commits in the set).
  ///   - dates: each commit's commit date, in seconds.
  ///   - tip: where the walk starts.
  public static func dateOrder(parents: [[Int]], dates: [Int64], tip: Int) -> [Int] {
    let count = parents.count
    var childCount = [Int](repeating: 0, count: count)
    var seen = [Bool](repeating: false, count: count)
    var stack = [tip]
    seen[tip] = true
    while let commit = stack.popLast() {
      for parent in parents[commit] {
        childCount[parent] += 1
        if !seen[parent] {
          seen[parent] = true
          stack.append(parent)
        }
      }
    }
    typealias Ready = ReadyCommit<Int64, Int>
    var heap = Heap<Ready>()
    var sequence = 1
    var order: [Int] = []
    order.reserveCapacity(count)
    if childCount[tip] == 0 { heap.push(Ready(date: dates[tip], sequence: 0, id: tip)) }
    while let next = heap.pop() {
      order.append(next.id)
      for parent in parents[next.id] {
        childCount[parent] -= 1
        if childCount[parent] == 0 {
          heap.push(Ready(date: dates[parent], sequence: sequence, id: parent))
          sequence += 1
        }
      }
    }
    return order
  }
}

/// A commit ready to be listed by `CommitOrder.dateOrder`: the newest first, and among equal dates
/// the one that became ready first.
struct ReadyCommit<Stamp: Comparable, ID>: Comparable {
  var date: Stamp
  var sequence: Int
  var id: ID

  static func < (lhs: Self, rhs: Self) -> Bool {
    lhs.date != rhs.date ? lhs.date > rhs.date : lhs.sequence < rhs.sequence
  }

  static func == (lhs: Self, rhs: Self) -> Bool { lhs.date == rhs.date && lhs.sequence == rhs.sequence }
}

/// A binary min-heap (the smallest element by `<` pops first).
struct Heap<Element: Comparable> {
  private var items: [Element] = []

  var isEmpty: Bool { items.isEmpty }

  mutating func push(_ element: Element) {
    items.append(element)
    var child = items.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard items[child] < items[parent] else { break }
      items.swapAt(child, parent)
      child = parent
    }
  }

  mutating func pop() -> Element? {
    guard !items.isEmpty else { return nil }
    items.swapAt(0, items.count - 1)
    let top = items.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < items.count && items[left] < items[smallest] { smallest = left }
      if right < items.count && items[right] < items[smallest] { smallest = right }
      if smallest == parent { break }
      items.swapAt(parent, smallest)
      parent = smallest
    }
    return top
  }
}

/// Commits newest first (walk order), each read when asked for: following a few documents through
/// a long history reads only the commits that changed them (`TimelineBuilder.timelines(of:in:)`).
public protocol CommitList {
  associatedtype Failure: Error
  var commitCount: Int { get }
  /// Whether the commit at `position` is no merge and changed one of `paths` against its parent.
  func changes(anyOf paths: FollowedPaths, at position: Int) throws(Failure) -> Bool
  func record(at position: Int) throws(Failure) -> CommitRecord
}

extension Array: CommitList where Element == CommitRecord {
  public typealias Failure = Never

  public var commitCount: Int { count }

  public func changes(anyOf paths: FollowedPaths, at position: Int) -> Bool {
    !self[position].isMerge && self[position].changes.first?.contains { paths.contains($0.path) } == true
  }

  public func record(at position: Int) -> CommitRecord { self[position] }
}

/// Repository paths followed through a history, also by their UTF-8 bytes, so that a cache's lists
/// of changes can be searched as stored, without making a `String` of every path.
public struct FollowedPaths: Sendable {
  public private(set) var paths: Set<String> = []
  /// The paths' bytes by their length.
  private var bytesByLength: [Int: [[UInt8]]] = [:]
  /// The folders holding a followed path, each with its final `/` (`keps/sig-x/1234-foo/`).
  private var folders: Set<Substring> = []

  public init() {}

  public mutating func insert(_ path: String) {
    guard paths.insert(path).inserted else { return }
    let bytes = Array(path.utf8)
    bytesByLength[bytes.count, default: []].append(bytes)
    folders.insert(path.lastIndex(of: "/").map { path[...$0] } ?? "")
  }

  public func contains(_ path: String) -> Bool { paths.contains(path) }

  /// Whether one of the paths is these bytes.
  public func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let candidates = bytesByLength[bytes.count] else { return false }
    return candidates.contains { candidate in
      candidate.withUnsafeBytes { bytes.count == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }
  }

  /// Whether one of the paths is a file right in `folder` (given with its final `/`; empty: the top).
  public func containsFile(inFolder folder: Substring) -> Bool { folders.contains(folder) }
}
