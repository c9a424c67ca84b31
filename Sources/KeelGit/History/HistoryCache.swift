import Foundation
import KeelCore

/// The persistent commit cache: `<git-common-dir>/keel/history-commits.bin`.
///
/// Facts about commits keyed by commit id: a commit's id names its parents and its tree, so what the
/// cache says about a commit (parents, author, changed files against each parent) can never go
/// stale, whichever branch it was walked from. A history is always rebuilt from the revision asked
/// about, following parents: commits of other branches, or ones rewritten away (rebase, amend,
/// force-push), sit in the file but are never reached, and are dropped once Git no longer has them
/// (`git gc`). The file lives inside the Git directory, so it is never committed, and is shared by
/// linked worktrees. Deleting it only makes the next run walk again.
///
/// The file starts with the records reachable from `orderTip`, in walk order (`orderCount` of them),
/// so that the history of that commit is read without ordering anything; the other records follow.
/// It ends with a checksum: a damaged file is discarded (with a note) and rebuilt, never read. A file
/// from another format version or for another shallow boundary is replaced silently. It is written
/// to a temporary file and renamed, so concurrent runs never see (or leave) half a file.
enum HistoryCache {
  /// Bump when the format or the meaning of the data changes.
  static let formatVersion: UInt32 = 3
  static let magic = "keel-history-commits"

  struct Store {
    var records: [String: CommitRecord] = [:]
  }

  /// What the file holds: the records reachable from `orderTip` first, in its walk order
  /// (`orderCount` of them), then records of other commits.
  struct Contents {
    var orderTip: String
    var orderCount: Int
    var ordered: [CommitRecord]

    /// The history of `orderTip`.
    var tipHistory: ArraySlice<CommitRecord> { ordered.prefix(orderCount) }
  }

  /// What opening the file found.
  enum Opened {
    /// No file, or one written by another format version or for another shallow boundary.
    case unusable
    /// The checksum does not match or the content does not decode: the file has been removed.
    case damaged
    case index(Index)
  }

  static func directory(in repository: Repository) -> URL {
    repository.commonDirectory.appendingPathComponent("keel", isDirectory: true)
  }

  static func file(in repository: Repository) -> URL {
    directory(in: repository).appendingPathComponent("history-commits.bin")
  }

  /// The shallow boundary as one string, so that a cache written before `git fetch --unshallow`
  /// (or a deeper fetch) is not used after it.
  private static func shallowKey(_ boundaries: Set<String>) -> String { boundaries.sorted().joined(separator: ",") }

  /// True when `file` starts like a cache this version can use (the rest is checked when read).
  static func hasUsableHeader(_ file: URL, shallow boundaries: Set<String>) -> Bool {
    let expected = shallowKey(boundaries)
    guard let head = CacheFile.contents(of: file, prefix: 64 + expected.utf8.count) else { return false }
    var reader = BinaryReader(bytes: head)
    return
      (try? reader.readString() == magic && reader.readUInt32() == formatVersion
      && reader.readString() == expected) ?? false
  }

  /// Opens the file and checks it whole; a damaged file is removed (the next walk writes a new one).
  static func open(_ file: URL, shallow boundaries: Set<String>) -> Opened {
    var damaged = false
    guard
      let (_, index) = CacheFile.read(
        file, magic: magic, version: formatVersion, damaged: { _ in damaged = true }, decode: Index.init(bytes:))
    else { return damaged ? .damaged : .unusable }
    return index.shallowKey == shallowKey(boundaries) ? .index(index) : .unusable
  }

  /// Every record of the file, decoded; nil when the file cannot be used (`damaged` tells why).
  static func read(_ file: URL, shallow boundaries: Set<String>, damaged: inout Bool) -> Contents? {
    switch open(file, shallow: boundaries) {
    case .unusable:
      return nil
    case .damaged:
      damaged = true
      return nil
    case .index(let index):
      var ordered: [CommitRecord] = []
      ordered.reserveCapacity(index.count)
      do {
        for position in 0..<index.count { ordered.append(try index.record(at: position)) }
      } catch {
        CacheFile.remove(file)
        damaged = true
        return nil
      }
      return Contents(orderTip: index.orderTip, orderCount: index.orderCount, ordered: ordered)
    }
  }

