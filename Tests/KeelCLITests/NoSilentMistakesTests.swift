import Foundation
import KeelTestSupport
import Testing

/// A typo is an error that says so (exit 2, `keel: error: …`, a "did you mean" when one is close),
/// never an empty report or a silently chosen format.
@Suite("No silent mistakes")
struct NoSilentMistakesTests {
  /// A repository made by `keel init` (kinds prd, rfc, decision, kpi; workflow states draft, review, …),
  /// committed.
  static func initialised() throws -> TestRepository {
    let repo = try TestRepository()
    let initialised = try repo.keel(["init"])
    #expect(initialised.status == 0, "\(initialised.stderr)")
    try repo.commitAll("keel init", date: "2026-03-01T10:00:00Z")
    return repo
  }

  @Test("a path argument that names no file is exit 2 with the reason, in every command taking paths")
  func pathThatMatchesNothing() throws {
    let repo = try Self.initialised()
    let check = try repo.keel(["check", "specs/nope"])
    #expect(check.status == 2)
    #expect(check.stderr == "keel: error: specs/nope: no such file or folder\n", "\(check.stderr)")
    #expect(check.stdout.isEmpty)
    // One typo among good paths still fails; the good ones alone pass, a folder or a file alike.
    #expect(try repo.keel(["check", "specs", "specs/nope"]).status == 2)
    #expect(try repo.keel(["check", "specs", "specs/example.md", "specs/"]).status == 0)
    // In a revision, the path must be in that revision.
    try repo.write("specs/later.md", "---\ntitle: Later\n---\n")
    let revision = try repo.keel(["check", "--rev", "HEAD", "specs/later.md"])
    #expect(revision.status == 2)
    #expect(
      revision.stderr.hasPrefix("keel: error: specs/later.md: no such file or folder in HEAD"), "\(revision.stderr)")
    let history = try repo.keel(["history", "specs/nope.md"])
    #expect(history.status == 2)
    #expect(history.stderr.contains("specs/nope.md: no such file or folder"), "\(history.stderr)")
    // A file no commit changed yet but on disk is an empty history, not a mistake.
    #expect(try repo.keel(["history", "specs/later.md"]).status == 0)
    #expect(try repo.keel(["transition", "specs/nope.md", "review"]).status == 2)
  }

  @Test("--output FILE picks the format from its extension; an unknown one is a usage error")
  func outputFormatFromExtension() throws {
    let repo = try Self.initialised()
    for (file, start) in [
      ("r.json", "{"), ("r.sarif", "{\n  \"$schema\""), ("r.xml", "<?xml"), ("r.md", "## "), ("r.txt", "0 errors"),
    ] {
      let run = try repo.keel(["check", "--output", file])
      #expect(run.status == 0, "\(file): \(run.stderr)")
      let written = try repo.read(file)
      #expect(written.hasPrefix(start), "\(file): \(written.prefix(80))")
    }
    // --format wins over the extension.
    #expect(try repo.keel(["check", "--output", "r2.json", "--format", "text"]).status == 0)
    #expect(try repo.read("r2.json").hasPrefix("0 errors"))
    let unknown = try repo.keel(["check", "--output", "r.xlsx"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.hasPrefix("keel: error: --output r.xlsx: no format has the extension '.xlsx'"))
    #expect(!FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("r.xlsx").path))

    let glossary = try repo.keel(["export", "glossary", "--output", "g.xlsx"])
    #expect(glossary.status == 2, "\(glossary.stderr)")
    #expect(!FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("g.xlsx").path))
    #expect(try repo.keel(["export", "glossary", "--output", "g.json"]).status == 0)
    #expect(try repo.read("g.json").hasPrefix("{"))
    #expect(try repo.keel(["export", "glossary", "--output", "g.xlsx", "--format", "csv"]).status == 0)

    #expect(try repo.keel(["changelog", "--output", "c.json"]).status == 0)
    #expect(try repo.read("c.json").hasPrefix("{"))
    #expect(try repo.keel(["changelog", "--output", "c.pdf"]).status == 2)
    #expect(try repo.keel(["metrics", "--output", "m.svg", "--now", "2026-04-01"]).status == 0)
    #expect(try repo.read("m.svg").contains("<svg"))
    #expect(try repo.keel(["metrics", "--output", "m.csv", "--now", "2026-04-01"]).status == 0)
    #expect(!(try repo.read("m.csv").hasPrefix("{")))
    #expect(try repo.keel(["metrics", "--output", "m.png", "--now", "2026-04-01"]).status == 2)
  }

  @Test("every error is 'keel: error: …', the argument parser's own included")
  func oneErrorStyle() throws {
    let repo = try Self.initialised()
    for arguments in [
      ["check", "--format", "jsn"], ["check", "--staged", "--rev", "HEAD"], ["transition"],
      ["check", "specs/nope"], ["new", "prdd", "--title", "X"],
    ] {
      let run = try repo.keel(arguments)
      #expect(run.status == 2, "\(arguments)")
      #expect(run.stderr.hasPrefix("keel: error: "), "\(arguments): \(run.stderr)")
      #expect(!run.stderr.contains("Error:"), "\(arguments): \(run.stderr)")
    }
  }

  @Test("did you mean: subcommands, kinds, states, keel.yaml keys and enum values")
  func didYouMean() throws {
    let repo = try Self.initialised()
    let example = try repo.read("specs/example.md")
    try repo.write("specs/example.md", example.replacingOccurrences(of: "status: draft", with: "status: shiped"))
    let value = try repo.keel(["check", "--no-history"])
    #expect(value.status == 1)
    #expect(
      value.stdout.contains(
        "'shiped' is not one of draft, review, approved, shipped, archived; did you mean 'shipped'?"),
      "\(value.stdout)")
    try repo.write("specs/example.md", example.replacingOccurrences(of: "status: draft", with: "status: xyz"))
    let far = try repo.keel(["check", "--no-history"])
    #expect(far.stdout.contains("'xyz' is not one of draft, review, approved, shipped, archived [schema/enum]"))
    try repo.write("specs/example.md", example)

    let command = try repo.keel(["chek"])
    #expect(command.status == 2)
    #expect(command.stderr.hasPrefix("keel: error: unknown command 'chek'; did you mean 'check'?"), "\(command.stderr)")
    let nested = try repo.keel(["export", "glosary"])
    #expect(nested.stderr.hasPrefix("keel: error: unknown command 'glosary'; did you mean 'glossary'?"))
    #expect(try repo.keel(["help", "check"]).status == 0)

    let kind = try repo.keel(["new", "prdd", "--title", "X"])
    #expect(kind.status == 2)
    #expect(kind.stderr.contains("no kind 'prdd' in keel.yaml"), "\(kind.stderr)")
    #expect(kind.stderr.contains("did you mean 'prd'?"), "\(kind.stderr)")

    let state = try repo.keel(["transition", "specs/example.md", "reveiw"])
    #expect(state.status == 2)
    #expect(state.stderr.contains("'reveiw' is not a state"), "\(state.stderr)")
    #expect(state.stderr.contains("did you mean 'review'?"), "\(state.stderr)")

    let yaml = try repo.read("keel.yaml")
    try repo.write(
      "keel.yaml",
      yaml.replacingOccurrences(of: "    workflow: workflows/spec.yaml", with: "    workfow: workflows/spec.yaml"))
    let key = try repo.keel(["check"])
    #expect(key.status == 2)
    #expect(
      key.stderr.contains("additional property 'workfow' is not allowed; did you mean 'workflow'?"), "\(key.stderr)")
  }
}

