import Foundation
import Testing

/// Commit dates git accepts but a calendar cannot hold (issue 13, rows 1, 2 and 18): read without
/// trapping, shown as `git log --format=%aI` shows them, kept out of durations, weeks and SLAs.
enum RawDateFixtures {
  /// A keel repository whose spec was committed (by `git hash-object --literally`) at each of the
  /// raw author/committer `times` in turn (draft first, then review), with a normal commit on top.
  static func makeRepository(times: [String]) throws -> TestRepository {
    let repository = try TestRepository()
    try HistoryFixtures.seed(repository)
    var parent: String?
    for (index, time) in times.enumerated() {
      try repository.write("specs/a.md", HistoryFixtures.spec("Alpha", index == 0 ? "draft" : "review"))
      try repository.git(["add", "-A"])
      let tree = try repository.git(["write-tree"]).trimmingCharacters(in: .whitespacesAndNewlines)
      let object =
        "tree \(tree)\n" + (parent.map { "parent \($0)\n" } ?? "") + "author A <a@example.com> \(time) +0000\n"
        + "committer A <a@example.com> \(time) +0000\n\nCommitted at \(time)\n"
      let made = try runProcess(
        "/usr/bin/git", ["hash-object", "--literally", "-t", "commit", "-w", "--stdin"], in: repository.url,
        input: object)
      #expect(made.status == 0, "\(made.stderr)")
      parent = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    try repository.git(["update-ref", "refs/heads/main", parent!])
    try repository.write("specs/a.md", HistoryFixtures.spec("Alpha", "review", note: "A normal commit on top."))
    try repository.commitAll("Normal commit", date: "2024-01-10T12:00:00Z")
    return repository
  }

  /// The author dates as `git log --format=%aI` shows them, newest first, `+00:00` written `Z`
  /// (empty for a time git cannot read).
  static func gitDates(_ repository: TestRepository) throws -> [String] {
    try repository.git(["log", "--format=%aI"]).split(separator: "\n", omittingEmptySubsequences: false)
      .dropLast().map { $0.replacingOccurrences(of: "+00:00", with: "Z") }
  }

  static func historyDates(_ repository: TestRepository) throws -> [String] {
    let result = try repository.keel(["history", "specs/a.md", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let events = try HistoryFixtures.json(result)["events"] as? [[String: Any]] ?? []
    return events.map { $0["date"] as? String ?? "" }
  }
}

@Suite struct CommitDateTests {
  /// Row 1: a 20-digit author time overflowed `RawCommit.signature` (SIGILL in every command).
  @Test func twentyDigitTimeIsReadAsGitShowsIt() throws {
    let repository = try RawDateFixtures.makeRepository(times: ["12345678901234567890"])
    for arguments in [
      ["check"], ["history", "specs/a.md"], ["changelog"], ["metrics"], ["metrics", "--format", "svg"],
    ] {
      let result = try repository.keel(arguments)
      #expect(result.status == 0, "\(arguments): \(result.status) \(result.stderr)")
    }
    let gitDates = try RawDateFixtures.gitDates(repository)
    #expect(gitDates == ["2024-01-10T12:00:00Z", "1970-01-01T00:00:00Z"])
    #expect(try RawDateFixtures.historyDates(repository) == gitDates)
    let changelog = try repository.keel(["changelog", "--format", "json"])
    #expect(changelog.stdout.contains("\"1970-01-01T00:00:00Z\""), "\(changelog.stdout)")
  }

  /// Row 1, in a pull request: libgit2 1.5 cannot parse a commit with a 20-digit time, so its
  /// merge-base walk failed and `keel check --base` exited 2 on every branch of such a history.
  @Test func reviewModeFindsTheMergeBaseAcrossSuchACommit() throws {
    let repository = try RawDateFixtures.makeRepository(times: ["12345678901234567890"])
    try repository.git(["checkout", "-q", "-b", "feature"])
    try repository.write("specs/b.md", HistoryFixtures.spec("Beta", "draft"))
    try repository.commitAll("Beta on the branch", date: "2024-01-12T12:00:00Z")
    try repository.git(["checkout", "-q", "main"])
    try repository.write("specs/c.md", HistoryFixtures.spec("Gamma", "draft"))
    try repository.commitAll("Gamma on main", date: "2024-01-13T12:00:00Z")
    try repository.git(["checkout", "-q", "feature"])
    let gitBase = try repository.git(["merge-base", "main", "feature"]).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(gitBase == (try repository.git(["rev-parse", "main~1"])).trimmingCharacters(in: .whitespacesAndNewlines))
    for arguments in [["check", "--base", "main"], ["check", "--base", "main", "--head", "feature"]] {
      let result = try repository.keel(arguments + ["--format", "json"])
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      // Only the branch's own document: the merge base is git's, not main's tip.
      let summary = try HistoryFixtures.json(result)["summary"] as? [String: Any]
      #expect(summary?["documents"] as? Int == 1, "\(result.stdout)")
    }
  }

  /// Row 2: author times of ±9e18 trapped in `MetricsReport.duration`; history showed year
  /// -285198644 and metrics a week `-4713-11-2`.
  @Test func timesBeyondTheCalendarStayOutOfArithmetic() throws {
    let repository = try RawDateFixtures.makeRepository(times: ["-9000000000000000000", "9000000000000000000"])
    let text = try repository.keel(["metrics", "--now", "2024-02-01"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("note: 2 changes are dated outside the years 0001-9999"), "\(text.stdout)")
    #expect(text.stderr.contains("note: 2 changes are dated outside the years 0001-9999"))
    #expect(!text.stdout.contains("-4713") && !text.stdout.contains("-2851"), "\(text.stdout)")
    let json = try HistoryFixtures.json(try repository.keel(["metrics", "--format", "json", "--now", "2024-02-01"]))
    // Draft began at -9e18 and review at +9e18: no duration, no week, no SLA can come from them.
    #expect((json["transitions"] as? [Any])?.isEmpty == true)
    #expect((json["throughput"] as? [Any])?.isEmpty == true)
    #expect((json["stale"] as? [Any])?.isEmpty == true)
    let document = (json["documents"] as? [[String: Any]])?.first
    #expect(document?["timeInState"] as? [String: Int] == [:])
    #expect(document?["enteredState"] as? String == "1970-01-01T00:00:00Z")
    // git shows +9e18 as 1970-01-01 (beyond what it can show) and cannot read -9e18 at all.
    #expect(try RawDateFixtures.gitDates(repository) == ["2024-01-10T12:00:00Z", "1970-01-01T00:00:00Z", "%aI"])
    #expect(
      try RawDateFixtures.historyDates(repository) == [
        "2024-01-10T12:00:00Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
      ])
    for arguments in [["check"], ["history", "specs/a.md"], ["changelog"], ["metrics", "--format", "svg"]] {
      #expect(try repository.keel(arguments).status == 0, "\(arguments)")
    }
  }

  /// Years after 9999 are shown with their full year, as git shows them, and left out of durations.
  @Test func yearTenThousandIsShownInFull() throws {
    let repository = try RawDateFixtures.makeRepository(times: ["1704110400", "253402300800"])
    let gitDates = try RawDateFixtures.gitDates(repository)
    #expect(gitDates == ["2024-01-10T12:00:00Z", "10000-01-01T00:00:00Z", "2024-01-01T12:00:00Z"])
    #expect(try RawDateFixtures.historyDates(repository) == gitDates)
    let text = try repository.keel(["history", "specs/a.md"])
    #expect(text.stdout.contains("  10000-01-01  "), "\(text.stdout)")
    let json = try HistoryFixtures.json(try repository.keel(["metrics", "--format", "json", "--now", "2024-02-01"]))
    #expect((json["transitions"] as? [Any])?.isEmpty == true)
    let document = (json["documents"] as? [[String: Any]])?.first
    #expect(document?["enteredState"] as? String == "10000-01-01T00:00:00Z")
    #expect(document?["timeInState"] as? [String: Int] == [:])
  }

  /// Row 18: `--now 292277026596-12-04` gave `"now": "-4170229-01-15"` and `--now 2026-02-30`
  /// 2026-03-02, both with exit 0.
  @Test func dateOptionsAreRealDatesInYears1970To9999() throws {
    let repository = try makeMetricsRepository()
    let cases: [(String, String)] = [
      ("292277026596-12-04", "outside the years 1970–9999"), ("2026-02-30", "not a day of the calendar"),
      ("2025-02-29", "not a day of the calendar"), ("1969-12-31", "outside the years 1970–9999"),
      ("2026-01-01T24:00:00Z", "not a time of day"), ("2026-13-01", "not a day of the calendar"),
      ("yesterday", "is not a date"), ("2026-01-01T10:00:00", "is not a date"),
    ]
    for (value, reason) in cases {
      for arguments in [
        ["metrics", "--now", value], ["metrics", "--since", value], ["history", "specs/a.md", "--since", value],
        ["check", "--now", value],
      ] {
        let result = try repository.keel(arguments)
        #expect(result.status == 2, "\(arguments)")
        #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
      }
    }
    let leap = try HistoryFixtures.json(try repository.keel(["metrics", "--format", "json", "--now", "2024-02-29"]))
    #expect(leap["now"] as? String == "2024-02-29T00:00:00Z")
    let offset = try HistoryFixtures.json(
      try repository.keel(["metrics", "--format", "json", "--now", "2024-02-29T10:00:00+02:00"]))
    #expect(offset["now"] as? String == "2024-02-29T08:00:00Z")
  }

  /// `keel check --now` makes workflow/stale reproducible (ages measured at that moment).
  @Test func checkNowMeasuresStaleness() throws {
    let repository = try TestRepository()
    try HistoryFixtures.seed(repository)
    try repository.write("specs/old.md", HistoryFixtures.spec("Old", "review"))
    try repository.commitAll("Old spec in review", date: HistoryFixtures.date(1))
    func stale(_ arguments: [String]) throws -> [String] {
      let result = try repository.keel(["check", "--format", "json"] + arguments)
      let diagnostics = try HistoryFixtures.json(result)["diagnostics"] as? [[String: Any]] ?? []
      return diagnostics.filter { $0["rule"] as? String == "workflow/stale" }.map { $0["message"] as? String ?? "" }
    }
    #expect(try stale(["--now", "2024-01-05"]).isEmpty)
    #expect(try stale(["--now", "2024-01-11T11:00:00Z"]).isEmpty)
    #expect(
      try stale(["--now", "2024-01-21T12:00:00Z"]) == [
        "in 'review' since 2024-01-01 (20d), longer than the 10d SLA of spec"
      ])
    #expect(try stale(["--rev", "HEAD", "--now", "2024-01-21T12:00:00Z"]).count == 1)
  }
}
