import Foundation
import KeelTestSupport
import Testing

/// Issue 12, item 9: the smaller rough edges of a first day with keel.
@Suite("first-day rough edges")
struct FirstDayTests {
  @Test("--color always|never and FORCE_COLOR decide the colour of text output (stdout is not a terminal here)")
  func colour() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    let escape = "\u{1B}["
    let plain = try repo.keel(["check", "--no-history"], environment: ["NO_COLOR": ""])
    #expect(plain.status == 1)
    #expect(!plain.stdout.contains(escape))
    let always = try repo.keel(["check", "--no-history", "--color", "always"])  // NO_COLOR=1 is set
    #expect(always.stdout.contains("\(escape)1;31merror:\(escape)0m"), "\(always.stdout)")
    let forced = try repo.keel(["check", "--no-history"], environment: ["NO_COLOR": "", "FORCE_COLOR": "1"])
    #expect(forced.stdout.contains(escape))
    let never = try repo.keel(
      ["check", "--no-history", "--color", "never"], environment: ["NO_COLOR": "", "FORCE_COLOR": "1"])
    #expect(!never.stdout.contains(escape))
    let noColour = try repo.keel(["check", "--no-history"], environment: ["NO_COLOR": "1", "FORCE_COLOR": "1"])
    #expect(!noColour.stdout.contains(escape))
    // A report written to a file never has colour.
    #expect(try repo.keel(["check", "--no-history", "--color", "always", "--output", "out.txt"]).status == 1)
    #expect(!(try repo.read("out.txt")).contains(escape))
    let wrong = try repo.keel(["check", "--color", "sometimes"])
    #expect(wrong.status == 2)
    #expect(wrong.stderr.hasPrefix("keel: error: "), "\(wrong.stderr)")
  }

  /// keel.yaml without `kinds:`: people, a glossary and one RACI matrix.
  static func referenceOnly() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write(
      "keel.yaml", "version: 1\npeople: people.yaml\nglossary: glossary.yaml\nraci: [\"raci/*.yaml\"]\n")
    try repo.write("people.yaml", ExportRepositoryFixtures.people)
    try repo.write("glossary.yaml", ExportRepositoryFixtures.glossary("What a customer pays."))
    try repo.write("raci/pricing.yaml", ExportRepositoryFixtures.raci(accountable: "alice"))
    return repo
  }

  @Test("a repository of RACI, people and glossary files only (no kinds) is a keel repository: check, hook, export")
  func noKinds() throws {
    let repo = try Self.referenceOnly()
    let check = try repo.keel(["check"])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(check.stdout == "0 errors, 0 warnings in 0 documents and 3 RACI, people and glossary files\n")
    let json = try repo.keel(["check", "--format", "json"])
    #expect(json.stdout.contains(#""files": 3"#), "\(json.stdout)")
    #expect(try repo.keel(["export", "raci", "--format", "csv"]).status == 0)
    #expect(try repo.keel(["export", "glossary", "--format", "csv"]).status == 0)

    // The pre-commit hook counts what it checked; a broken RACI matrix stops the commit.
    try repo.commitAll("start")
    #expect(try repo.keel(["hooks", "install"]).status == 0)
    try repo.write("raci/pricing.yaml", ExportRepositoryFixtures.raci(accountable: "alice", consulted: "bob"))
    try repo.git(["add", "-A"])
    let good = try runProcess("/usr/bin/git", ["commit", "-m", "consult bob"], in: repo.url)
    #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
    #expect(
      (good.stdout + good.stderr).contains("0 errors, 0 warnings in 0 documents and 3 RACI, people and glossary files"),
      "\(good.stdout)\(good.stderr)")
    try repo.write("raci/pricing.yaml", ExportRepositoryFixtures.raci(accountable: "nobody"))
    try repo.git(["add", "-A"])
    let bad = try runProcess("/usr/bin/git", ["commit", "-m", "unknown A"], in: repo.url)
    #expect(bad.status != 0)
    #expect((bad.stdout + bad.stderr).contains("[raci/unknown-person]"), "\(bad.stdout)\(bad.stderr)")
  }

  @Test("an export of the working tree says 'uncommitted changes' only when keel's folder has some")
  func provenance() throws {
    let repo = try Self.referenceOnly()
    try repo.commitAll("start")
    let clean = try repo.keel(["export", "raci", "--format", "markdown"])
    #expect(clean.stdout.contains("Taken from working tree, read "), "\(clean.stdout)")
    #expect(!clean.stdout.contains("uncommitted"))
    let cleanHTML = try repo.keel(["export", "glossary", "--format", "html"])
    #expect(!cleanHTML.stdout.contains("uncommitted"))

    try repo.write("raci/pricing.yaml", ExportRepositoryFixtures.raci(accountable: "bob"))
    let changed = try repo.keel(["export", "raci", "--format", "markdown"])
    #expect(changed.stdout.contains("Taken from working tree (uncommitted changes), read "), "\(changed.stdout)")
    let changedHTML = try repo.keel(["export", "glossary", "--format", "html"])
    #expect(changedHTML.stdout.contains("<strong>working tree</strong> (uncommitted changes), "))
    try repo.commitAll("bob")
    // An untracked file is a change too.
    try repo.write("raci/new.yaml", ExportRepositoryFixtures.raci(accountable: "chen"))
    #expect(try repo.keel(["export", "raci", "--format", "markdown"]).stdout.contains("(uncommitted changes)"))
  }
}
