import Foundation
import Testing

@testable import KeelCore

/// One mistake, one finding (issue 12, item 4).
@Suite struct OneFindingPerCauseTests {
  static let config = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.yaml
        template: templates/prd.md
        workflow: workflows/spec.yaml
    """

  static let schema = """
    type: object
    required: [title, status, reviewers]
    properties:
      title: {type: string}
      status: {enum: [draft, review, approved, archived]}
      reviewers: {type: array, minItems: 1}
    """

  static let template = """
    # {{title}}

    ## Solution

    Describe the solution.

    ## Definition of Ready

    - [ ] Problem validated
    """

  static func check(_ spec: String, rules: String = "") throws -> CheckResult {
    let files = [
      "keel.yaml": config + (rules.isEmpty ? "" : "\nrules:\n" + rules),
      "schemas/prd.yaml": schema, "templates/prd.md": template,
      "workflows/spec.yaml": WorkflowRuleSupport.exampleWorkflow, "specs/a.md": spec,
    ]
    return try Checker(snapshot: MemorySnapshot(texts: files)).run()
  }

  static func spec(status: String, reviewers: String = "reviewers: [li]", solution: String = "Guest checkout.")
    -> String
  {
    "---\ntitle: Checkout\nstatus: \(status)\n\(reviewers)\n---\n# Checkout\n\n## Solution\n\n\(solution)\n\n"
      + "## Definition of Ready\n\n- [x] Problem validated\n"
  }

  static func rules(_ result: CheckResult) -> [String] { result.diagnostics.map(\.rule) }

  @Test("a misspelt status is schema/enum only; with schema/enum off it is workflow/unknown-state")
  func misspeltStatus() throws {
    #expect(Self.rules(try Self.check(Self.spec(status: "shiped"))) == ["schema/enum"])
    let off = try Self.check(Self.spec(status: "shiped"), rules: "  schema/enum: off\n")
    #expect(Self.rules(off) == ["workflow/unknown-state"])
    // Suppressing the schema finding silences the cause: no echo takes its place.
    let quiet = try Self.check(Self.spec(status: "shiped  # keel-disable-line schema/enum -- migrated"))
    #expect(quiet.diagnostics.isEmpty)
    #expect(quiet.suppressed.map(\.diagnostic.rule) == ["schema/enum"])
  }

  @Test("a field the schema rejects or requires is not also an unmet workflow requirement")
  func fieldsFailingTheSchema() throws {
    let empty = try Self.check(Self.spec(status: "review", reviewers: "reviewers: []"))
    #expect(Self.rules(empty) == ["schema/minItems"])
    let missing = try Self.check(Self.spec(status: "review", reviewers: "owner: li"))
    #expect(Self.rules(missing) == ["schema/required"])
    #expect(
      Self.rules(try Self.check(Self.spec(status: "review", reviewers: "owner: li"), rules: "  schema/*: off\n"))
        == ["workflow/requirement-unmet"])
  }

  @Test("a section holding only placeholder text is template/placeholder only; an empty one template/empty-section")
  func placeholderAndEmptySections() throws {
    let placeholder = try Self.check(Self.spec(status: "approved", solution: "Describe the solution."))
    #expect(Self.rules(placeholder) == ["template/placeholder"])
    let off = try Self.check(
      Self.spec(status: "approved", solution: "Describe the solution."), rules: "  template/placeholder: off\n")
    #expect(Self.rules(off) == ["workflow/requirement-unmet"])
    // The author's own text next to the placeholder: the section has content, the placeholder is the finding.
    let mixed = try Self.check(Self.spec(status: "approved", solution: "Describe the solution.\n\nGuest checkout."))
    #expect(Self.rules(mixed) == ["template/placeholder"])
    let empty = try Self.check(Self.spec(status: "approved", solution: ""))
    #expect(Self.rules(empty) == ["template/empty-section"])
  }

  @Test("a required section the template requires too is template/missing-section only")
  func missingSection() throws {
    let spec =
      "---\ntitle: Checkout\nstatus: approved\nreviewers: [li]\n---\n# Checkout\n\n"
      + "## Definition of Ready\n\n- [x] Problem validated\n"
    #expect(Self.rules(try Self.check(spec)) == ["template/missing-section"])
    #expect(
      Self.rules(try Self.check(spec, rules: "  template/missing-section: off\n")) == ["workflow/requirement-unmet"])
    // Both required sections missing: one template finding (both names), no requirement findings.
    let bare = "---\ntitle: Checkout\nstatus: approved\nreviewers: [li]\n---\n# Checkout\n"
    #expect(Self.rules(try Self.check(bare)) == ["template/missing-section"])
  }

  @Test("an empty file is parse/empty only", arguments: ["", "\n\n", "   \n"])
  func emptyFile(text: String) throws {
    let result = try Self.check(text)
    #expect(Self.rules(result) == ["parse/empty"])
  }
}

/// `document/duplicate-id` blames the document that came second.
@Suite struct DuplicateIDBlameTests {
  static let files = [
    "keel.yaml": RuleExample.defaultConfig, "schemas/prd.yaml": "type: object",
    "specs/a.md": "---\nid: PRD-001\n---\n", "specs/b.md": "---\nid: PRD-001\n---\n",
    "specs/c.md": "---\nid: PRD-001\n---\n",
  ]

  static func blamed(history: [String: Date]?) throws -> [String] {
    let stateHistory = history.map { history in
      var state = StateHistory(entries: [:], now: Date(timeIntervalSince1970: 2_000_000_000))
      state.firstCommitted = history
      return Pending<StateHistory?>(value: state)
    }
    return try Checker(snapshot: MemorySnapshot(texts: files)).run(stateHistory: stateHistory).diagnostics.filter {
      $0.rule == "document/duplicate-id"
    }.map {
      "\($0.path) after \($0.related.first?.path ?? "?")"
    }
  }

  @Test("by first commit when the history is read: the older document keeps its id, wherever its path sorts")
  func byFirstCommit() throws {
    let day = 86_400.0
    let history = [
      "specs/c.md": Date(timeIntervalSince1970: 1_700_000_000),
      "specs/a.md": Date(timeIntervalSince1970: 1_700_000_000 + day),
    ]
    // c.md was added first, a.md a day later; b.md is not committed yet (the newest).
    #expect(try Self.blamed(history: history) == ["specs/a.md after specs/c.md", "specs/b.md after specs/c.md"])
  }

  @Test("by path order without the history")
  func byPath() throws {
    #expect(try Self.blamed(history: nil) == ["specs/b.md after specs/a.md", "specs/c.md after specs/a.md"])
  }
}
