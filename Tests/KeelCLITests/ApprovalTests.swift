import Foundation
import Testing

/// `workflow/changed-after-approval` and `ref/suspect` on real Git histories: the approval commit
/// found by the history, the working tree, `--rev`, folder and YAML documents, review mode, and the
/// same answers with and without the history cache.
@Suite("Changes after approval")
struct ApprovalTests {
  static func spec(_ id: String, _ status: String, _ fields: String = "", solution: String = "Guest checkout.")
    -> String
  {
    "---\nid: \(id)\nstatus: \(status)\n\(fields)---\n# \(id)\n\n## Solution\n\n\(solution)\n"
  }

  /// PRD-001 approved (commit 2) depending on a decision (YAML) and a proposal (folder); PRD-002 a draft.
  static func repository() throws -> TestRepository {
    let repo = try DocumentKindsFixture(decisionWorkflow: true, proposalWorkflow: true).repository(
      states: "draft: {}, approved: {locks: true}", transitions: "draft: [approved], approved: [draft]")
    try repo.write(
      "schemas/prd.yaml",
      """
      type: object
      properties:
        decision: {type: string, x-keel-ref: decision}
        depends-on: {type: array, items: {type: string}, x-keel-ref: [prd, proposal]}
      """)
    try repo.write("schemas/decision.yaml", "type: object\n")
    try repo.write(
      "workflows/decision.yaml",
      """
      field: status
      initial: [proposed]
      states: {proposed: {}, accepted: {locks: true}}
      transitions: {proposed: [accepted]}
      """)
    try repo.write("decisions/adr-001.yaml", "id: ADR-001\nstatus: accepted\ndeciders: [alice]\n")
    try repo.write("proposals/guest/proposal.yaml", "number: '0001'\nstatus: draft\n")
    try repo.write("proposals/guest/README.md", "# Guest\n\nGuest checkout.\n")
    let fields = "decision: ADR-001\ndepends-on: [proposals/guest/]\n"
    try repo.write("specs/a.md", spec("PRD-001", "draft", fields))
    try repo.write("specs/b.md", spec("PRD-002", "draft"))
    try repo.commitAll("drafts", date: "2026-03-01T10:00:00Z")
    try repo.write("specs/a.md", spec("PRD-001", "approved", fields))
    try repo.commitAll("approve PRD-001", date: "2026-03-02T10:00:00Z")
    return repo
  }

  func findings(_ result: ProcessResult, _ rule: String) -> [String] {
    result.stdout.split(separator: "\n").filter { $0.hasSuffix("[\(rule)]") }.map(String.init)
  }

