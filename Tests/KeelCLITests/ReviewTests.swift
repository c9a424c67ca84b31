import Foundation
import KeelCLI
import KeelTestSupport
import Testing

/// A repository set up like `keel init` makes it: a PRD kind with the default
/// schema, template and workflow (copied from this checkout).
enum ReviewFixtures {
  static let keelYAML = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.schema.yaml
        template: templates/prd.md
        workflow: workflows/spec.yaml
    """

  static func seed(_ repository: TestRepository) throws {
    try repository.write("keel.yaml", keelYAML)
    for path in ["schemas/prd.schema.yaml", "templates/prd.md", "workflows/spec.yaml"] {
      try repository.write(path, try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8))
    }
  }

  /// A PRD valid against the default schema and template that meets the
  /// requirements of `status` (the `status:` line is line 5, its value at column 9).
  static func prd(_ number: Int, status: String, revision: Int = 0, notes: String = "") -> String {
    let ready = ["approved", "shipped"].contains(status) ? "x" : " "
    let done = status == "shipped" ? "x" : " "
    return """
      ---
      id: PRD-\(String(format: "%03d", number))
      title: Spec number \(number)
      owner: alice
      status: \(status)
      created: "2026-01-05"
      reviewers: [li]
      approvers: [amara]
      ---

      # Spec number \(number)

      ## Problem

      Shoppers leave at step \(number) (revision \(revision)).\(notes)

      ## Goals

      Fewer shoppers leave.

      ## Solution

      A shorter step \(number).

      ## Success metrics

      Abandonment at step \(number).

      ## Definition of Ready

      - [\(ready)] Problem validated with users
      - [\(ready)] Success metrics agreed
      - [\(ready)] Engineering estimate attached

      ## Definition of Done

      - [\(done)] Shipped to all users
      - [\(done)] Metrics dashboard live
      - [\(done)] Documentation updated

