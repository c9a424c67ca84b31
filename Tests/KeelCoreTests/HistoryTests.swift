import Foundation
import JSONSchema
import KeelTestSupport
import Testing

@testable import KeelCore

/// A tiny in-memory repository history for the pure history code.
struct HistoryBuilder {
  private(set) var records: [CommitRecord] = []  // oldest first while building
  private(set) var blobs: [String: Data] = [:]
  private var trees: [String: [String: String]] = [:]  // commit → path → blob
  private var counter = 0

  /// Commits `files` (path → text, nil deletes) on top of `parents` (default: the last commit).
  @discardableResult
  mutating func commit(
    _ summary: String, at date: String, parents: [String]? = nil, _ files: [String: String?]
  ) -> String {
    counter += 1
    let id = String(format: "%040x", counter)
    let parentIDs = parents ?? (records.last.map { [$0.commit.id] } ?? [])
    var tree = parentIDs.first.flatMap { trees[$0] } ?? [:]
    for (path, text) in files {
      if let text {
        let blob = String(format: "b%039x", StableHash.of(text) & 0xffff_ffff_ffff)
        blobs[blob] = Data(text.utf8)
        tree[path] = blob
      } else {
        tree.removeValue(forKey: path)
      }
    }
    trees[id] = tree
    let bases = parentIDs.isEmpty ? [[:]] : parentIDs.map { trees[$0] ?? [:] }
    let changes = bases.map { base in
      Set(base.keys).union(tree.keys).sorted().compactMap { path -> TreeChange? in
        base[path] == tree[path] ? nil : TreeChange(path: path, oldBlob: base[path], newBlob: tree[path])
      }
    }
    let when = HistoryBuilder.date(date)
    records.append(
      CommitRecord(
        commit: HistoryCommit(
          id: id, parents: parentIDs, authorName: "Ada", authorEmail: "ada@example.com", authorDate: when,
          commitDate: when, summary: summary),
        changes: changes))
    return id
  }

  var source: MemoryHistorySource {
    let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.commit.id, $0) })
    let order = CommitOrder.dateOrder(
      from: [records.last!.commit.id], parents: { byID[$0]?.commit.parents }, date: { byID[$0]!.commit.commitDate })
    return MemoryHistorySource(records: order.map { byID[$0]! }, blobs: blobs)
  }

  static func date(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: text) { return date }
    return formatter.date(from: text + "T00:00:00Z")!
  }
}

extension StableHash {
  static func of(_ text: String) -> UInt64 {
    var hash = StableHash()
    hash.combine(text)
    return hash.value
  }
}

/// The `status` of each version, read as every history command reads states (`DocumentStates`).
func statusState(_ source: HistorySource) -> (String, String) -> String? {
  let states = DocumentStates(configuration: .none)
  return { blob, path in
    states.state(ofBlob: blob, at: path, workflow: WorkflowInfo(name: "spec"), read: { try source.readBlob($0) })
  }
}

func spec(_ status: String, owner: String = "alice", problem: String = "Slow checkout.", extra: String = "") -> String {
  """
  ---
  title: Checkout
  owner: \(owner)
  status: \(status)
  \(extra)---

  # Checkout

  ## Problem

  \(problem)

  ## Solution

  Make it fast.

  """
}

@Suite struct DocumentHistoryTests {
  @Test func eventsCarryStateFieldAndSectionChanges() throws {
    var builder = HistoryBuilder()
    builder.commit("Add", at: "2024-01-01", ["specs/a.md": spec("draft")])
    builder.commit("Review", at: "2024-01-02", ["specs/a.md": spec("review", owner: "bob")])
    builder.commit(
      "Rewrite problem", at: "2024-01-03", ["specs/a.md": spec("review", owner: "bob", problem: "Very slow.")])
    builder.commit("Unrelated", at: "2024-01-04", ["README.md": "hi\n"])
    builder.commit("Drop", at: "2024-01-05", ["specs/a.md": nil])
    let report = DocumentHistory.build(path: "specs/a.md", source: builder.source, state: statusState(builder.source))
    #expect(report.events.map(\.summary) == ["Drop", "Rewrite problem", "Review", "Add"])
    #expect(report.events.map(\.change) == [.deleted, .modified, .modified, .added])
    #expect(report.events[3].state == HistoryEvent.StateChange(from: nil, to: "draft"))
    #expect(report.events[2].state == HistoryEvent.StateChange(from: "draft", to: "review"))
    #expect(report.events[2].fields.map(\.name) == ["owner", "status"])
    #expect(report.events[2].fields[0].old == .string("alice") && report.events[2].fields[0].new == .string("bob"))
    #expect(report.events[2].sections.isEmpty)
    #expect(report.events[1].state == nil)
    #expect(report.events[1].fields.isEmpty)
    #expect(report.events[1].sections == ["Problem"])
    #expect(report.events[0].state == HistoryEvent.StateChange(from: "review", to: nil))
    #expect(report.events[0].fields.map(\.name) == ["title", "owner", "status"])
    #expect(report.events[3].sections == ["Checkout", "Problem", "Solution"])
  }