  /// The cache file, checked whole but decoded only as far as finding each record: a record is
  /// decoded when asked for, so that the history of one path decodes only the commits that changed it.
  struct Index {
    typealias Truncated = BinaryReader.Truncated

    let shallowKey: String
    let orderTip: String
    /// The records reachable from `orderTip` are the first `orderCount`.
    let orderCount: Int
    private let bytes: [UInt8]
    private let authors: [String]
    /// Where each record starts, and where its lists of changes start (at their count).
    private let recordStarts: [Int]
    private let changeStarts: [Int]

    var count: Int { recordStarts.count }

    /// Indexes the content of a file whose checksum was checked (and removed); nil when it does not
    /// decode exactly.
    init?(bytes: [UInt8]) {
      self.bytes = bytes
      var reader = BinaryReader(bytes: bytes)
      do {
        guard try reader.readString() == magic, try reader.readUInt32() == formatVersion else { return nil }
        shallowKey = try reader.readString()
        orderTip = try reader.readID()
        orderCount = try reader.readCount()
        let count = try reader.readCount()
        guard orderCount <= count else { return nil }
        let authorCount = try reader.readCount()
        var authors: [String] = []
        for _ in 0..<authorCount { authors.append(try reader.readString()) }
        self.authors = authors
        var recordStarts: [Int] = []
        var changeStarts: [Int] = []
        recordStarts.reserveCapacity(min(count, bytes.count / 40))
        changeStarts.reserveCapacity(min(count, bytes.count / 40))
        for _ in 0..<count {
          recordStarts.append(reader.offset)
          try reader.skip(20)
          try reader.skip(20 * reader.readCount())
          guard try reader.readCount() < authorCount, try reader.readCount() < authorCount else { return nil }
          try reader.skip(16)
          try reader.skipString()
          changeStarts.append(reader.offset)
          for _ in 0..<(try reader.readCount()) {
            for _ in 0..<(try reader.readCount()) { try Self.skipChange(&reader) }
          }
        }
        guard reader.isAtEnd else { return nil }
        self.recordStarts = recordStarts
        self.changeStarts = changeStarts
      } catch {
        return nil
      }
    }

    private static func skipChange(_ reader: inout BinaryReader) throws(Truncated) {
      try reader.skipString()
      for _ in 0..<2 where try reader.readByte() != 0 { try reader.skip(20) }
    }

    private static func readChange(_ reader: inout BinaryReader) throws(Truncated) -> TreeChange {
      TreeChange(
        path: try reader.readString(), oldBlob: try reader.readOptionalID(), newBlob: try reader.readOptionalID())
    }

    func record(at position: Int) throws(Truncated) -> CommitRecord {
      var reader = BinaryReader(bytes: bytes)
      try reader.seek(to: recordStarts[position])
      let id = try reader.readID()
      var parents: [String] = []
      for _ in 0..<(try reader.readCount()) { parents.append(try reader.readID()) }
      let name = authors[try reader.readCount()]
      let email = authors[try reader.readCount()]
      let authorTime = try reader.readInt64()
      let commitTime = try reader.readInt64()
      let summary = try reader.readString()
      var lists: [[TreeChange]] = []
      for _ in 0..<(try reader.readCount()) {
        let changeCount = try reader.readCount()
        var list: [TreeChange] = []
        list.reserveCapacity(changeCount)
        for _ in 0..<changeCount { list.append(try Self.readChange(&reader)) }
        lists.append(list)
      }
      let commit = HistoryCommit(
        id: id, parents: parents, authorName: name, authorEmail: email,
        authorDate: HistoryDates.date(seconds: authorTime),
        commitDate: HistoryDates.date(seconds: commitTime), summary: summary)
      return CommitRecord(commit: commit, changes: lists)
    }

