import Foundation
import Testing

/// Kinds whose documents are whole YAML or JSON files (issue 10, item 1): schema, id field,
/// workflow, transition, new, history, changelog, metrics and `schema validate` on them.
@Suite("YAML and JSON documents end to end")
struct DataDocumentTests {
  static let config = """
    version: 1
    kinds:
      decision:
        include: ["decisions/*.yaml", "decisions/*.json"]
        schema: schemas/decision.schema.yaml
        template: templates/decision.yaml
        workflow: workflows/decision.yaml
    """

  static let schema = """
    type: object
    required: [id, title, status]
    properties:
      id: {type: string}
      title: {type: string}
      status: {enum: [proposed, accepted, rejected]}
    """

  static let workflow = """
    field: status
    initial: [proposed]
    states:
      proposed: {}
      accepted: {final: true}
      rejected: {final: true}
    transitions:
      proposed: [accepted, rejected]
    sla:
      proposed: 14d
    """

  static let template = """
    # A decision: {{title}}
    id: DEC-000
    title: "{{title}}"
    owner: "{{owner}}"
    status: proposed
    """

  static func seed(_ repository: TestRepository) throws {
    try repository.write("keel.yaml", config)
    try repository.write("schemas/decision.schema.yaml", schema)
    try repository.write("workflows/decision.yaml", workflow)
    try repository.write("templates/decision.yaml", template)
    try repository.write("decisions/one.yaml", "# Storage\nid: DEC-001\ntitle: Storage   # short\nstatus: proposed\n")
    try repository.write(
      "decisions/two.json", "{\n  \"id\": \"DEC-002\",\n  \"title\": \"Search\",\n  \"status\": \"proposed\"\n}\n")
  }

  static let brokenYAML = "id: DEC-003\ntitle: Broken\nstatus: proposed\nstatus: acepted\n---\nid: x\n"
  static let brokenJSON =
    "{\n  \"id\": \"DEC-004\",\n  \"title\": \"A\",\n  \"title\": \"B\",\n  \"status\": \"shiped\"\n}\n"

  /// The findings of the two broken documents, as `path:line:col: … [rule]` fragments.
  static let expectedFindings = [
    "decisions/three.yaml:4:1: error: duplicate key 'status' in a mapping [parse/duplicate-key]",
    "decisions/three.yaml:5:1: error: a second YAML document starts here; only one document per file is read [parse/multiple-documents]",
    "decisions/four.json:4:3: error: duplicate key 'title' in a mapping [parse/duplicate-key]",
    "decisions/four.json:5:13: error: 'shiped' is not one of proposed, accepted, rejected [schema/enum]",
  ]

  @Test("check reads YAML and JSON files as documents: schema, workflow and parse findings located, no template rules")
  func checkSources() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    try repo.commitAll("start")
    let clean = try repo.keel(["check"])
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    #expect(clean.stdout.contains("in 2 documents"), "\(clean.stdout)")

    try repo.write("decisions/three.yaml", Self.brokenYAML)
    try repo.write("decisions/four.json", Self.brokenJSON)
    let worktree = try repo.keel(["check"])
    #expect(worktree.status == 1)
    for finding in Self.expectedFindings { #expect(worktree.stdout.contains(finding), "\(worktree.stdout)") }
    #expect(!worktree.stdout.contains("missing-front-matter"))
    #expect(!worktree.stdout.contains("template/"))

    try repo.git(["add", "-A"])
    let staged = try repo.keel(["check", "--staged"])
    #expect(staged.status == 1)
    for finding in Self.expectedFindings { #expect(staged.stdout.contains(finding), "\(staged.stdout)") }
    #expect(staged.stdout.contains("in 2 documents"), "only the staged documents: \(staged.stdout)")

    try repo.commitAll("broken")
    let revision = try repo.keel(["check", "--rev", "HEAD"])
    #expect(revision.status == 1)
    for finding in Self.expectedFindings { #expect(revision.stdout.contains(finding), "\(revision.stdout)") }

    let older = try repo.keel(["check", "--rev", "HEAD~1"])
    #expect(older.status == 0, "\(older.stdout)")

    // Review mode: a new document must start in an initial state, as for Markdown.
    try repo.write("decisions/five.yaml", "id: DEC-005\ntitle: Late\nstatus: accepted\n")
    let review = try repo.keel(["check", "--base", "HEAD"])
    #expect(review.stdout.contains("decisions/five.yaml:3:9"), "\(review.stdout)")
    #expect(review.stdout.contains("[workflow/initial-state]"), "\(review.stdout)")
  }

  @Test("a plain folder (no Git) reads the same documents with the same findings")
  func plainFolder() throws {
    let folder = try TestRepository(plainFolder: ())
    try Self.seed(folder)
    try folder.write("decisions/three.yaml", Self.brokenYAML)
    try folder.write("decisions/four.json", Self.brokenJSON)
    let result = try folder.keel(["check"])
    #expect(result.status == 1)
    for finding in Self.expectedFindings { #expect(result.stdout.contains(finding), "\(result.stdout)") }
    #expect(result.stdout.contains("in 4 documents"), "\(result.stdout)")

    let moved = try folder.keel(["transition", "decisions/one.yaml", "accepted"])
    #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
    #expect(try folder.read("decisions/one.yaml").contains("\nstatus: accepted\n"))
  }

  @Test("transition edits only the value's bytes, in YAML and in JSON, and refuses an illegal move")
  func transition() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    try repo.commitAll("start")
    let yaml = try repo.keel(["transition", "decisions/one.yaml", "accepted"])
    #expect(yaml.status == 0, "\(yaml.stdout)\(yaml.stderr)")
    #expect(
      try repo.read("decisions/one.yaml") == "# Storage\nid: DEC-001\ntitle: Storage   # short\nstatus: accepted\n")

    let json = try repo.keel(["transition", "decisions/two.json", "rejected"])
    #expect(json.status == 0, "\(json.stdout)\(json.stderr)")
    #expect(
      try repo.read("decisions/two.json")
        == "{\n  \"id\": \"DEC-002\",\n  \"title\": \"Search\",\n  \"status\": \"rejected\"\n}\n")

    let illegal = try repo.keel(["transition", "decisions/one.yaml", "rejected"])
    #expect(illegal.status == 1)
    #expect(illegal.stdout.contains("decisions/one.yaml:4:9: error: illegal transition accepted → rejected"))
    #expect(try repo.keel(["check", "--base", "HEAD"]).status == 0)
  }