/// `--since`/`--until` take a date or a revision in `history`, `changelog` and `metrics`.
@Suite("Dates or revisions in --since and --until")
struct HistoryBoundTests {
  /// specs/example.md added on March 1st (tag v1), changed on April 1st (v2) and May 1st; specs/late.md
  /// added on May 1st.
  static func repository() throws -> TestRepository {
    let repo = try NoSilentMistakesTests.initialised()
    try repo.git(["tag", "v1"])
    let example = try repo.read("specs/example.md")
    try repo.write("specs/example.md", example + "\nApril.\n")
    try repo.commitAll("April", date: "2026-04-01T10:00:00Z")
    try repo.git(["tag", "v2"])
    try repo.write("specs/example.md", example + "\nApril.\n\nMay.\n")
    try repo.write("specs/late.md", example.replacingOccurrences(of: "PRD-001", with: "PRD-009"))
    try repo.commitAll("May", date: "2026-05-01T10:00:00Z")
    return repo
  }

  static func events(_ run: ProcessResult) throws -> [String] {
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    return try #require(object["events"] as? [[String: Any]]).compactMap { $0["summary"] as? String }
  }

  @Test("history --since/--until: a date, or a revision standing for its commit's date")
  func history() throws {
    let repo = try Self.repository()
    let base = ["history", "specs/example.md", "--format", "json", "--reverse"]
    #expect(try Self.events(try repo.keel(base)) == ["keel init", "April", "May"])
    #expect(try Self.events(try repo.keel(base + ["--since", "v2"])) == ["April", "May"])
    #expect(try Self.events(try repo.keel(base + ["--since", "2026-04-15"])) == ["May"])
    #expect(try Self.events(try repo.keel(base + ["--until", "v2"])) == ["keel init", "April"])
    #expect(try Self.events(try repo.keel(base + ["--since", "v2", "--until", "2026-04-30"])) == ["April"])
    let badDate = try repo.keel(base + ["--since", "2026-02-30"])
    #expect(badDate.status == 2)
    #expect(badDate.stderr.hasPrefix("keel: error: --since: '2026-02-30'"), "\(badDate.stderr)")
    #expect(try repo.keel(base + ["--since", "no-such-tag"]).status == 2)
  }