      """
  }

  struct Finding: Equatable, CustomStringConvertible {
    var rule: String
    var path: String
    var line: Int
    var column: Int
    var description: String { "\(path):\(line):\(column) \(rule)" }
  }

  /// Runs `keel check` with `--format json` and returns the exit status, the
  /// number of documents checked and the findings.
  static func check(_ repository: TestRepository, _ arguments: [String]) throws -> (Int32, Int, [Finding]) {
    let result = try repository.keel(["check", "--format", "json"] + arguments)
    guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
      let summary = object["summary"] as? [String: Int], let diagnostics = object["diagnostics"] as? [[String: Any]]
    else { throw TestFailure("not a JSON report: \(result.stdout) \(result.stderr)") }
    let findings = diagnostics.map {
      Finding(
        rule: $0["rule"] as? String ?? "", path: $0["path"] as? String ?? "", line: $0["line"] as? Int ?? 0,
        column: $0["column"] as? Int ?? 0)
    }
    return (result.status, summary["documents"] ?? -1, findings)
  }
}

@Suite("Review mode end to end")
struct ReviewTests {
  @Test("--base main --head feature: draft → shipped is reported at the status value, draft → review accepted")
  func transitionsOnABranch() throws {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    for number in 1...3 { try repo.write("specs/prd-\(number).md", ReviewFixtures.prd(number, status: "draft")) }
    try repo.commitAll("three drafts")
    #expect(try repo.keel(["check"]).status == 0)

    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("specs/prd-1.md", ReviewFixtures.prd(1, status: "shipped"))
    try repo.write("specs/prd-2.md", ReviewFixtures.prd(2, status: "review"))
    try repo.commitAll("move two specs")
    try repo.git(["checkout", "-q", "main"])

    let (status, documents, findings) = try ReviewFixtures.check(repo, ["--base", "main", "--head", "feature"])
    #expect(status == 1)
    #expect(documents == 2)
    #expect(findings == [.init(rule: "workflow/illegal-transition", path: "specs/prd-1.md", line: 5, column: 9)])
    let text = try repo.keel(["check", "--base", "main", "--head", "feature"])
    #expect(text.stdout.contains("specs/prd-1.md:5:9: error: illegal transition draft → shipped"), "\(text.stdout)")

    // The same jump as a plain check of the branch is not visible: there is no history to compare with.
    #expect(try ReviewFixtures.check(repo, ["--rev", "feature"]).0 == 0)
  }

  @Test("changing templates/prd.md on the branch re-checks every PRD")
  func templateChangeRechecksEveryDocument() throws {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    for number in 1...4 { try repo.write("specs/team/prd-\(number).md", ReviewFixtures.prd(number, status: "draft")) }
    try repo.commitAll("four drafts")

    try repo.git(["checkout", "-q", "-b", "one-spec"])
    try repo.write("specs/team/prd-2.md", ReviewFixtures.prd(2, status: "draft", revision: 1))
    try repo.commitAll("edit one spec")
    let (clean, checked, none) = try ReviewFixtures.check(repo, ["--base", "main", "--head", "one-spec"])
    #expect(clean == 0 && checked == 1 && none.isEmpty, "\(none)")

    try repo.git(["checkout", "-q", "-b", "new-template", "main"])
    let template = try repo.read("templates/prd.md")
    try repo.write(
      "templates/prd.md",
      template.replacingOccurrences(
        of: "## Risks", with: "## Rollout plan\n\nDescribe how the change reaches users.\n\n## Risks"))
    try repo.commitAll("require a rollout plan")
    let (status, documents, findings) = try ReviewFixtures.check(repo, ["--base", "main", "--head", "new-template"])
    #expect(status == 1)
    #expect(documents == 4)
    #expect(findings.map(\.rule) == Array(repeating: "template/missing-section", count: 4))
    #expect(Set(findings.map(\.path)) == Set((1...4).map { "specs/team/prd-\($0).md" }))
    // Where it belongs: before the next section of the template present, Definition of Ready.
    #expect(findings.allSatisfy { $0.line == 29 && $0.column == 1 }, "\(findings)")
  }

  @Test("the base is where the branch left main: what landed on main since is not part of the change")
  func mergeBase() throws {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    try repo.write("specs/a.md", ReviewFixtures.prd(1, status: "shipped"))
    try repo.write("specs/b.md", ReviewFixtures.prd(2, status: "draft"))
    try repo.commitAll("start")
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("specs/b.md", ReviewFixtures.prd(2, status: "review"))
    try repo.commitAll("b to review")
    try repo.git(["checkout", "-q", "main"])
    try repo.write("specs/a.md", ReviewFixtures.prd(1, status: "archived"))
    try repo.commitAll("a archived on main")

    // Diffing main against feature directly would read a as archived → shipped.
    let (status, documents, findings) = try ReviewFixtures.check(repo, ["--base", "main", "--head", "feature"])
    #expect(status == 0, "\(findings)")
    #expect(documents == 1)
  }

  @Test("head defaults to the working tree; a new document must start in an initial state")
  func workingTreeHeadAndNewDocuments() throws {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    try repo.write("specs/a.md", ReviewFixtures.prd(1, status: "draft"))
    try repo.commitAll("start")
    try repo.write("specs/new-draft.md", ReviewFixtures.prd(2, status: "draft"))
    try repo.write("specs/new-approved.md", ReviewFixtures.prd(3, status: "approved"))
    let (status, documents, findings) = try ReviewFixtures.check(repo, ["--base", "main"])
    #expect(status == 1)
    #expect(documents == 2)
    #expect(findings == [.init(rule: "workflow/initial-state", path: "specs/new-approved.md", line: 5, column: 9)])
  }

  @Test("--staged compares with HEAD: the pre-commit hook stops an illegal status change")
  func stagedTransition() throws {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    try repo.write("specs/a.md", ReviewFixtures.prd(1, status: "draft"))
    try repo.commitAll("start")
    try repo.write("specs/a.md", ReviewFixtures.prd(1, status: "shipped"))
    try repo.git(["add", "-A"])
    let (status, _, findings) = try ReviewFixtures.check(repo, ["--staged"])
    #expect(status == 1)
    #expect(findings == [.init(rule: "workflow/illegal-transition", path: "specs/a.md", line: 5, column: 9)])
    try repo.write("specs/a.md", ReviewFixtures.prd(1, status: "review"))
    try repo.git(["add", "-A"])
    #expect(try ReviewFixtures.check(repo, ["--staged"]).0 == 0)
  }

  @Test("a rename keeps its history, a deletion is not an error, in the markdown summary (snapshot)")
  func markdownSummary() throws {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    try repo.write("specs/checkout.md", ReviewFixtures.prd(1, status: "draft"))
    try repo.write("specs/search.md", ReviewFixtures.prd(2, status: "draft"))
    try repo.write("specs/old-name.md", ReviewFixtures.prd(3, status: "review"))
    // Unlike the others, so that Git does not pair its deletion with the new spec as a rename.
    let history = (1...40).map { "\nIn week \($0) the retired idea was discussed again." }.joined()
    try repo.write("specs/retired.md", ReviewFixtures.prd(4, status: "draft", notes: history))
    try repo.commitAll("start")
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("specs/checkout.md", ReviewFixtures.prd(1, status: "shipped"))
    try repo.write("specs/search.md", ReviewFixtures.prd(2, status: "review"))
    try repo.git(["mv", "specs/old-name.md", "specs/new-name.md"])
    try repo.write("specs/new-name.md", ReviewFixtures.prd(3, status: "approved"))
    try repo.git(["rm", "-q", "specs/retired.md"])
    try repo.write("specs/fresh.md", ReviewFixtures.prd(5, status: "approved"))
    try repo.commitAll("review")

    let result = try repo.keel(["check", "--base", "main", "--head", "feature", "--format", "markdown"])
    #expect(result.status == 1, "\(result.stderr)")
    let expected = """
      ## ❌ Keel: 2 errors, 0 warnings in 4 documents

