import Foundation
import Testing

@Suite("keel transition end to end")
struct TransitionCommandTests {
  /// A draft PRD with comments, unusual spacing and CRLF line endings.
  static let awkwardDraft = [
    "---", "# Owned by the checkout squad", "id:    PRD-001", "title: 'Guest checkout'   # working title",
    "owner: alice", "status:     draft      # see workflows/spec.yaml", "created: \"2026-01-05\"",
    "reviewers: [li]", "---", "",
  ].joined(separator: "\r\n")

  static func setUp(_ body: String) throws -> TestRepository {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    try repo.write("specs/a.md", body)
    try repo.commitAll("start")
    return repo
  }

  static func crlfBody() -> String {
    let lf = ReviewFixtures.prd(1, status: "draft")
    let body = lf.components(separatedBy: "---\n").dropFirst(2).joined(separator: "---\n")
    return awkwardDraft + body.replacingOccurrences(of: "\n", with: "\r\n")
  }

  @Test("only the bytes of the value change: comments, spacing and CRLF stay")
  func byteExact() throws {
    let original = Self.crlfBody()
    let repo = try Self.setUp(original)
    #expect(try repo.keel(["check"]).status == 0)

    let result = try repo.keel(["transition", "specs/a.md", "review"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("specs/a.md: draft → review"))
    let after = try Data(contentsOf: repo.url.appendingPathComponent("specs/a.md"))
    let expected = original.replacingOccurrences(
      of: "status:     draft      # see", with: "status:     review      # see")
    #expect(expected != original)
    #expect(Array(after) == Array(expected.utf8))
    #expect(try repo.keel(["check", "--base", "HEAD"]).status == 0)
  }

  @Test("an illegal transition is refused with check's finding, and the file is left alone")
  func illegalTransition() throws {
    let original = Self.crlfBody()
    let repo = try Self.setUp(original)
    let result = try repo.keel(["transition", "specs/a.md", "shipped"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("specs/a.md:6:13: error: illegal transition draft → shipped"), "\(result.stdout)")
    #expect(result.stdout.contains("[workflow/illegal-transition]"))
    #expect(result.stderr.contains("refusing"))
    #expect(try Data(contentsOf: repo.url.appendingPathComponent("specs/a.md")) == Data(original.utf8))
  }

  @Test("an unmet requirement of the new state is refused, at what is missing")
  func unmetRequirement() throws {
    let repo = try Self.setUp(ReviewFixtures.prd(1, status: "review"))
    let original = try repo.read("specs/a.md")
    // Approved needs the Definition of Ready ticked: the fixture's review spec has it unticked.
    let result = try repo.keel(["transition", "specs/a.md", "approved"])
    #expect(result.status == 1)
    let lines = result.stdout.split(separator: "\n").filter { $0.contains("[workflow/requirement-unmet]") }
    #expect(lines.count == 3, "\(result.stdout)")
    #expect(lines.first?.hasPrefix("specs/a.md:31:1: error: state 'approved' requires every item") == true)
    #expect(try repo.read("specs/a.md") == original)

    try repo.write("specs/a.md", original.replacingOccurrences(of: "- [ ]", with: "- [x]"))
    let ticked = try repo.keel(["transition", "specs/a.md", "approved"])
    #expect(ticked.status == 0, "\(ticked.stdout)\(ticked.stderr)")
    #expect(try repo.read("specs/a.md").contains("\nstatus: approved\n"))
  }

  @Test("without a state, the states the document can move to are listed (exit 0, file untouched)")
  func listsNextStates() throws {
    let repo = try Self.setUp(ReviewFixtures.prd(1, status: "draft"))
    let original = try repo.read("specs/a.md")
    let draft = try repo.keel(["transition", "specs/a.md"])
    #expect(draft.status == 0, "\(draft.stderr)")
    #expect(draft.stdout == "specs/a.md is draft; it can move to: review, archived\n")
    #expect(try repo.read("specs/a.md") == original)

    try repo.write("specs/a.md", original.replacingOccurrences(of: "status: draft", with: "status: archived"))
    let final = try repo.keel(["transition", "specs/a.md"])
    #expect(final.stdout == "specs/a.md is archived, a final state; it cannot move to another state\n")

    try repo.write("specs/a.md", original.replacingOccurrences(of: "status: draft", with: "status: shiped"))
    let unknown = try repo.keel(["transition", "specs/a.md"])
    #expect(unknown.status == 0)
    #expect(
      unknown.stdout == "specs/a.md has 'shiped', which is not a state; it can move to any state of "
        + "workflows/spec.yaml: draft, review, approved, shipped, archived\n", "\(unknown.stdout)")
    #expect(try repo.keel(["transition", "specs/nope.md"]).status == 2)
  }

  @Test("usage errors exit 2: unknown state, not a document, no such file; the same state is a no-op")
  func usageErrors() throws {
    let repo = try Self.setUp(ReviewFixtures.prd(1, status: "draft"))
    let unknown = try repo.keel(["transition", "specs/a.md", "done"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("'done' is not a state"))
    try repo.write("notes.md", "# Notes\n")
    #expect(try repo.keel(["transition", "notes.md", "review"]).status == 2)
    #expect(try repo.keel(["transition", "specs/missing.md", "review"]).status == 2)
    let same = try repo.keel(["transition", "specs/a.md", "draft"])
    #expect(same.status == 0)
    #expect(same.stdout.contains("already"))
  }

  @Test("works from a subfolder, with a path relative to it")
  func fromSubfolder() throws {
    let repo = try Self.setUp(ReviewFixtures.prd(1, status: "draft"))
    let result = try keel(["transition", "a.md", "review"], in: repo.url.appendingPathComponent("specs"))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try repo.read("specs/a.md").contains("\nstatus: review\n"))
  }
}