  @Test func noStateWithoutAWorkflow() {
    var builder = HistoryBuilder()
    builder.commit("Add", at: "2024-01-01", ["notes.md": spec("draft")])
    builder.commit("Edit", at: "2024-01-02", ["notes.md": spec("review")])
    let report = DocumentHistory.build(path: "notes.md", source: builder.source)
    #expect(report.events.allSatisfy { $0.state == nil })
    #expect(report.events[0].fields.map(\.name) == ["status"])
  }

  @Test func sinceLeavesOutOlderEvents() {
    var builder = HistoryBuilder()
    builder.commit("Add", at: "2024-01-01", ["a.md": spec("draft")])
    builder.commit("Edit", at: "2024-02-01", ["a.md": spec("review")])
    let report = DocumentHistory.build(path: "a.md", source: builder.source, since: HistoryBuilder.date("2024-01-15"))
    #expect(report.events.map(\.summary) == ["Edit"])
  }

  @Test func renderedJSONFollowsTheContract() throws {
    var builder = HistoryBuilder()
    builder.commit("Add", at: "2024-01-01", ["specs/a.md": spec("draft")])
    builder.commit("Move", at: "2024-01-02", ["specs/a.md": nil, "specs/b.md": spec("review")])
    let report = DocumentHistory.build(path: "specs/b.md", source: builder.source, state: statusState(builder.source))
    let json = try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as! [String: Any]
    #expect(json["path"] as? String == "specs/b.md")
    #expect(json["truncated"] as? Bool == false)
    let events = json["events"] as! [[String: Any]]
    #expect(events.count == 2)
    #expect(events[0]["change"] as? String == "renamed")
    #expect(events[0]["previousPath"] as? String == "specs/a.md")
    #expect(events[0]["date"] as? String == "2024-01-02T00:00:00Z")
    #expect((events[0]["state"] as? [String: Any])?["from"] as? String == "draft")
    #expect((events[0]["state"] as? [String: Any])?["to"] as? String == "review")
    #expect(events[0]["fields"] as? [String] == ["status"])
    #expect(events[1]["previousPath"] is NSNull)
    for key in ["commit", "date", "author", "summary", "change", "path", "previousPath", "state", "fields", "sections"]
    {
      #expect(events[0][key] != nil, "\(key)")
    }
  }

  @Test func markdownEscapesCells() {
    var builder = HistoryBuilder()
    builder.commit("Fix | pipes and <b>tags</b>", at: "2024-01-01", ["a.md": spec("draft")])
    let markdown = DocumentHistory.build(path: "a.md", source: builder.source).render(.markdown)
    #expect(markdown.contains("Fix \\| pipes and &lt;b&gt;tags&lt;/b&gt;"))
    #expect(!markdown.contains("<b>"))
  }
}

@Suite struct CommitOrderTests {
  @Test func newestFirstAndNeverAParentBeforeItsChild() {
    var builder = HistoryBuilder()
    let root = builder.commit("root", at: "2024-01-01", ["a": "1"])
    let side = builder.commit("side", at: "2024-01-03", parents: [root], ["b": "1"])
    let main = builder.commit("main", at: "2024-01-02", parents: [root], ["c": "1"])
    // A merge whose second parent is newer than its first.
    builder.commit("merge", at: "2024-01-04", parents: [main, side], [:])
    #expect(builder.source.records.map(\.commit.summary) == ["merge", "side", "main", "root"])
    // A child dated before its parent still comes first.
    var skewed = HistoryBuilder()
    skewed.commit("old", at: "2024-02-01", ["a": "1"])
    skewed.commit("new", at: "2024-01-01", ["a": "2"])
    #expect(skewed.source.records.map(\.commit.summary) == ["new", "old"])
  }
}

