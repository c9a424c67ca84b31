import Foundation
import KeelTestSupport
import Testing

/// Issue 11: `history`, `metrics`, `changelog` and `workflow/stale` read a document's state in every
/// version the same way, and a document enters a state when it first had it.
@Suite struct StateAgreementTests {
  /// `workflow/stale` messages of `keel check --format json` with these arguments.
  private func staleMessages(_ repository: TestRepository, _ arguments: [String]) throws -> [String] {
    let result = try repository.keel(["check", "--format", "json"] + arguments)
    let diagnostics = try HistoryFixtures.json(result)["diagnostics"] as? [[String: Any]] ?? []
    return diagnostics.filter { $0["rule"] as? String == "workflow/stale" }.map { $0["message"] as? String ?? "" }
  }

  /// A document renamed into the kind's glob while in review: stale counts from the commit that set
  /// review, and metrics see no transition at the rename.
  @Test(arguments: GitReader.allCases) func renamedIntoTheGlobInReviewIsStaleFromTheReviewCommit(reader: GitReader)
    throws
  {
    let repository = try TestRepository()
    repository.reader = reader
    try HistoryFixtures.seed(repository)
    try repository.write("drafts/a.md", HistoryFixtures.spec("Alpha", "draft"))
    try repository.commitAll("Draft outside the specs", date: HistoryFixtures.date(1))
    try repository.write("drafts/a.md", HistoryFixtures.spec("Alpha", "review"))
    try repository.commitAll("Alpha to review", date: HistoryFixtures.date(3))
    try FileManager.default.createDirectory(
      at: repository.url.appendingPathComponent("specs"), withIntermediateDirectories: true)
    try repository.git(["mv", "drafts/a.md", "specs/a.md"])
    try repository.commitAll("Move alpha into the specs", date: HistoryFixtures.date(20))

    #expect(
      try staleMessages(repository, ["--now", "2024-01-25T12:00:00Z"]) == [
        "in 'review' since 2024-01-03 (22d), longer than the 10d SLA of spec"
      ])
    let metrics = try HistoryFixtures.json(
      try repository.keel(["metrics", "--now", "2024-01-25", "--format", "json"]))
    let documents = metrics["documents"] as? [[String: Any]] ?? []
    #expect(documents.count == 1)
    #expect(documents.first?["enteredState"] as? String == "2024-01-03T12:00:00Z")
    let transitions = (metrics["transitions"] as? [[String: Any]] ?? []).map {
      "\($0["from"] ?? "")->\($0["to"] ?? "")"
    }
    #expect(transitions == ["draft->review"])
    let history = try HistoryFixtures.json(try repository.keel(["history", "specs/a.md", "--format", "json"]))
    let states = (history["events"] as? [[String: Any]] ?? []).map { ($0["state"] as? [String: Any])?["to"] as? String }
    #expect(states == [nil, "review", "draft"])
  }

  /// `keel check --rev OLD` without `--now` measures ages at the revision's own date.
  @Test func checkOfAnOldRevisionMeasuresAtItsDate() throws {
    let repository = try TestRepository()
    try HistoryFixtures.seed(repository)
    try repository.write("specs/a.md", HistoryFixtures.spec("Alpha", "review"))
    try repository.commitAll("Alpha in review", date: HistoryFixtures.date(1))
    try repository.write("specs/b.md", HistoryFixtures.spec("Beta", "draft"))
    let old = try repository.commitAll("Beta", date: HistoryFixtures.date(5))
    try repository.write("specs/b.md", HistoryFixtures.spec("Beta", "review"))
    try repository.commitAll("Beta to review", date: HistoryFixtures.date(30))
    // At its own date (the 5th) alpha had been in review for 4 days: not stale.
    #expect(try staleMessages(repository, ["--rev", old]).isEmpty)
    #expect(
      try staleMessages(repository, ["--rev", old, "--now", "2024-01-21T12:00:00Z"]) == [
        "in 'review' since 2024-01-01 (20d), longer than the 10d SLA of spec"
      ])
    // HEAD's date is the 30th: alpha is stale, beta (in review since the 30th) is not.
    #expect(try staleMessages(repository, ["--rev", "HEAD"]).count == 1)
  }

  static let seeds: [UInt64] = {
    let count = ProcessInfo.processInfo.environment["KEEL_DIFFERENTIAL_SEEDS"].flatMap { Int($0) } ?? 2
    return (0..<UInt64(max(1, count))).map { 20_261_130 + $0 }
  }()

  /// Seeded random repositories (documents drafted outside the glob and moved in, renames, merges,
  /// rebases, deletions): at several revisions, every document's state, the date it entered it and
  /// its time in each state, derived from `keel history`, equal what `metrics` says; `changelog`
  /// ends each document in that state, and `workflow/stale` dates it from the same commit.
  @Test(arguments: seeds) func historyMetricsChangelogAndStaleAgree(seed: UInt64) throws {
    let history = try RandomHistory(seed: seed)
    var compared = 0
    for round in 0..<24 {
      try history.mutate()
      if round % 8 == 7 { compared += try compareStates(history.repository) }
    }
    compared += try compareStates(history.repository)
    #expect(compared > 4, "documents compared")
  }

  /// Compares the states at HEAD; returns how many documents were compared.
  private func compareStates(_ repository: TestRepository) throws -> Int {
    let now = "2030-06-01T00:00:00Z"
    let metrics = try HistoryFixtures.json(try repository.keel(["metrics", "--now", now, "--format", "json"]))
    let changelog = try HistoryFixtures.json(try repository.keel(["changelog", "--format", "json"]))
    var endStates: [String: String?] = [:]
    for kind in changelog["kinds"] as? [[String: Any]] ?? [] {
      for group in kind["groups"] as? [[String: Any]] ?? [] {
        for document in group["documents"] as? [[String: Any]] ?? [] where document["deleted"] as? Bool == false {
          endStates[document["path"] as? String ?? ""] = document["to"] as? String
        }
      }
    }
    var staleSince: [String: String] = [:]
    let check = try HistoryFixtures.json(try repository.keel(["check", "--now", now, "--format", "json"]))
    for diagnostic in check["diagnostics"] as? [[String: Any]] ?? []
    where diagnostic["rule"] as? String == "workflow/stale" {
      let message = diagnostic["message"] as? String ?? ""
      staleSince[diagnostic["path"] as? String ?? ""] = message.components(separatedBy: "since ").last.map {
        String($0.prefix(10))
      }
    }
    let live = Set(
      try repository.git(["ls-files", "specs"]).split(separator: "\n").map(String.init))
    var compared = 0
    for document in metrics["documents"] as? [[String: Any]] ?? [] {
      guard let path = document["path"] as? String, live.contains(path), document["state"] is String else { continue }
      let derived = try derivedStates(repository, path: path, now: parseDate(now))
      let context = "\(path) at \(try repository.git(["rev-parse", "--short", "HEAD"]))"
      #expect(document["state"] as? String == derived.state, "\(context)")
      #expect(document["enteredState"] as? String == derived.entered, "\(context)")
      let times = (document["timeInState"] as? [String: Any] ?? [:]).mapValues { ($0 as? NSNumber)?.doubleValue ?? -1 }
      #expect(times == derived.times, "\(context)")
      #expect(endStates[path] == .some(derived.state), "\(context): changelog")
      if derived.state == "review" {
        #expect(staleSince[path] == derived.entered.map { String($0.prefix(10)) }, "\(context): stale")
      } else {
        #expect(staleSince[path] == nil, "\(context): stale")
      }
      compared += 1
    }
    return compared
  }

  /// The state, the moment it was entered and the seconds spent in each state, from the document's
  /// `keel history` (its last life: a deletion ends one), the way metrics count them.
  private func derivedStates(_ repository: TestRepository, path: String, now: Date) throws
    -> (state: String?, entered: String?, times: [String: Double])
  {
    let history = try HistoryFixtures.json(try repository.keel(["history", path, "--format", "json"]))
    var events = (history["events"] as? [[String: Any]] ?? []).reversed().map { $0 }
    if let death = events.lastIndex(where: { $0["change"] as? String == "deleted" }) {
      events.removeSubrange(...death)
    }
    var state: String?
    var entered: (date: Date, text: String)?
    var times: [String: Double] = [:]
    for event in events {
      guard let change = event["state"] as? [String: Any] else { continue }
      #expect(change["from"] as? String == state, "\(path): a version's state before is the one before it")
      let text = event["date"] as? String ?? ""
      let date = parseDate(text)
      if let state, let start = entered, date > start.date {
        times[state, default: 0] += date.timeIntervalSince(start.date)
      }
      state = change["to"] as? String
      entered = (date, text)
    }
    if let state, let start = entered, now > start.date {
      times[state, default: 0] += now.timeIntervalSince(start.date)
    }
    return (state, entered?.text, times)
  }
}

/// An ISO date of keel's JSON (`2024-01-03T12:00:00Z`).
private func parseDate(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }
