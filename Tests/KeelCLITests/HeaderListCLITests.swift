import Foundation
import Testing

/// `header: list` on an RFC-style repository (issue 10, item 3): `- Feature Name:` lists, a
/// `0000-template.md` template, schema findings at the right line, transition, history.
@Suite("header lists end to end")
struct HeaderListCLITests {
  static let config = """
    version: 1
    kinds:
      rfc:
        include: ["text/*.md"]
        exclude: ["text/0000-template.md"]
        header: list
        schema: schemas/rfc.schema.yaml
        template: text/0000-template.md
        workflow: workflows/rfc.yaml
    """

  static let schema = """
    type: object
    required: [feature-name, start-date, status]
    properties:
      feature-name: {type: string, pattern: "^[a-z_]+$"}
      start-date: {type: string, format: date}
      rfc-pr: {type: string}
      status: {enum: [proposed, active, postponed]}
    """

  static let workflow = """
    field: status
    initial: [proposed]
    states:
      proposed: {}
      active: {final: true}
      postponed: {}
    transitions:
      proposed: [active, postponed]
      postponed: [proposed]
    """

  static let template = """
    - Feature Name: (fill me in with a unique ident, `my_awesome_feature`)
    - Start Date: (fill me in with today's date, YYYY-MM-DD)
    - RFC PR: [rust-lang/rfcs#0000](https://github.com/rust-lang/rfcs/pull/0000)
    - Status: proposed

    # Summary

    One paragraph explanation of the feature.

    # Motivation

    Why are we doing this?

    """

  static func rfc(_ name: String, date: String = "2014-09-30", status: String = "proposed") -> String {
    """
    - Feature Name: \(name)
    - Start Date: \(date)
    - RFC PR: [rust-lang/rfcs#259](https://github.com/rust-lang/rfcs/pull/259)
    - Status: \(status)

    # Summary

    Closures as traits.

    # Motivation

    Unboxed closures.

    """
  }

  static func seed(_ repository: TestRepository) throws {
    try repository.write("keel.yaml", config)
    try repository.write("schemas/rfc.schema.yaml", schema)
    try repository.write("workflows/rfc.yaml", workflow)
    try repository.write("text/0000-template.md", template)
    try repository.write("text/0259-fn-traits.md", rfc("fn_traits"))
  }

  @Test("schema findings point at the list item's value; check, --staged and --rev agree")
  func schemaFindings() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    try repo.commitAll("start")
    let clean = try repo.keel(["check"])
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")

    try repo.write("text/0260-bad.md", Self.rfc("Bad Name", date: "2014-13-45"))
    try repo.write("text/0261-no-header.md", "# Summary\n\nNo list.\n")
    let expected = [
      "text/0260-bad.md:1:17: error: 'Bad Name' does not match pattern '^[a-z_]+$' [schema/pattern]",
      "text/0260-bad.md:2:15: error: '2014-13-45' is not a valid date [schema/format]",
      "text/0261-no-header.md:1:1: error: missing header list: a rfc document starts with a list of '- Key: value' lines [document/missing-front-matter]",
    ]
    let worktree = try repo.keel(["check"])
    #expect(worktree.status == 1)
    for finding in expected { #expect(worktree.stdout.contains(finding), "\(worktree.stdout)") }
    try repo.git(["add", "-A"])
    let staged = try repo.keel(["check", "--staged"])
    for finding in expected { #expect(staged.stdout.contains(finding), "\(staged.stdout)") }
    try repo.commitAll("bad")
    let revision = try repo.keel(["check", "--rev", "HEAD"])
    for finding in expected { #expect(revision.stdout.contains(finding), "\(revision.stdout)") }

    let folder = try TestRepository(plainFolder: ())
    try Self.seed(folder)
    try folder.write("text/0260-bad.md", Self.rfc("Bad Name", date: "2014-13-45"))
    let plain = try folder.keel(["check"])
    #expect(plain.stdout.contains(expected[0]), "\(plain.stdout)")
  }

  @Test("transition rewrites the item's value; history, changelog and new read the list")
  func transitionHistoryNew() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    try repo.commitAll("start", date: "2026-01-01T10:00:00Z")
    let moved = try repo.keel(["transition", "text/0259-fn-traits.md", "active"])
    #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
    #expect(try repo.read("text/0259-fn-traits.md") == Self.rfc("fn_traits", status: "active"))
    try repo.commitAll("accept", date: "2026-01-05T10:00:00Z")

    let history = try repo.keel(["history", "text/0259-fn-traits.md"])
    #expect(history.stdout.contains("state: proposed -> active"), "\(history.stdout)")
    #expect(history.stdout.contains("fields: status (proposed -> active)"), "\(history.stdout)")
    let changelog = try repo.keel(["changelog", "--since", "HEAD~1"])
    #expect(changelog.stdout.contains("### active: 1 document"), "\(changelog.stdout)")
    let metrics = try repo.keel(["metrics", "--now", "2026-02-01"])
    #expect(metrics.stdout.contains("proposed -> active  1      4d"), "\(metrics.stdout)")

    let created = try repo.keel(["new", "rfc", "--title", "Const generics"])
    #expect(created.status == 0, "\(created.stdout)\(created.stderr)")
    #expect(try repo.read("text/const-generics.md").hasPrefix("- Feature Name: (fill me in"))
  }
}