@Suite struct RenameDetectorTests {
  @Test func scoresLikeGit() {
    let text = (1...20).map { "line \($0) of the spec\n" }.joined()
    #expect(RenameDetector.score(Data(text.utf8), Data(text.utf8)) == 60_000)
    #expect(RenameDetector.score(Data(text.utf8), Data("something else entirely\n".utf8)) == 0)
    let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
    #expect(RenameDetector.score(Data(text.utf8), Data(crlf.utf8)) > 50_000)
    // Half the lines kept: about half the score.
    let half =
      (1...10).map { "line \($0) of the spec\n" }.joined() + (1...10).map { "other \($0) text here\n" }.joined()
    let score = RenameDetector.score(Data(text.utf8), Data(half.utf8))
    #expect(score > 25_000 && score < 35_000)
  }

  @Test func pairsExactMatchesFirstThenTheMostSimilar() {
    let base = (1...20).map { "line \($0) of the spec\n" }.joined()
    let blobs: [String: Data] = [
      "old1": Data(base.utf8), "new1": Data((base + "one more\n").utf8),
      "old2": Data("unrelated\n".utf8), "new2": Data("unrelated\n".utf8),
    ]
    let renames = RenameDetector.renames(
      added: [
        TreeChange(path: "b.md", oldBlob: nil, newBlob: "new1"),
        TreeChange(path: "d.md", oldBlob: nil, newBlob: "new2"),
      ],
      deleted: [
        TreeChange(path: "a.md", oldBlob: "old1", newBlob: nil),
        TreeChange(path: "c.md", oldBlob: "new2", newBlob: nil),
      ],
      read: { blobs[$0]! })
    #expect(renames.map { "\($0.source.path)->\($0.destination.path)" } == ["a.md->b.md", "c.md->d.md"])
  }

  /// Scores remembered in memory (some given in advance), counting what was remembered.
  final class MemoryScores: RenameScores, @unchecked Sendable {
    private let lock = NSLock()
    var known: [String: Int]
    init(_ known: [String: Int]) { self.known = known }
    func score(_ source: String, _ destination: String) -> Int? {
      lock.lock()
      defer { lock.unlock() }
      return known[source + ">" + destination]
    }
    func remember(_ source: String, _ destination: String, score: Int) {
      lock.lock()
      known[source + ">" + destination] = score
      lock.unlock()
    }
  }