  @Test("An approved spec edited after its approval commit: a warning at the changed line, at HEAD and at --rev")
  func editedAfterApproval() throws {
    let repo = try Self.repository()
    let approval = try repo.git(["rev-parse", "--short=7", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(findings(try repo.keel(["check"]), "workflow/changed-after-approval").isEmpty)
    let fields = "decision: ADR-001\ndepends-on: [proposals/guest/]\n"
    try repo.write("specs/a.md", Self.spec("PRD-001", "approved", fields, solution: "Guest checkout, with accounts."))
    try repo.commitAll("edit the approved spec", date: "2026-03-05T10:00:00Z")
    let expected =
      "specs/a.md:11:1: warning: the body changed after \(approval) (2026-03-02) made this document approved, a "
      + "state that locks it; move it back for approval, or revert the change [workflow/changed-after-approval]"
    #expect(findings(try repo.keel(["check"]), "workflow/changed-after-approval") == [expected])
    #expect(findings(try repo.keel(["check", "--rev", "HEAD"]), "workflow/changed-after-approval") == [expected])
    #expect(findings(try repo.keel(["check", "--rev", "HEAD~1"]), "workflow/changed-after-approval").isEmpty)
    // Uncommitted: a field changed in the working tree too.
    try repo.write("specs/a.md", Self.spec("PRD-001", "approved", "decision: ADR-001\ndepends-on: []\n"))
    let working = findings(try repo.keel(["check"]), "workflow/changed-after-approval")
    #expect(working.count == 1)
    #expect(working.first?.hasPrefix("specs/a.md:5:13: warning: field 'depends-on' changed after \(approval)") == true)
    // Moved back to draft: nothing locks it.
    try repo.write("specs/a.md", Self.spec("PRD-001", "draft", fields, solution: "Reworked."))
    #expect(findings(try repo.keel(["check"]), "workflow/changed-after-approval").isEmpty)
    // Without the history there is nothing to compare with.
    try repo.write("specs/a.md", Self.spec("PRD-001", "approved", fields, solution: "Reworked."))
    #expect(findings(try repo.keel(["check", "--no-history"]), "workflow/changed-after-approval").isEmpty)
  }

  @Test("ref/suspect: the approved spec's YAML decision and folder proposal changed after its approval")
  func suspectReferences() throws {
    let repo = try Self.repository()
    let approval = try repo.git(["rev-parse", "--short=7", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    // A state change of a target is not a change of what it says.
    try repo.write("proposals/guest/proposal.yaml", "number: '0001'\nstatus: approved\n")
    try repo.commitAll("approve the proposal", date: "2026-03-03T10:00:00Z")
    #expect(findings(try repo.keel(["check"]), "ref/suspect").isEmpty)
    try repo.write("decisions/adr-001.yaml", "id: ADR-001\nstatus: accepted\ndeciders: [alice, bob]\n")
    try repo.write("proposals/guest/README.md", "# Guest\n\nGuest checkout, and accounts.\n")
    try repo.commitAll("change the decision and the proposal", date: "2026-03-04T10:00:00Z")
    let expected = [
      "specs/a.md:4:11: warning: decision names ADR-001, whose field 'deciders' changed after \(approval) "
        + "(2026-03-02) made this document approved; check that it still holds and approve it again [ref/suspect]",
      "specs/a.md:5:14: warning: depends-on names 0001, whose the body changed after \(approval) (2026-03-02) made "
        + "this document approved; check that it still holds and approve it again [ref/suspect]",
    ]
    #expect(findings(try repo.keel(["check"]), "ref/suspect") == expected)
    #expect(findings(try repo.keel(["check", "--rev", "HEAD"]), "ref/suspect") == expected)
    #expect(findings(try repo.keel(["check", "--rev", "HEAD~1"]), "ref/suspect").isEmpty)
    // The decision (accepted, a YAML document) and the proposal's body file changed after their own approvals.
    let first = try repo.git(["rev-parse", "--short=7", "HEAD~3"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let proposal = try repo.git(["rev-parse", "--short=7", "HEAD~1"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let own = try repo.keel(["check", "--rev", "HEAD"])
    #expect(
      findings(own, "workflow/changed-after-approval") == [
        "decisions/adr-001.yaml:3:11: warning: field 'deciders' changed after \(first) (2026-03-01) made this "
          + "document accepted, a state that locks it; move it back for approval, or revert the change "
          + "[workflow/changed-after-approval]",
        "proposals/guest/README.md:3:1: warning: the body changed after \(proposal) (2026-03-03) made this document "
          + "approved, a state that locks it; move it back for approval, or revert the change "
          + "[workflow/changed-after-approval]",
      ], "\(own.stdout)")
  }

  @Test("Review mode: a pull request that edits an approved spec gets the warning on the changed lines")
  func reviewMode() throws {
    let repo = try Self.repository()
    try repo.git(["checkout", "-q", "-b", "edit"])
    try repo.write(
      "specs/a.md",
      Self.spec("PRD-001", "approved", "decision: ADR-002\ndepends-on: [proposals/guest/]\n", solution: "More."))
    try repo.write("decisions/adr-002.yaml", "id: ADR-002\nstatus: proposed\n")
    try repo.commitAll("edit it")
    let result = try repo.keel(["check", "--base", "main", "--head", "edit"])
    #expect(
      findings(result, "workflow/changed-after-approval") == [
        "specs/a.md:4:11: warning: field 'decision' changed in a document that is approved (a state that locks it, "
          + "since before this change); move it back for approval, or make the change in a new document "
          + "[workflow/changed-after-approval]",
        "specs/a.md:11:1: warning: the body changed in a document that is approved (a state that locks it, since "
          + "before this change); move it back for approval, or make the change in a new document "
          + "[workflow/changed-after-approval]",
      ], "\(result.stdout)")
    // The draft edited on the same branch: nothing.
    try repo.write("specs/b.md", Self.spec("PRD-002", "draft", solution: "Changed."))
    try repo.commitAll("edit the draft")
    #expect(
      findings(try repo.keel(["check", "--base", "main", "--head", "edit"]), "workflow/changed-after-approval").count
        == 2)
  }

  @Test("Through the history cache and without it: the same findings")
  func cacheDoesNotChangeTheAnswer() throws {
    let repo = try Self.repository()
    try repo.write("decisions/adr-001.yaml", "id: ADR-001\nstatus: accepted\ndeciders: [bob]\n")
    try repo.write("specs/a.md", Self.spec("PRD-001", "approved", "decision: ADR-001\n"))
    try repo.commitAll("change both", date: "2026-03-06T10:00:00Z")
    let first = try repo.keel(["check", "--format", "json"])
    let cached = try repo.keel(["check", "--format", "json"])
    #expect(FileManager.default.fileExists(atPath: repo.url.appendingPathComponent(".git/keel").path))
    try FileManager.default.removeItem(at: repo.url.appendingPathComponent(".git/keel"))
    let uncached = try repo.keel(["check", "--format", "json"])
    #expect(first.stdout == cached.stdout)
    #expect(cached.stdout == uncached.stdout)
    #expect(cached.stdout.contains("\"rule\":\"ref/suspect\"") || cached.stdout.contains("\"rule\": \"ref/suspect\""))
    #expect(cached.stdout.contains("workflow/changed-after-approval"))
  }
}
