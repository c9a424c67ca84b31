import Foundation
import KeelTestSupport
import Testing

@testable import KeelCore

/// `TimelineBuilder.timelines(documents:)` (`--staged`, review mode and `transition` with a kind's
/// `template-since:`) follows only the commits that made the documents asked about, and rename
/// results remembered by `RenameResults` replace reading and scoring blobs: both must give exactly
/// the timelines a walk over every commit gives.
@Suite struct FollowedTimelineTests {
  static let texts = [
    "keel.yaml": """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        workflow: workflows/spec.yaml
      kep:
        include: ["keps/*/*/"]
        metadata: kep.yaml
        body: README.md
        workflow: workflows/spec.yaml
    """,
    "workflows/spec.yaml": metricsConfig["workflows/spec.yaml"]!,
  ]

  /// Rename results kept in memory, counting what was asked.
  final class MemoryRenameResults: RenameResults, @unchecked Sendable {
    private let lock = NSLock()
    private var results: [[TreeChange]: [RenameDetector.Rename]] = [:]
    private(set) var misses = 0

    func renames(added: [TreeChange], deleted: [TreeChange], minimumScore: Int) -> [RenameDetector.Rename]? {
      lock.lock()
      defer { lock.unlock() }
      guard let found = results[added + [TreeChange(path: "|", oldBlob: nil, newBlob: nil)] + deleted] else {
        misses += 1
        return nil
      }
      return found
    }

    func remember(_ renames: [RenameDetector.Rename], added: [TreeChange], deleted: [TreeChange], minimumScore: Int) {
      lock.lock()
      results[added + [TreeChange(path: "|", oldBlob: nil, newBlob: nil)] + deleted] = renames
      lock.unlock()
    }
  }

  /// A history source that counts the blobs read.
  final class CountingSource: HistorySource, @unchecked Sendable {
    let base: MemoryHistorySource
    private let lock = NSLock()
    private(set) var reads = 0
    init(_ base: MemoryHistorySource) { self.base = base }
    var records: [CommitRecord] { base.records }
    var isTruncated: Bool { false }
    func readBlob(_ id: String) throws -> Data {
      lock.lock()
      reads += 1
      lock.unlock()
      return try base.readBlob(id)
    }
  }