  /// Pairs are scored through an index of the deleted files' chunks: seeded random moves (shared
  /// boilerplate, near copies, identical and empty files, sizes far apart, scores remembered from an
  /// earlier run) give what scoring every pair one by one gives, and remember the same scores.
  @Test func indexedScoringEqualsScoringEveryPair() {
    var random = SeededGenerator(state: 20_261_130)
    let pool = (0..<40).map { "Line \($0) of the boilerplate many proposals repeat.\n" }
    var renamed = 0
    for round in 0..<40 {
      var blobs: [String: Data] = [:]
      func file(_ name: String) -> String {
        let lines = (0..<Int.random(in: 0...30, using: &random)).map { index in
          Bool.random(using: &random)
            ? pool[Int.random(in: 0..<pool.count, using: &random)] : "\(name) own line \(index)\n"
        }
        blobs[name] = Data(lines.joined().utf8)
        return name
      }
      let deleted = (0..<Int.random(in: 1...12, using: &random)).map { index in
        TreeChange(path: "old/\(index).md", oldBlob: file("o\(round)-\(index)"), newBlob: nil)
      }
      let added = (0..<Int.random(in: 1...12, using: &random)).map { index -> TreeChange in
        // A changed copy of a deleted file, an identical one, or a new file.
        let blob: String
        switch Int.random(in: 0..<4, using: &random) {
        case 0, 1:
          let source = blobs[deleted[Int.random(in: 0..<deleted.count, using: &random)].oldBlob!]!
          var lines = String(decoding: source, as: UTF8.self).split(separator: "\n").map { $0 + "\n" }
          for _ in 0..<Int.random(in: 0...6, using: &random) where !lines.isEmpty {
            lines[Int.random(in: 0..<lines.count, using: &random)] = "changed \(index)\n"
          }
          blob = "n\(round)-\(index)"
          blobs[blob] = Data(lines.joined().utf8)
        case 2: blob = deleted[Int.random(in: 0..<deleted.count, using: &random)].oldBlob!
        default: blob = file("n\(round)-\(index)")
        }
        return TreeChange(path: "new/\(index).md", oldBlob: nil, newBlob: blob)
      }
      var given: [String: Int] = [:]
      for deletion in deleted where Int.random(in: 0..<5, using: &random) == 0 {
        given[deletion.oldBlob! + ">" + added[0].newBlob!] = Int.random(in: 0...60_000, using: &random)
      }
      // Every pair scored one by one (exact matches first, then the best scores).
      var expected: [RenameDetector.Rename] = []
      var sources = Set<String>()
      var destinations = Set<String>()
      for addition in added {
        guard let source = deleted.first(where: { $0.oldBlob == addition.newBlob && !sources.contains($0.path) })
        else { continue }
        sources.insert(source.path)
        destinations.insert(addition.path)
        expected.append(RenameDetector.Rename(source: source, destination: addition, score: 60_000))
      }
      var expectedScores = given
      var candidates: [RenameDetector.Rename] = []
      for addition in added where !destinations.contains(addition.path) {
        for deletion in deleted where !sources.contains(deletion.path) {
          let key = deletion.oldBlob! + ">" + addition.newBlob!
          let score = given[key] ?? RenameDetector.score(blobs[deletion.oldBlob!]!, blobs[addition.newBlob!]!)
          expectedScores[key] = score
          if score >= 30_000 {
            candidates.append(RenameDetector.Rename(source: deletion, destination: addition, score: score))
          }
        }
      }
      candidates.sort {
        ($0.score, $1.destination.path, $1.source.path) > ($1.score, $0.destination.path, $0.source.path)
      }
      for candidate in candidates
      where !sources.contains(candidate.source.path) && !destinations.contains(candidate.destination.path) {
        sources.insert(candidate.source.path)
        destinations.insert(candidate.destination.path)
        expected.append(candidate)
      }
      expected.sort { $0.destination.path < $1.destination.path }
      let scores = MemoryScores(given)
      let found = RenameDetector.renames(added: added, deleted: deleted, read: { blobs[$0]! }, scores: scores)
      #expect(found == expected, "round \(round)")
      #expect(scores.known == expectedScores, "round \(round)")
      renamed += found.filter { $0.score < 60_000 }.count
    }
    #expect(renamed > 40)
  }
}

@Suite struct FrontMatterScalarTests {
  static let simple = [
    "---\ntitle: Checkout\nstatus: draft\n---\n# Body\n",
    "---\r\ntitle: \"Quoted: yes\"\r\nstatus: 'it''s fine'\r\n---\r\n",
    "\u{FEFF}---\nstatus: review # a comment\ntags: [a, b]\nreviewers:\n  - alice\n  - bob\nowner: carol\n---\n",
    "---\nid: 12\nenabled: true\nnothing: null\ncreated: 2024-01-01\nstatus: approved\n---\n",
    "---\nnested:\n  status: inner\nstatus: outer\n---\n",
    "# No front matter\n\nstatus: not a field\n",
    "",
    "---\nstatus: draft\n...\n",
  ]

  static let complex = [
    "---\nstatus: >\n  folded\n---\n",
    "---\nstatus: &anchor draft\nother: *anchor\n---\n",
    "---\nstatus: draft\nstatus: review\n---\n",
    "---\nstatus: \"escaped \\\" quote\"\n---\n",
    "---\nstatus: multi\n  line plain\n---\n",
    "---\nstatus: draft\n",
    "---\n\tstatus: tab\n---\n",
    "---\nkey with space: value\n---\n",
  ]

