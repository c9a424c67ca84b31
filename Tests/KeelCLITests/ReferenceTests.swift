import Foundation
import Testing

/// References (`x-keel-ref`) read from Git: at `--rev`, and in review mode, where the documents
/// outside the change are read from the trees (the rule examples cover the rest in memory).
@Suite("References from Git")
struct ReferenceTests {
  static let config = """
    version: 1
    people: people.yaml
    kinds:
      prd:
        include: ["specs/*.md"]
        schema: schemas/prd.yaml
        workflow: workflows/spec.yaml
      decision:
        include: ["decisions/*.yaml"]
        schema: schemas/decision.yaml
      proposal:
        include: ["proposals/*/"]
        metadata: proposal.yaml
        body: README.md
        id-field: number
    """

  static func repository() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("keel.yaml", config)
    try repo.write("people.yaml", "people:\n  - {id: alice, name: Alice}\n")
    try repo.write(
      "schemas/prd.yaml",
      """
      type: object
      properties:
        owner: {type: string, x-keel-ref: person}
        decision: {type: string, x-keel-ref: decision}
        depends-on: {type: array, items: {type: string}, x-keel-ref: [prd, proposal], x-keel-ref-acyclic: true}
      """)
    try repo.write("schemas/decision.yaml", "type: object\n")
    try repo.write(
      "workflows/spec.yaml",
      """
      field: status
      initial: [draft]
      states: {draft: {}, archived: {final: true}}
      transitions: {draft: [archived]}
      """)
    try repo.write("decisions/adr-001.yaml", "id: ADR-001\n")
    try repo.write("proposals/guest/proposal.yaml", "number: '0001'\n")
    try repo.write("proposals/guest/README.md", "# Guest\n")
    try repo.write(
      "specs/a.md",
      "---\nid: PRD-001\nstatus: draft\nowner: alice\ndecision: ADR-001\ndepends-on: [PRD-002, proposals/guest/]\n---\n"
    )
    try repo.write("specs/b.md", "---\nid: PRD-002\nstatus: draft\n---\n")
    try repo.commitAll("references that hold")
    return repo
  }

  @Test("--rev resolves references against that revision's documents, by id, path and folder")
  func atRevision() throws {
    let repo = try Self.repository()
    try repo.git(["rm", "-q", "specs/b.md", "proposals/guest/proposal.yaml", "proposals/guest/README.md"])
    try repo.write("decisions/adr-001.yaml", "id: ADR-009\n")
    try repo.commitAll("the targets go")
    let before = try repo.keel(["check", "--rev", "HEAD~1"])
    #expect(before.status == 0, "\(before.stdout)\(before.stderr)")
    let after = try repo.keel(["check", "--rev", "HEAD"])
    #expect(after.status == 1)
    for line in [
      "specs/a.md:5:11: error: 'ADR-001' in decision is not a decision document (its id or path)",
      "specs/a.md:6:14: error: 'PRD-002' in depends-on is not",
      "specs/a.md:6:23: error: 'proposals/guest/' in depends-on is not",
    ] {
      #expect(after.stdout.contains(line), "\(after.stdout)")
    }
  }

  @Test("review mode: archiving a document warns at the unchanged documents that depend on it")
  func reviewMode() throws {
    let repo = try Self.repository()
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("specs/b.md", "---\nid: PRD-002\nstatus: archived\n---\n")
    try repo.commitAll("archive b")
    let result = try repo.keel(["check", "--base", "main", "--head", "feature"])
    #expect(
      result.stdout.contains(
        "specs/a.md:6:14: warning: depends-on names PRD-002 (specs/b.md), which is archived, a final state"),
      "\(result.stdout)")
  }

  @Test("review mode: deleting a document reports ref/unknown at the unchanged documents that name its id")
  func reviewModeDeletion() throws {
    let repo = try Self.repository()
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.git(["rm", "-q", "specs/b.md", "decisions/adr-001.yaml"])
    try repo.commitAll("delete b and the decision")
    let result = try repo.keel(["check", "--base", "main", "--head", "feature"])
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    for line in [
      "specs/a.md:5:11: error: 'ADR-001' in decision is not a decision document (its id or path)",
      "specs/a.md:6:14: error: 'PRD-002' in depends-on is not",
    ] {
      #expect(result.stdout.contains(line), "\(result.stdout)")
    }
  }

  @Test("review mode: a rename that changes the id reports ref/unknown at the documents that name the old id")
  func reviewModeRenameChangingID() throws {
    let repo = try Self.repository()
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.git(["mv", "specs/b.md", "specs/c.md"])
    try repo.write("specs/c.md", "---\nid: PRD-003\nstatus: draft\n---\n")
    try repo.commitAll("b becomes c")
    let result = try repo.keel(["check", "--base", "main", "--head", "feature"])
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("specs/a.md:6:14: error: 'PRD-002' in depends-on is not"), "\(result.stdout)")
  }

  @Test("review mode: deleting a document leaves the other references of the documents naming it resolved")
  func reviewModeDeletionKeepsOtherReferences() throws {
    let repo = try Self.repository()
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.git(["rm", "-q", "decisions/adr-001.yaml"])
    try repo.commitAll("delete the decision")
    let result = try repo.keel(["check", "--base", "main", "--head", "feature"])
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(
      result.stdout.contains("specs/a.md:5:11: error: 'ADR-001' in decision is not a decision document"),
      "\(result.stdout)")
    // PRD-002 and the proposal's folder still exist: specs/a.md's other references hold.
    #expect(!result.stdout.contains("depends-on"), "\(result.stdout)")
  }

  @Test("review mode: a KPI removed from kpis.yaml alone is kpi/unknown at the unchanged specs that name it")
  func reviewModeKPIRemoved() throws {
    let repo = try ScoredRepository.make()
    try repo.git(["checkout", "-q", "-b", "feature"])
    let kpis = try #require(ScoredRepository.files["kpis.yaml"])
    try repo.write(
      "kpis.yaml", kpis.split(separator: "\n").filter { !$0.contains("id: churn") }.joined(separator: "\n"))
    try repo.commitAll("churn is no KPI any more")
    let result = try repo.keel(["check", "--base", "main", "--head", "feature"])
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(
      result.stdout.contains("specs/c.md:11:6: error: 'churn' in kpi is not a KPI of kpis.yaml"), "\(result.stdout)")
    #expect(result.stdout.hasSuffix("1 error, 0 warnings in 0 documents and 2 RACI, people and glossary files\n"))
  }
}