    /// The record's id.
    func id(at position: Int) throws(Truncated) -> String {
      var reader = BinaryReader(bytes: bytes)
      try reader.seek(to: recordStarts[position])
      return try reader.readID()
    }

    /// How many parents the record's commit has (none for a root commit or a shallow boundary).
    func parentCount(at position: Int) throws(Truncated) -> Int {
      var reader = BinaryReader(bytes: bytes)
      try reader.seek(to: recordStarts[position] + 20)
      return try reader.readCount()
    }

    /// Whether one of the first `orderCount` records (the history of `orderTip`) is a shallow boundary.
    func reachesBoundary(_ boundaries: Set<String>) throws(Truncated) -> Bool {
      guard !boundaries.isEmpty else { return false }
      for position in 0..<orderCount where boundaries.contains(try id(at: position)) { return true }
      return false
    }

    /// How many lists of changes the record has (one per parent; one for a root commit).
    func listCount(at position: Int) throws(Truncated) -> Int {
      var reader = BinaryReader(bytes: bytes)
      try reader.seek(to: changeStarts[position])
      return try reader.readCount()
    }

    /// A reader at the start of the record's list number `list` (after its count), and that count.
    private func list(_ list: Int, at position: Int) throws(Truncated) -> (BinaryReader, Int) {
      var reader = BinaryReader(bytes: bytes)
      try reader.seek(to: changeStarts[position])
      guard list < (try reader.readCount()) else { throw Truncated() }
      for _ in 0..<list {
        for _ in 0..<(try reader.readCount()) { try Self.skipChange(&reader) }
      }
      let count = try reader.readCount()
      return (reader, count)
    }

    func changes(at position: Int, list number: Int) throws(Truncated) -> [TreeChange] {
      var (reader, count) = try list(number, at: position)
      var changes: [TreeChange] = []
      for _ in 0..<count { changes.append(try Self.readChange(&reader)) }
      return changes
    }

    /// Whether one list changes a file at one of `paths`, compared without decoding the list.
    func changes(anyOf paths: FollowedPaths, at position: Int, list number: Int) throws(Truncated) -> Bool {
      var (reader, count) = try list(number, at: position)
      for _ in 0..<count {
        let length = try reader.readCount()
        let start = reader.offset
        try reader.skip(length)
        if bytes.withUnsafeBytes({ paths.contains(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }) {
          return true
        }
        for _ in 0..<2 where try reader.readByte() != 0 { try reader.skip(20) }
      }
      return false
    }

    /// The change to the file at `path` (its UTF-8 bytes) in one list, compared without decoding the others.
    func change(of path: [UInt8], at position: Int, list number: Int) throws(Truncated) -> TreeChange? {
      var (reader, count) = try list(number, at: position)
      for _ in 0..<count {
        let start = reader.offset
        if try reader.readString(equals: path) {
          try reader.seek(to: start)
          return try Self.readChange(&reader)
        }
        for _ in 0..<2 where try reader.readByte() != 0 { try reader.skip(20) }
      }
      return nil
    }
  }