  @Test(arguments: simple)
  func fastPathAgreesWithTheParser(_ text: String) throws {
    let fast = try #require(FrontMatterScalars.fastRead(Data(text.utf8)))
    #expect(fast == FrontMatterScalars.parsed(Data(text.utf8), path: "a.md"))
  }

  @Test(arguments: complex)
  func fastPathGivesUpOnWhatItDoesNotUnderstand(_ text: String) {
    #expect(FrontMatterScalars.fastRead(Data(text.utf8)) == nil)
    #expect(
      FrontMatterScalars.read(Data(text.utf8), path: "a.md") == FrontMatterScalars.parsed(Data(text.utf8), path: "a.md")
    )
  }

  /// Which plain scalars are numbers (not strings) is decided without a regular expression: the
  /// YAML parser is the reference.
  @Test(arguments: [
    "1", "-12", "+7", "007", "1.5", "-1.5e3", "2E+10", ".5", "+.5", "5.", "-.", ".", "0x1F", "0xg", "0o17", "0o8",
    "0o", "0x", "1e", "1e+", "1_000", "12abc", "1.2.3", "+-1", "e5", "v1.0", "1,5", "٣",
  ])
  func numbersAreRecognisedAsTheParserDoes(_ value: String) throws {
    let text = "---\nvalue: \(value)\n---\n"
    let fast = try #require(FrontMatterScalars.fastRead(Data(text.utf8)), "\(value)")
    #expect(fast == FrontMatterScalars.parsed(Data(text.utf8), path: "a.md"), "\(value)")
  }

  /// The body is not parsed, but a NUL byte or invalid UTF-8 anywhere (at every offset of the
  /// eight-byte scan) still makes the fast path give up, as the whole text was checked before.
  @Test func fastPathChecksTheWholeText() throws {
    let head = Array("\u{FEFF}---\nstatus: draft\nkey-é_1.x: é\n---\n".utf8)
    #expect(FrontMatterScalars.fastRead(Data(head)) == ["status": "draft", "key-é_1.x": "é"])
    for length in 0..<20 {
      let body = Array((String(repeating: "é", count: length % 3) + String(repeating: "b", count: length)).utf8)
      #expect(FrontMatterScalars.fastRead(Data(head + body)) == ["status": "draft", "key-é_1.x": "é"])
      for bad: [UInt8] in [[0], [0xFF], [0xC3], [0xED, 0xA0, 0x80]] {
        for offset in 0...body.count {
          var bytes = head + body
          bytes.insert(contentsOf: bad, at: head.count + offset)
          #expect(FrontMatterScalars.fastRead(Data(bytes)) == nil, "\(bad) at \(offset) of \(length)")
          #expect(
            FrontMatterScalars.read(Data(bytes), path: "a.md") == FrontMatterScalars.parsed(Data(bytes), path: "a.md"))
        }
      }
    }
  }

  @Test func fastPathAgreesOnTheExampleRepository() throws {
    let root = packageRoot.appendingPathComponent("examples/product-ops")
    let snapshot = FileSystemSnapshot(root: root)
    var checked = 0
    for path in try snapshot.paths() where path.hasSuffix(".md") {
      let data = try snapshot.read(path)
      if let fast = FrontMatterScalars.fastRead(data) {
        #expect(fast == FrontMatterScalars.parsed(data, path: path), "\(path)")
        checked += 1
      }
    }
    #expect(checked >= 5)
  }

  @Test func cacheSurvivesARoundTripAndIgnoresGarbage() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-scalars-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("scalars.bin")
    let blob = String(repeating: "ab", count: 20)
    var reads = 0
    let cache = ScalarCache(file: file)
    let read: (String) throws -> Data = { _ in
      reads += 1
      return Data("---\nstatus: draft\n---\n".utf8)
    }
    #expect(cache.fields(ofBlob: blob, path: "a.md", read: read) == ["status": "draft"])
    cache.save()
    let reloaded = ScalarCache(file: file)
    #expect(reloaded.fields(ofBlob: blob, path: "a.md", read: read) == ["status": "draft"])
    #expect(reads == 1)
    try Data("not a cache".utf8).write(to: file)
    #expect(ScalarCache(file: file).fields(ofBlob: blob, path: "a.md", read: read) == ["status": "draft"])
    #expect(reads == 2)
  }

  /// The file's entries are looked up in place (by integer keys) and the ones a run does not decode
  /// are copied back verbatim when it saves: every entry, format and rename score survives runs
  /// that each use only some of them.
  @Test func entriesNotUsedInARunSurviveItsSave() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-scalars-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("scalars.bin")
    let blobs = (0..<4).map { String(repeating: String($0), count: 40) }
    let contents = [
      "---\nstatus: draft\n---\n", "---\nstatus: review\ntitle: Two\n---\n", "status: done\n", "---\nstatus: x\n---\n",
    ]
    var reads = 0
    func read(_ id: String) throws -> Data {
      reads += 1
      return Data(contents[blobs.firstIndex(of: id)!].utf8)
    }
    let first = ScalarCache(file: file)
    #expect(first.fields(ofBlob: blobs[0], path: "a.md", read: read) == ["status": "draft"])
    #expect(first.fields(ofBlob: blobs[1], path: "b.md", read: read) == ["status": "review", "title": "Two"])
    #expect(first.fields(ofBlob: blobs[2], path: "c.yaml", format: .yaml, read: read) == ["status": "done"])
    first.remember(blobs[0], blobs[1], score: 41_000)
    first.save()
    // A run that uses one entry, adds another and a score.
    let second = ScalarCache(file: file)
    #expect(second.fields(ofBlob: blobs[1], path: "b.md", read: read) == ["status": "review", "title": "Two"])
    #expect(second.fields(ofBlob: blobs[3], path: "d.md", read: read) == ["status": "x"])
    #expect(second.score(blobs[0], blobs[1]) == 41_000)
    #expect(second.score(blobs[1], blobs[0]) == nil)
    second.remember(blobs[2], blobs[3], score: 0)
    second.save()
    #expect(reads == 4)
    let third = ScalarCache(file: file)
    #expect(third.fields(ofBlob: blobs[0], path: "a.md", read: read) == ["status": "draft"])
    #expect(third.fields(ofBlob: blobs[1], path: "b.md", read: read) == ["status": "review", "title": "Two"])
    #expect(third.fields(ofBlob: blobs[2], path: "c.yaml", format: .yaml, read: read) == ["status": "done"])
    #expect(third.fields(ofBlob: blobs[3], path: "d.md", read: read) == ["status": "x"])
    #expect(third.score(blobs[0], blobs[1]) == 41_000)
    #expect(third.score(blobs[2], blobs[3]) == 0)
    #expect(reads == 4, "every entry answered from the file")
    // Without a file no score is kept (scoring a pair again costs less than keeping them all).
    let memory = ScalarCache(file: nil)
    memory.remember(blobs[0], blobs[1], score: 41_000)
    #expect(memory.score(blobs[0], blobs[1]) == nil)
    // The same blob read as another format is another entry.
    #expect(third.fields(ofBlob: blobs[2], path: "c.md", read: read) == [:])
    #expect(reads == 5)
  }

  @Test func blobKeysReadBackAsTheyWereWritten() throws {
    let hex = Array("0123456789abcdef")
    var generator = SeededGenerator(state: 11)
    for _ in 0..<200 {
      let id = String((0..<40).map { _ in hex[Int(generator.next() % 16)] })
      let key = try #require(BlobKey(hex: id, tag: 7))
      var writer = BinaryWriter()
      writer.write(id: key)
      var reader = BinaryReader(bytes: [UInt8](writer.data))
      var copy = try reader.readIDKey()
      copy.tag = 7
      #expect(copy == key)
      var text = BinaryReader(bytes: [UInt8](writer.data))
      #expect(try text.readID() == id)
    }
    for text in [
      "", "ab", String(repeating: "A", count: 40), String(repeating: "g", count: 40), String(repeating: "a", count: 41),
    ] {
      #expect(BlobKey(hex: text) == nil, "\(text)")
    }
  }

  /// Issue 13, row 16: every byte of the file is covered by its checksum. An edited string (same
  /// length, so the layout still decodes) is never answered from: the file is reported and removed.
  @Test func damagedCacheIsReportedAndNeverRead() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-scalars-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("scalars.bin")
    let blob = String(repeating: "cd", count: 20)
    let read: (String) throws -> Data = { _ in Data("---\nstatus: draft\ntitle: Checkout\n---\n".utf8) }
    let cache = ScalarCache(file: file)
    _ = cache.fields(ofBlob: blob, path: "a.md", read: read)
    cache.save()
    let good = try Data(contentsOf: file)
    let edited = try #require(good.range(of: Data("Checkout".utf8)))
    for position in [0, 5, edited.lowerBound, edited.lowerBound + 3, good.count - 1] {
      var bytes = good
      bytes[position] ^= 0x20
      try bytes.write(to: file)
      var reported: [URL] = []
      let damaged = ScalarCache(file: file, damaged: { reported.append($0) })
      var reads = 0
      let fields = damaged.fields(ofBlob: blob, path: "a.md") { id in
        reads += 1
        return try read(id)
      }
      #expect(fields == ["status": "draft", "title": "Checkout"], "byte \(position)")
      #expect(reads == 1, "byte \(position): read from the blob, not the file")
      // A damaged magic or version is a foreign file (ignored silently); anything else is reported.
      #expect(reported == (position < 28 ? [] : [file]), "byte \(position)")
    }
  }

  @Test func checksumSealsEveryByte() throws {
    var writer = BinaryWriter()
    writer.write("keel")
    writer.write(UInt32(7))
    writer.write(id: String(repeating: "0f", count: 20))
    let sealed = [UInt8](writer.sealedData)
    var copy = sealed
    #expect(BinaryReader.unseal(&copy))
    #expect(copy == [UInt8](writer.data))
    for position in sealed.indices {
      for bit in 0..<8 {
        var damaged = sealed
        damaged[position] ^= 1 << UInt8(bit)
        #expect(!BinaryReader.unseal(&damaged), "byte \(position) bit \(bit)")
        #expect(damaged.count == sealed.count)
      }
    }
    var short = [UInt8](sealed.prefix(7))
    #expect(!BinaryReader.unseal(&short))
    var truncated = [UInt8](sealed.dropFirst())
    #expect(!BinaryReader.unseal(&truncated))
  }

  /// Found by the FuzzHistoryCache fuzz target: a damaged count of entries (here 0xa800_1401) made the
  /// cache reserve room for that many before reading any, and the process ran out of memory.
  @Test func cacheWithAHugeEntryCountIsIgnored() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-scalars-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("scalars.bin")
    var writer = BinaryWriter()
    writer.write(ScalarCache.magic)
    writer.write(ScalarCache.formatVersion)
    writer.write(UInt32(0xa800_1401))
    writer.write(id: String(repeating: "ab", count: 20))
    try writer.sealedData.write(to: file)  // sealed: the checksum holds, the count is what is damaged
    let fields = ScalarCache(file: file).fields(ofBlob: String(repeating: "ab", count: 20), path: "a.md") { _ in
      Data("---\nstatus: review\n---\n".utf8)
    }
    #expect(fields == ["status": "review"])
  }
}