  /// A seeded random history: specs and plain notes added, edited, renamed (into specs, into
  /// folder documents, several at once), deleted and added again at the same path; folders renamed;
  /// side branches merged. Returns the builder and the documents at the tip.
  static func randomHistory(seed: UInt64) -> (HistoryBuilder, [String]) {
    var random = SeededGenerator(state: seed)
    var builder = HistoryBuilder()
    var tree: [String: String] = [:]
    var next = 0
    var day = 0
    var deleted: [String] = []
    let pool = (0..<30).map { "Line \($0) of the shared boilerplate that many documents keep.\n" }
    func body() -> String {
      next += 1
      var lines = (0..<6).map { _ in pool[Int.random(in: 0..<pool.count, using: &random)] }
      lines += (0..<6).map { "Paragraph \($0) written for document \(next) alone, with enough words to count.\n" }
      return lines.shuffled(using: &random).joined()
    }
    func spec(_ status: String, _ text: String) -> String { "---\nstatus: \(status)\n---\n\n" + text }
    func date() -> String {
      day += 1
      return String(format: "2024-%02d-%02d", 1 + day / 28 % 12, 1 + day % 28)
    }
    func files(_ prefix: String) -> [String] { tree.keys.filter { $0.hasPrefix(prefix) }.sorted() }
    func folders() -> [String] {
      Set(files("keps/").map { ($0 as NSString).deletingLastPathComponent }).sorted()
    }
    func commit(_ changes: [String: String?], parents: [String]? = nil) {
      guard !changes.isEmpty else { return }
      for (path, text) in changes { tree[path] = text }
      builder.commit("change", at: date(), parents: parents, changes)
    }
    func newFolder() -> String {
      next += 1
      return "keps/g\(Int.random(in: 0..<3, using: &random))/\(next)-doc"
    }
    func step() {
      let pick = Int.random(in: 0..<10, using: &random)
      switch pick {
      case 0, 1:
        next += 1
        commit(["specs/s\(next).md": spec("draft", body())])
      case 2:
        next += 1
        commit(["notes/n\(next).md": body()])
      case 3:
        guard let path = (files("specs/") + files("notes/") + files("keps/")).randomElement(using: &random) else {
          return
        }
        commit([path: tree[path]! + "An edit.\n"])
      case 4:
        guard let path = (files("specs/") + files("notes/")).randomElement(using: &random) else { return }
        next += 1
        commit([path: nil, "specs/r\(next).md": tree[path]! + "Moved.\n"])
      case 5:
        // Several single files become folder documents in one commit (many pairs to compare).
        var changes: [String: String?] = [:]
        for path in (files("specs/") + files("notes/")).shuffled(using: &random).prefix(
          Int.random(in: 1...6, using: &random))
        {
          let folder = newFolder()
          changes[path] = .some(nil)
          changes[folder + "/kep.yaml"] = "title: T\(next)\nstatus: review\n"
          changes[folder + "/README.md"] =
            tree[path]!.replacingOccurrences(of: "---\nstatus: draft\n---\n\n", with: "") + "Migrated.\n"
        }
        commit(changes)
      case 6:
        guard let folder = folders().randomElement(using: &random) else { return }
        let target = newFolder()
        var changes: [String: String?] = [:]
        for file in files(folder + "/") {
          changes[file] = .some(nil)
          changes[target + "/" + (file as NSString).lastPathComponent] =
            tree[file]! + (file.hasSuffix(".md") ? "Renamed.\n" : "")
        }
        commit(changes)
      case 7:
        guard let path = (files("specs/") + files("notes/") + files("keps/")).randomElement(using: &random) else {
          return
        }
        deleted.append(path)
        commit([path: nil])
      case 8:
        guard let path = deleted.randomElement(using: &random), tree[path] == nil else { return }
        commit([path: path.hasSuffix("kep.yaml") ? "title: Again\nstatus: draft\n" : spec("draft", body())])
      default:
        // A side branch of a couple of commits, merged back (its changes counted once, where made).
        guard let fork = builder.records.last?.commit.id else { return }
        let mainTree = tree
        var side = fork
        for _ in 0..<Int.random(in: 1...2, using: &random) {
          guard let path = (files("specs/") + files("keps/")).randomElement(using: &random) else { break }
          let changes: [String: String?] = [path: tree[path]! + "On a branch.\n"]
          tree[path] = tree[path]! + "On a branch.\n"
          side = builder.commit("side", at: date(), parents: [side], changes)
        }
        let sideTree = tree
        tree = mainTree
        step()
        let mainTip = builder.records.last!.commit.id
        var merged: [String: String?] = [:]
        for (path, text) in sideTree where mainTree[path] != text && tree[path] != nil { merged[path] = text }
        for (path, text) in merged { tree[path] = text }
        builder.commit("merge", at: date(), parents: [mainTip, side], merged)
      }
    }
    for _ in 0..<60 { step() }
    let documents = tree.keys.filter { $0.hasPrefix("specs/") || $0.hasSuffix("/kep.yaml") }.sorted()
    return (builder, documents)
  }

  /// What a timeline says, comparable.
  static func summary(_ timelines: [DocumentTimeline]) -> [String: [String]] {
    var result: [String: [String]] = [:]
    for timeline in timelines where !timeline.isDeleted {
      result[timeline.path] = timeline.entries.map { entry in
        [
          entry.commit.id, entry.change.rawValue, entry.path, entry.previousPath ?? "-", entry.oldBlob ?? "-",
          entry.newBlob ?? "-", entry.stateBefore ?? "-", entry.stateAfter ?? "-", entry.isBodyChange ? "body" : "",
        ].joined(separator: " ")
      }
    }
    return result
  }

  @Test("following some documents gives them the timelines a walk over every commit gives", arguments: 0..<12)
  func followedEqualsFull(seed: UInt64) throws {
    let configuration = try HistoryConfiguration.load(from: MemorySnapshot(texts: Self.texts))
    let (builder, documents) = Self.randomHistory(seed: 7919 &* (seed + 1))
    let source = builder.source
    let full = TimelineBuilder(configuration: configuration).timelines(records: source.records, source: source)
    let expected = Self.summary(full)
    let expectedFirst = StateHistory(timelines: full, now: Date()).firstCommitted
    #expect(!documents.isEmpty)
    for document in documents {
      for states in [TimelineBuilder.States.all, .none] {
        let followed = TimelineBuilder(configuration: configuration).timelines(
          records: source.records, source: source, states: states, documents: [document])
        if states == .all {
          #expect(Self.summary(followed) == expected.filter { $0.key == document }, "seed \(seed): \(document)")
        }
        let first = StateHistory(timelines: followed, now: Date()).firstCommitted
        #expect(first == expectedFirst.filter { $0.key == document }, "seed \(seed): \(document)")
      }
    }
    // All of them at once, as `--staged` asks when many documents changed.
    let all = TimelineBuilder(configuration: configuration).timelines(
      records: source.records, source: source, documents: Set(documents))
    #expect(Self.summary(all) == expected.filter { documents.contains($0.key) }, "seed \(seed)")
  }