  /// Writes atomically (temporary file, then rename); a failure (read-only Git directory) is ignored:
  /// the cache only saves time.
  ///
  /// - Parameters:
  ///   - records: the history of `orderTip` in walk order, then the records of other commits.
  ///   - orderCount: how many records the history of `orderTip` has.
  static func write(
    _ records: [CommitRecord], orderTip: String, orderCount: Int, to file: URL, shallow boundaries: Set<String>
  ) {
    var writer = BinaryWriter()
    writer.write(magic)
    writer.write(formatVersion)
    writer.write(shallowKey(boundaries))
    writer.write(id: orderTip)
    writer.write(count: orderCount)
    writer.write(count: records.count)
    var authorIndex: [String: Int] = [:]
    var authors: [String] = []
    func index(_ name: String) -> Int {
      if let existing = authorIndex[name] { return existing }
      authorIndex[name] = authors.count
      authors.append(name)
      return authors.count - 1
    }
    for record in records {
      _ = index(record.commit.authorName)
      _ = index(record.commit.authorEmail)
    }
    writer.write(count: authors.count)
    for author in authors { writer.write(author) }
    for record in records {
      writer.write(id: record.commit.id)
      writer.write(count: record.commit.parents.count)
      for parent in record.commit.parents { writer.write(id: parent) }
      writer.write(count: authorIndex[record.commit.authorName]!)
      writer.write(count: authorIndex[record.commit.authorEmail]!)
      writer.write(Int64(record.commit.authorDate.timeIntervalSince1970))
      writer.write(Int64(record.commit.commitDate.timeIntervalSince1970))
      writer.write(record.commit.summary)
      writer.write(count: record.changes.count)
      for list in record.changes {
        writer.write(count: list.count)
        for change in list {
          writer.write(change.path)
          writer.write(optionalID: change.oldBlob)
          writer.write(optionalID: change.newBlob)
        }
      }
    }
    CacheFile.write(writer, to: file)
  }
}

/// `PathChangeSource` over the history of the cache's `orderTip` (its first `orderCount` records):
/// each commit's lists are searched for the followed path byte by byte, and only the commits that
/// changed it are decoded.
final class CachedPathChanges: PathChangeSource {
  typealias Failure = BinaryReader.Truncated

  private let index: HistoryCache.Index
  private var followed = ""
  private var followedBytes: [UInt8] = []

  init(index: HistoryCache.Index) { self.index = index }

  var commitCount: Int { index.orderCount }

  func comparisonCount(at position: Int) -> Int { (try? index.listCount(at: position)) ?? 0 }

  func change(of path: String, at position: Int, comparison: Int) throws(Failure) -> TreeChange? {
    if path != followed {
      followed = path
      followedBytes = Array(path.utf8)
    }
    return try index.change(of: followedBytes, at: position, list: comparison)
  }

  func allChanges(at position: Int) throws(Failure) -> [TreeChange] {
    try index.listCount(at: position) == 0 ? [] : try index.changes(at: position, list: 0)
  }

  func record(at position: Int, found: [[TreeChange]]) throws(Failure) -> CommitRecord {
    try index.record(at: position)
  }
}

/// The history of the cache's `orderTip` (its first `orderCount` records, newest first) as a
/// `CommitList`: a record is decoded when asked for, and a commit's changes are searched for
/// followed paths as stored, so following one document decodes only the commits that changed it.
public final class CachedCommits: CommitList, HistorySource, @unchecked Sendable {
  public typealias Failure = BinaryReader.Truncated

  private let index: HistoryCache.Index
  public let repository: Repository
  public let isTruncated: Bool
  private let lock = NSLock()
  private var decoded: [CommitRecord]?

  init(index: HistoryCache.Index, repository: Repository, truncated: Bool) {
    self.index = index
    self.repository = repository
    isTruncated = truncated
  }

  public var commitCount: Int { index.orderCount }

  public func changes(anyOf paths: FollowedPaths, at position: Int) throws(Failure) -> Bool {
    guard try index.parentCount(at: position) <= 1, try index.listCount(at: position) > 0 else { return false }
    return try index.changes(anyOf: paths, at: position, list: 0)
  }

  public func record(at position: Int) throws(Failure) -> CommitRecord { try index.record(at: position) }

  /// Every record, decoded on first use (what `CommitList` is there to avoid); empty when one does
  /// not decode.
  public var records: [CommitRecord] {
    lock.lock()
    defer { lock.unlock() }
    if let decoded { return decoded }
    let all = (try? (0..<index.orderCount).map { (position) throws(Failure) in try index.record(at: position) }) ?? []
    decoded = all
    return all
  }

  public func readBlob(_ id: String) throws -> Data { try repository.readBlob(hex: id) }

  public func readBlobs(_ ids: [String], _ body: (Int, Data?) -> Void) { repository.readBlobs(hexIDs: ids, body) }
}