@Suite struct WorkflowInfoTests {
  @Test func readsFieldStatesAndSLA() throws {
    let text = """
      name: spec
      field: state
      initial: [draft]
      states:
        draft: {}
        review: {}
        archived: {final: true}
      transitions: {draft: [review], review: [archived]}
      sla:
        review: 10d
        draft: 9d
      """
    let info = try WorkflowInfo.load(Data(text.utf8), path: "workflows/spec.yaml")
    #expect(info.name == "spec")
    #expect(info.field == "state")
    #expect(info.states == ["draft", "review", "archived"])
    #expect(info.finalStates == ["archived"])
    #expect(info.sla == ["review": 864_000, "draft": 777_600])
    #expect(throws: KeelError.self) { try WorkflowInfo.load(Data("sla: {review: soon}".utf8), path: "w.yaml") }
  }
}

@Suite struct HistoryDatesTests {
  @Test func formatsLikeISO8601DateFormatter() {
    let formatter = ISO8601DateFormatter()
    for seconds in stride(from: -2_208_988_800, through: 4_102_444_800, by: 7_654_321) + [
      0, 951_782_400, 1_709_164_800,
    ] {
      let date = Date(timeIntervalSince1970: TimeInterval(seconds))
      #expect(HistoryDates.iso(date) == formatter.string(from: date))
    }
  }