  @Test("remembered rename results give the same timelines without reading a blob to compare")
  func rememberedRenames() throws {
    let configuration = try HistoryConfiguration.load(from: MemorySnapshot(texts: Self.texts))
    for seed in [3, 11, 29] as [UInt64] {
      let (builder, documents) = Self.randomHistory(seed: seed)
      let source = builder.source
      let results = MemoryRenameResults()
      let first = TimelineBuilder(configuration: configuration, renames: results).timelines(
        records: source.records, source: source, states: .none)
      // The blobs are gone: only the remembered results can find the renames.
      let blind = MemoryHistorySource(records: source.records, blobs: [:])
      let again = TimelineBuilder(configuration: configuration, renames: results).timelines(
        records: blind.records, source: blind, states: .none)
      #expect(Self.summary(again) == Self.summary(first), "seed \(seed)")
      let followed = TimelineBuilder(configuration: configuration, renames: results).timelines(
        records: blind.records, source: blind, states: .none, documents: Set(documents))
      #expect(Self.summary(followed) == Self.summary(first).filter { documents.contains($0.key) }, "seed \(seed)")
      // Without them, the renames are not found.
      let unknown = TimelineBuilder(configuration: configuration).timelines(
        records: blind.records, source: blind, states: .none)
      #expect(Self.summary(unknown) != Self.summary(first), "seed \(seed)")
    }
  }

  /// The case `--staged` meets on a repository that moved its single files into folders: a commit
  /// renaming many files, and a document first committed long before it.
  @Test("a document's first commit follows its move into a folder; other moves are never compared")
  func migration() throws {
    let configuration = try HistoryConfiguration.load(from: MemorySnapshot(texts: Self.texts))
    func text(_ number: Int) -> String {
      (0..<10).map { "Line \($0) of proposal \(number), which only this proposal has.\n" }.joined()
    }
    var builder = HistoryBuilder()
    var migration: [String: String?] = [:]
    for number in 0..<20 {
      builder.commit(
        "add \(number)", at: "2020-01-\(10 + number)",
        ["keps/g/\(number).md": "---\nstatus: draft\n---\n" + text(number)])
      migration["keps/g/\(number).md"] = .some(nil)
      migration["keps/g/\(number)-p/kep.yaml"] = "status: draft\n"
      migration["keps/g/\(number)-p/README.md"] = text(number)
    }
    builder.commit("to folders", at: "2022-01-01", migration)
    builder.commit(
      "later", at: "2022-02-01", ["keps/g/21-new/kep.yaml": "status: draft\n", "keps/g/21-new/README.md": "New.\n"])
    builder.commit("edit", at: "2022-03-01", ["keps/g/21-new/README.md": "New, edited.\n"])
    let counting = CountingSource(builder.source)
    let old = TimelineBuilder(configuration: configuration).timelines(
      records: counting.records, source: counting, states: .none, documents: ["keps/g/7-p/kep.yaml"])
    #expect(
      StateHistory(timelines: old, now: Date()).firstCommitted == [
        "keps/g/7-p/kep.yaml": HistoryBuilder.date("2020-01-17")
      ])
    #expect(counting.reads > 0)  // the move was compared
    let readsForOld = counting.reads
    // A document made after the move: the moving commit is not looked at, nothing is read.
    let new = TimelineBuilder(configuration: configuration).timelines(
      records: counting.records, source: counting, states: .none, documents: ["keps/g/21-new/kep.yaml"])
    #expect(
      StateHistory(timelines: new, now: Date()).firstCommitted == [
        "keps/g/21-new/kep.yaml": HistoryBuilder.date("2022-02-01")
      ])
    #expect(counting.reads == readsForOld)
    // Remembered results: nothing read the second time, the same answer.
    let results = MemoryRenameResults()
    _ = TimelineBuilder(configuration: configuration, renames: results).timelines(
      records: counting.records, source: counting, states: .none, documents: ["keps/g/7-p/kep.yaml"])
    let before = counting.reads
    let warm = TimelineBuilder(configuration: configuration, renames: results).timelines(
      records: counting.records, source: counting, states: .none, documents: ["keps/g/7-p/kep.yaml"])
    #expect(counting.reads == before)
    #expect(Self.summary(warm) == Self.summary(old))
  }
}