      Checked `main..feature` with keel \(Keel.version).

      | Document | Kind | Change | Status | Findings |
      | --- | --- | --- | --- | --- |
      | `specs/checkout.md` | prd | modified | draft → shipped | ❌ 1 error |
      | `specs/fresh.md` | prd | added | approved | ❌ 1 error |
      | `specs/new-name.md` | prd | renamed from `specs/old-name.md` | review → approved | — |
      | `specs/retired.md` | prd | deleted | draft | — |
      | `specs/search.md` | prd | modified | draft → review | — |

      <details><summary><code>specs/checkout.md</code>: 1 error</summary>

      | Line | Severity | Rule | Message |
      | --- | --- | --- | --- |
      | 5 | ❌ error | `workflow/illegal-transition` | illegal transition draft → shipped: from 'draft', \
      workflows/spec.yaml allows review, archived |

      </details>

      <details><summary><code>specs/fresh.md</code>: 1 error</summary>

      | Line | Severity | Rule | Message |
      | --- | --- | --- | --- |
      | 5 | ❌ error | `workflow/initial-state` | a new document starts in draft (workflows/spec.yaml), not 'approved' |

      </details>

      """
    #expect(result.stdout == expected, "\(result.stdout)")
  }

  @Test("changing a workflow cannot legalise its own jump: the base version's transitions decide")
  func baseWorkflowDecides() throws {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    try repo.write("specs/a.md", ReviewFixtures.prd(1, status: "draft"))
    try repo.commitAll("start")
    try repo.git(["checkout", "-q", "-b", "feature"])
    let workflow = try repo.read("workflows/spec.yaml")
    try repo.write(
      "workflows/spec.yaml",
      workflow.replacingOccurrences(of: "draft: [review, archived]", with: "draft: [review, shipped, archived]"))
    try repo.write("specs/a.md", ReviewFixtures.prd(1, status: "shipped"))
    try repo.commitAll("allow the jump and take it")
    let (status, _, findings) = try ReviewFixtures.check(repo, ["--base", "main", "--head", "feature"])
    #expect(status == 1)
    #expect(findings.map(\.rule) == ["workflow/illegal-transition"])
    // Once merged, the next change may use the new transition.
    #expect(try ReviewFixtures.check(repo, ["--rev", "feature"]).0 == 0)
  }
}