  /// Times git accepts beyond the calendar: saturated, never trapping, shown as git shows them.
  @Test func outOfRangeDatesAreShownAsGitShowsThem() {
    let saturated = HistoryDates.date(seconds: .max)
    #expect(HistoryDates.seconds(saturated) == HistoryDates.latestSeconds)
    #expect(HistoryDates.seconds(HistoryDates.date(seconds: .min)) == -HistoryDates.latestSeconds)
    #expect(HistoryDates.seconds(Date(timeIntervalSince1970: 1e300)) == HistoryDates.latestSeconds)
    #expect(HistoryDates.seconds(Date(timeIntervalSince1970: .nan)) == 0)
    let shown: [(Int64, String)] = [
      (253_402_300_799, "9999-12-31T23:59:59Z"), (253_402_300_800, "10000-01-01T00:00:00Z"),
      (-62_135_596_800, "0001-01-01T00:00:00Z"), (-62_135_596_801, "1970-01-01T00:00:00Z"),
      (67_767_976_233_532_792, "2147483647-12-31T23:59:52Z"), (67_767_976_233_532_800, "1970-01-01T00:00:00Z"),
      (9_000_000_000_000_000_000, "1970-01-01T00:00:00Z"), (-9_000_000_000_000_000_000, "1970-01-01T00:00:00Z"),
      (.max, "1970-01-01T00:00:00Z"),
    ]
    for (seconds, text) in shown {
      #expect(HistoryDates.iso(HistoryDates.date(seconds: seconds)) == text, "\(seconds)")
    }
    #expect(HistoryDates.day(HistoryDates.date(seconds: 253_402_300_800)) == "10000-01-01")
    #expect(HistoryDates.isInRange(HistoryDates.date(seconds: 253_402_300_799)))
    #expect(!HistoryDates.isInRange(HistoryDates.date(seconds: 253_402_300_800)))
    #expect(HistoryDates.isInRange(HistoryDates.date(seconds: -62_135_596_800)))
    #expect(!HistoryDates.isInRange(saturated))
    #expect(MetricsReport.duration(1.8e19) == MetricsReport.duration(1e15))
    #expect(MetricsReport.duration(.infinity) == "0m")
  }