  @Test("new makes a YAML document from the YAML template, with the next id and escaped values")
  func newDocument() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    let result = try repo.keel(["new", "decision", "--title", "Use \"Postgres\": yes", "--owner", "alice"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("created decisions/use-postgres-yes.yaml (id: DEC-003)"), "\(result.stdout)")
    let text = try repo.read("decisions/use-postgres-yes.yaml")
    #expect(text.contains("id: DEC-003\ntitle: \"Use \\\"Postgres\\\": yes\"\nowner: \"alice\"\nstatus: proposed"))
    #expect(try repo.keel(["check"]).status == 0)
  }

  @Test("history, changelog and metrics read states and fields of YAML and JSON documents")
  func history() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    try repo.commitAll("start", date: "2026-01-01T10:00:00Z")
    _ = try repo.keel(["transition", "decisions/one.yaml", "accepted"])
    _ = try repo.keel(["transition", "decisions/two.json", "rejected"])
    try repo.commitAll("decide", date: "2026-01-11T10:00:00Z")

    let history = try repo.keel(["history", "decisions/one.yaml"])
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stdout.contains("state: proposed -> accepted"), "\(history.stdout)")
    #expect(history.stdout.contains("fields: status (proposed -> accepted)"), "\(history.stdout)")
    #expect(history.stdout.contains("fields: id (absent -> DEC-001), title (absent -> Storage)"), "\(history.stdout)")
    let jsonHistory = try repo.keel(["history", "decisions/two.json"])
    #expect(jsonHistory.stdout.contains("state: proposed -> rejected"), "\(jsonHistory.stdout)")

    let changelog = try repo.keel(["changelog", "--since", "HEAD~1"])
    #expect(changelog.stdout.contains("### accepted: 1 document"), "\(changelog.stdout)")
    #expect(changelog.stdout.contains("**decisions/one.yaml** — Storage (proposed → accepted)"), "\(changelog.stdout)")
    #expect(changelog.stdout.contains("**decisions/two.json** — Search (proposed → rejected)"), "\(changelog.stdout)")

    let metrics = try repo.keel(["metrics", "--now", "2026-02-01"])
    #expect(metrics.status == 0, "\(metrics.stderr)")
    #expect(metrics.stdout.contains("proposed -> accepted  1      10d"), "\(metrics.stdout)")
    #expect(metrics.stdout.contains("proposed -> rejected  1      10d"), "\(metrics.stdout)")
    #expect(metrics.stdout.contains("decisions/one.yaml  accepted"), "\(metrics.stdout)")
    #expect(metrics.stdout.contains("decisions/two.json  rejected"), "\(metrics.stdout)")
  }

  @Test("a kind including files keel cannot read (.rst) is a configuration warning naming them")
  func unreadableFiles() throws {
    let folder = try TestRepository(plainFolder: ())
    try Self.seed(folder)
    try folder.write(
      "keel.yaml",
      Self.config.replacingOccurrences(of: "\"decisions/*.json\"]", with: "\"decisions/*.json\", \"decisions/*.rst\"]"))
    try folder.write("decisions/old.rst", "Old\n===\n")
    let result = try folder.keel(["check"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(
      result.stdout.contains(
        "keel.yaml:4:14: warning: kind 'decision' includes a file keel cannot read as Markdown, YAML or JSON, "
          + "not checked: decisions/old.rst"), "\(result.stdout)")
    #expect(result.stdout.contains("[config/unreadable-documents]"))
    #expect(result.stdout.contains("in 2 documents"), "\(result.stdout)")
  }

  @Test("schema validate reports duplicate keys and a second YAML document, as check does")
  func schemaValidate() throws {
    let folder = try TestRepository(plainFolder: ())
    try folder.write("s.yaml", "properties:\n  status: {enum: [a, b]}\n")
    try folder.write("dup.yaml", "status: a\nstatus: b\n")
    try folder.write("dup.json", "{\"status\": \"a\", \"status\": \"b\"}")
    try folder.write("two.yaml", "status: a\n---\nstatus: b\n")
    try folder.write("ok.yaml", "status: a\n")
    let result = try folder.keel([
      "schema", "validate", "--schema", "s.yaml", "dup.yaml", "dup.json", "two.yaml", "ok.yaml",
    ])
    #expect(result.status == 1)
    #expect(result.stdout.contains("dup.yaml:2:1: error: duplicate key 'status' in a mapping"), "\(result.stdout)")
    #expect(result.stdout.contains("dup.json:1:17: error: duplicate key 'status' in a mapping"), "\(result.stdout)")
    #expect(result.stdout.contains("two.yaml:2:1: error: a second YAML document starts here"), "\(result.stdout)")
    #expect(result.stdout.contains("4 instances: 1 valid, 3 invalid"), "\(result.stdout)")
  }
}
