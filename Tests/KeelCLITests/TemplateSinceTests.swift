import Foundation
import Testing

/// `template-since:` (issue 10, item 6): documents first committed before the date are checked
/// against the schema and workflow but not the template, in every mode.
@Suite("template-since end to end")
struct TemplateSinceTests {
  static let config = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.yaml
        template: templates/prd.md
        template-since: 2021-01-01
      kep:
        include: ["keps/*/*/"]
        metadata: kep.yaml
        body: README.md
        template: templates/prd.md
        template-since: 2021-01-01
    """

  static let template = """
    # {{title}}

    ## Problem

    Describe the problem.

    ## Solution

    Describe the solution.

    """

  /// A document with only a title: every section of the template is missing.
  static func spec(status: String = "draft") -> String { "---\nstatus: \(status)\n---\n# Checkout\n" }

  static let missing = "error: missing sections '## Problem', '## Solution'"

  @Test("old documents (renamed, folders) skip the template; new ones and --no-history do not")
  func templateSince() throws {
    let repo = try TestRepository()
    try repo.write("keel.yaml", Self.config)
    try repo.write("schemas/prd.yaml", "type: object\nproperties:\n  status: {enum: [draft, done]}\n")
    try repo.write("templates/prd.md", Self.template)
    try repo.write("specs/old.md", Self.spec())
    // A folder whose body came first: the folder's first commit is the body file's.
    try repo.write("keps/sig-x/1-old/README.md", "# Old\n")
    try repo.commitAll("old", date: "2020-05-01T10:00:00Z")
    try repo.git(["mv", "specs/old.md", "specs/moved.md"])
    try repo.write("keps/sig-x/1-old/kep.yaml", "title: Old\n")
    try repo.commitAll("rename, metadata", date: "2022-02-01T10:00:00Z")
    try repo.write("specs/new.md", Self.spec())
    try repo.write("keps/sig-x/2-new/README.md", "# New\n")
    try repo.write("keps/sig-x/2-new/kep.yaml", "title: New\n")
    try repo.commitAll("new", date: "2021-06-01T10:00:00Z")

    let check = try repo.keel(["check"])
    #expect(check.stdout.contains("specs/new.md:4:1: \(Self.missing)"), "\(check.stdout)")
    #expect(check.stdout.contains("keps/sig-x/2-new/README.md:1:1: \(Self.missing)"), "\(check.stdout)")
    #expect(!check.stdout.contains("specs/moved.md"), "\(check.stdout)")
    #expect(!check.stdout.contains("1-old"), "\(check.stdout)")
    #expect(check.stdout.contains("in 4 documents"), "\(check.stdout)")

    // Without the history the dates are unknown: the template binds every document.
    let noHistory = try repo.keel(["check", "--no-history"])
    #expect(noHistory.stdout.contains("specs/moved.md:4:1: \(Self.missing)"), "\(noHistory.stdout)")

    // A changed old document: its schema is checked, its template is not, staged or in review.
    try repo.write("specs/moved.md", Self.spec(status: "shiped") + "\nMore.\n")
    try repo.write("keps/sig-x/1-old/README.md", "# Old\n\nMore.\n")
    try repo.write("specs/brand-new.md", Self.spec())
    try repo.git(["add", "-A"])
    for arguments in [["check", "--staged"], ["check", "--base", "HEAD"]] {
      let result = try repo.keel(arguments)
      #expect(result.status == 1)
      #expect(result.stdout.contains("specs/moved.md:2:9: error: 'shiped' is not one of"), "\(result.stdout)")
      #expect(!result.stdout.contains("specs/moved.md:4:1"), "\(arguments): \(result.stdout)")
      #expect(!result.stdout.contains("1-old/README.md"), "\(arguments): \(result.stdout)")
      #expect(result.stdout.contains("specs/brand-new.md:4:1: \(Self.missing)"), "\(arguments): \(result.stdout)")
    }
  }

  /// The shape of issue 10's repository: proposals kept as single files, all moved into folders in
  /// one commit after the kind's `template-since:`. A staged change in an old folder follows that
  /// move back to the file's first commit, with and without the history caches, and whether the
  /// renames come from the rename cache or from comparing the files.
  @Test("--staged in a folder moved from a single file: the first commit follows the move, cached or not")
  func stagedAfterAMigration() throws {
    let repo = try TestRepository()
    try repo.write("keel.yaml", Self.config)
    try repo.write("schemas/prd.yaml", "type: object\n")
    try repo.write("templates/prd.md", Self.template)
    func body(_ number: Int) -> String {
      "# Proposal \(number)\n\n"
        + (0..<8).map { "Shared line \($0) that every proposal of this group repeats.\n" }.joined()
        + (0..<8).map { "Line \($0) that only proposal \(number) has, about its own subject.\n" }.joined()
    }
    for number in 1...12 {
      try repo.write("keps/sig-x/\(number)-p.md", "---\ntitle: P\(number)\nstatus: draft\n---\n" + body(number))
    }
    try repo.commitAll("proposals", date: "2020-05-01T10:00:00Z")
    try repo.git(["rm", "-q", "keps/sig-x/*.md"])
    for number in 1...12 {
      try repo.write("keps/sig-x/\(number)-p/kep.yaml", "title: P\(number)\nstatus: draft\n")
      try repo.write("keps/sig-x/\(number)-p/README.md", body(number) + "Moved into a folder.\n")
    }
    try repo.commitAll("one folder per proposal", date: "2022-01-01T10:00:00Z")
    try repo.write("keps/sig-x/13-new/kep.yaml", "title: New\nstatus: draft\n")
    try repo.write("keps/sig-x/13-new/README.md", body(13))
    try repo.commitAll("a new proposal", date: "2022-02-01T10:00:00Z")
    try repo.write("keps/sig-x/3-p/README.md", body(3) + "Moved into a folder.\n\nOne more sentence.\n")
    try repo.write("keps/sig-x/13-new/README.md", body(13) + "\nOne more sentence.\n")
    try repo.git(["add", "-A"])

    let cache = repo.url.appendingPathComponent(".git/keel")
    let cold = try repo.keel(["check", "--staged"])
    #expect(cold.status == 1, "\(cold.stdout)\(cold.stderr)")
    #expect(cold.stdout.contains("keps/sig-x/13-new/README.md:20:1: \(Self.missing)"), "\(cold.stdout)")
    #expect(!cold.stdout.contains("3-p"), "\(cold.stdout)")
    #expect(cold.stdout.contains("in 2 documents"), "\(cold.stdout)")
    #expect(FileManager.default.fileExists(atPath: cache.appendingPathComponent("history-renames.bin").path))
    // Without the history the first commits are unknown: the old folder is held to the template.
    let noHistory = try repo.keel(["check", "--staged", "--no-history"])
    #expect(noHistory.stdout.contains("keps/sig-x/3-p/README.md:21:1: \(Self.missing)"), "\(noHistory.stdout)")
    // The renames remembered, then every cache filled by a whole check, then none at all.
    let warm = try repo.keel(["check", "--staged"])
    _ = try repo.keel(["check"])
    let full = try repo.keel(["check", "--staged"])
    try FileManager.default.removeItem(at: cache)
    let uncached = try repo.keel(["check", "--staged"])
    for run in [warm, full, uncached] {
      #expect(run.status == cold.status)
      #expect(run.stdout == cold.stdout)
    }
  }

  @Test("transition judges an old document as check --base does: its workflow, not the template")
  func transition() throws {
    let repo = try TestRepository()
    let config =
      Self.config.replacingOccurrences(
        of: "template: templates/prd.md\n    template-since",
        with: "template: templates/prd.md\n    workflow: workflows/prd.yaml\n    template-since")
      + "\nrules:\n  template/missing-section: {severity: error, from: done}\n"
    try repo.write("keel.yaml", config)
    try repo.write("schemas/prd.yaml", "type: object\n")
    try repo.write("templates/prd.md", Self.template)
    try repo.write(
      "workflows/prd.yaml",
      "field: status\ninitial: [draft]\nstates:\n  draft: {}\n  done: {final: true}\ntransitions:\n  draft: [done]\n")
    try repo.write("specs/old.md", Self.spec())
    try repo.commitAll("old", date: "2020-05-01T10:00:00Z")
    try repo.write("specs/new.md", Self.spec())
    try repo.commitAll("new", date: "2021-06-01T10:00:00Z")

    let old = try repo.keel(["transition", "specs/old.md", "done"])
    #expect(old.status == 0, "\(old.stdout)\(old.stderr)")
    #expect(try repo.read("specs/old.md").contains("status: done"))
    let new = try repo.keel(["transition", "specs/new.md", "done"])
    #expect(new.status == 1, "\(new.stdout)\(new.stderr)")
    #expect(new.stdout.contains("specs/new.md:4:1: \(Self.missing)"), "\(new.stdout)")
    #expect(try repo.read("specs/new.md").contains("status: draft"))
  }

  @Test("a template-since that is not a date is a located configuration error")
  func badDate() throws {
    let repo = try TestRepository(plainFolder: ())
    try repo.write("keel.yaml", Self.config.replacingOccurrences(of: "2021-01-01\n", with: "2021-13-01\n"))
    try repo.write("templates/prd.md", Self.template)
    try repo.write("schemas/prd.yaml", "type: object\n")
    let result = try repo.keel(["check"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("keel.yaml:7:21"), "\(result.stderr)")
    #expect(result.stderr.contains("template-since"), "\(result.stderr)")
  }
}