  @Test func commandLineDatesAreRealDays() throws {
    func parse(_ text: String) throws -> Date { try HistoryDates.parseArgument(text, option: "--now") }
    #expect(try parse("2024-02-29") == Date(timeIntervalSince1970: 1_709_164_800))
    #expect(try parse("2024-02-29T10:00:00Z") == Date(timeIntervalSince1970: 1_709_200_800))
    #expect(try parse("2024-02-29T12:00:00+02:00") == Date(timeIntervalSince1970: 1_709_200_800))
    #expect(try parse("2024-02-29T07:30:00-0230") == Date(timeIntervalSince1970: 1_709_200_800))
    #expect(try parse("1970-01-01") == Date(timeIntervalSince1970: 0))
    #expect(try parse("9999-12-31T23:59:59Z") == Date(timeIntervalSince1970: 253_402_300_799))
    for bad in [
      "2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-00-10", "2026-01-00", "1969-12-31", "0000-01-01",
      "292277026596-12-04", "10000-01-01", "2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z", "2026-01-01T10:00:60Z",
      "2026-01-01T10:00:00", "2026-01-01T10:00:00+24:00", "2026-01-01 ", "2026-1-1", "+2026-01-01", "", "now",
      "2026-01-01T10:00:00Zjunk",
    ] {
      #expect(throws: KeelError.self, "\(bad)") { try parse(bad) }
    }
    // Every day of a leap and a common year, against Foundation's Gregorian calendar.
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    for year in [2024, 2100] {
      for month in 1...12 {
        for day in 1...31 {
          let text = "\(year)-" + (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)"
          let components = DateComponents(year: year, month: month, day: day)
          let real = calendar.date(from: components).map { calendar.component(.day, from: $0) == day } ?? false
          #expect((try? parse(text)) == (real ? calendar.date(from: components) : nil), "\(text)")
        }
      }
    }
  }
}