  @Test("changelog --since/--until: a revision range, or dates")
  func changelog() throws {
    let repo = try Self.repository()
    let byDate = try repo.keel(["changelog", "--since", "2026-04-15"])
    #expect(byDate.status == 0, "\(byDate.stderr)")
    #expect(byDate.stdout.contains("specs/late.md"))
    #expect(byDate.stdout.contains("specs/example.md"))
    let untilDate = try repo.keel(["changelog", "--until", "2026-03-15"])
    #expect(untilDate.status == 0, "\(untilDate.stderr)")
    #expect(untilDate.stdout.contains("specs/example.md"))
    #expect(!untilDate.stdout.contains("specs/late.md"))
    let range = try repo.keel(["changelog", "--since", "v1", "--until", "v2"])
    #expect(range.status == 0, "\(range.stderr)")
    #expect(range.stdout.contains("specs/example.md"))
    #expect(!range.stdout.contains("specs/late.md"))
    #expect(try repo.keel(["changelog", "--since", "2026-01-01"]).status == 0)
  }

  @Test("metrics --since REV is --since that commit's author date")
  func metrics() throws {
    let repo = try Self.repository()
    let byRevision = try repo.keel(["metrics", "--since", "v2", "--now", "2026-06-01", "--format", "json"])
    let byDate = try repo.keel(
      ["metrics", "--since", "2026-04-01T10:00:00Z", "--now", "2026-06-01", "--format", "json"])
    #expect(byRevision.status == 0, "\(byRevision.stderr)")
    #expect(byRevision.stdout == byDate.stdout)
    let earlier = try repo.keel(["metrics", "--since", "v1", "--now", "2026-06-01", "--format", "json"])
    #expect(earlier.stdout != byRevision.stdout)
  }

  @Test("metrics --until: the report as it was then (a date, or a revision standing for its commit's date)")
  func metricsUntil() throws {
    let repo = try Self.repository()
    let all = try repo.keel(["metrics", "--now", "2026-06-01", "--format", "csv"])
    #expect(all.stdout.contains("specs/late.md"), "\(all.stdout)")
    let byRevision = try repo.keel(["metrics", "--until", "v2", "--now", "2026-06-01", "--format", "json"])
    #expect(byRevision.status == 0, "\(byRevision.stderr)")
    let byDate = try repo.keel(
      ["metrics", "--until", "2026-04-01T10:00:00Z", "--now", "2026-06-01", "--format", "json"])
    #expect(byRevision.stdout == byDate.stdout)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(byRevision.stdout.utf8)) as? [String: Any])
    #expect(object["now"] as? String == "2026-04-01T10:00:00Z", "ages are measured at --until")
    #expect(!byRevision.stdout.contains("specs/late.md"), "added after --until: \(byRevision.stdout)")
    #expect(byRevision.stdout.contains("specs/example.md"))
    // An earlier --now still wins.
    let now = try repo.keel(["metrics", "--until", "v2", "--now", "2026-03-15", "--format", "json"])
    #expect(now.stdout.contains("\"now\": \"2026-03-15T00:00:00Z\""), "\(now.stdout)")
    #expect(try repo.keel(["metrics", "--until", "no-such-tag"]).status == 2)
  }
}
