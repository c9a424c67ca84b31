import Foundation
import KeelCore
import Testing

@Suite("Workflows")
struct WorkflowTests {
  static func load(_ yaml: String) throws -> Workflow {
    try Workflow.load(Data(yaml.utf8), path: "workflows/w.yaml")
  }

  @Test("the shipped workflows load, with their states, transitions, requirements and SLA")
  func shippedWorkflows() throws {
    let spec = try Workflow.load(Data(try #require(EmbeddedDefaults.files["workflows/spec.yaml"]).utf8), path: "spec")
    #expect(spec.field == "status")
    #expect(spec.initial == ["draft"])
    #expect(spec.states.map(\.name) == ["draft", "review", "approved", "shipped", "archived"])
    #expect(spec.allows(from: "draft", to: "review"))
    #expect(!spec.allows(from: "draft", to: "shipped"))
    #expect(spec.state(named: "archived")?.isFinal == true)
    let approved = try #require(spec.state(named: "approved"))
    #expect(approved.requires.fields == ["approvers"])
    #expect(approved.requires.sections == ["Problem", "Solution"])
    #expect(approved.requires.checklists == ["Definition of Ready"])
    #expect(approved.requires.approvers == .accountable)
    #expect(spec.sla["review"].map { Int($0) } == 864_000)
    #expect(spec.needsAccountability)
    #expect(spec.states.filter(\.isDecided).map(\.name) == ["approved"])
    #expect(spec.raciActivity == "approve-prd")
    #expect(WorkflowInfo(spec, path: "spec").decidedStates == ["approved", "archived"])

    let decision = try Workflow.load(
      Data(try #require(EmbeddedDefaults.files["workflows/decision.yaml"]).utf8), path: "decision")
    #expect(decision.initial == ["proposed"])
    #expect(decision.transitions["proposed"] == ["accepted", "rejected"])
    #expect(decision.transitions["accepted"] == ["superseded"])
    #expect(decision.state(named: "superseded")?.isFinal == true)
    #expect(!decision.needsAccountability)
  }

  @Test(
    "an inconsistent or invalid workflow is a located configuration error",
    arguments: [
      ("field: status\ninitial: [draft]\nstates: {draft: {}}\ntransitions: {draft: [done]}\n", 4, "done"),
      ("field: status\ninitial: [new]\nstates: {draft: {}}\ntransitions: {}\n", 2, "new"),
      ("field: status\ninitial: [draft]\nstates: {draft: {}}\ntransitions: {}\nsla: {review: 3d}\n", 5, "review"),
      ("field: status\ninitial: [a]\nstates: {a: {}, b: {final: true}}\ntransitions: {b: [a]}\n", 4, "final"),
      ("field: status\ninitial: [draft]\nstates: {draft: {colour: red}}\ntransitions: {}\n", 3, "colour"),
      ("field: status\ninitial: [draft]\nstates: {draft: {}}\n", 1, "transitions"),
      ("field: status\ninitial: [draft]\nstates: {draft: {}}\ntransitions: {}\nsla: {draft: soon}\n", 5, "pattern"),
      ("field: status\ninitial: [draft]\nstates: {draft: {decided: yes}}\ntransitions: {}\n", 3, "boolean"),
      ("field: status\ninitial: [draft]\nstates: {draft: {}}\ntransitions: {}\nraci-activity: ''\n", 5, "at least 1"),
    ])
  func invalidWorkflow(_ yaml: String, line: Int, mentions: String) throws {
    #expect {
      try Self.load(yaml)
    } throws: { error in
      guard let error = error as? KeelError else { return false }
      return error.path == "workflows/w.yaml" && error.position?.line == line
        && error.description.lowercased().contains(mentions.lowercased())
    }
  }

  /// A PRD kind with the default schema-less setup: template and workflow,
  /// plus a RACI matrix where only `amara` is accountable.
  static func repository(_ spec: String, raci: Bool = true) throws -> [String: String] {
    var files: [String: String] = [
      "keel.yaml": """
      version: 1
      \(raci ? "raci: [\"raci/*.yaml\"]" : "")
      kinds:
        prd:
          include: ["specs/**/*.md"]
          template: templates/prd.md
          workflow: workflows/spec.yaml
      """,
      "templates/prd.md": try #require(EmbeddedDefaults.files["templates/prd.md"]),
      "workflows/spec.yaml": try #require(EmbeddedDefaults.files["workflows/spec.yaml"]),
      "specs/a.md": spec,
    ]
    if raci {
      files["raci/team.yaml"] = "activities:\n  - id: approve-prd\n    R: [jonas]\n    A: amara\n"
    }
    return files
  }

  static func approvedSpec(approvers: String = "[amara]", ready: String = "x") -> String {
    """
    ---
    title: Guest checkout
    status: approved
    approvers: \(approvers)
    ---
    # Guest checkout

    ## Problem

    Shoppers abandon the basket.

    ## Goals

    More orders.

    ## Solution

    Guest checkout.

    ## Success metrics

    Conversion.

    ## Definition of Ready

    - [x] Problem validated with users
    - [\(ready)] Success metrics agreed
    - [x] Engineering estimate attached

    ## Definition of Done

    - [ ] Shipped to all users
    - [ ] Metrics dashboard live
    - [ ] Documentation updated

    """
  }

  static func findings(_ files: [String: String], base: [String: String]? = nil) throws -> [Diagnostic] {
    try RuleExample("test", triggers: false, files: files, base: base).run().diagnostics
  }

  @Test("approved with everything: accountable approver, ticked Definition of Ready, content")
  func approvedMeetsRequirements() throws {
    let findings = try Self.findings(Self.repository(Self.approvedSpec()))
    #expect(findings.isEmpty, "\(findings)")
  }

  @Test("an approver who is not accountable in any RACI activity, at that name")
  func approverNotAccountable() throws {
    let findings = try Self.findings(Self.repository(Self.approvedSpec(approvers: "[amara, jonas]")))
    #expect(findings.map { "\($0.rule) \($0.line):\($0.column)" } == ["workflow/requirement-unmet 4:20"])
    #expect(findings.first?.message.contains("'jonas'") == true)
    #expect(findings.first?.jsonPointer == "/approvers/1")
  }

  @Test("without a RACI matrix the accountability requirement cannot be checked and is skipped")
  func noRACI() throws {
    let findings = try Self.findings(Self.repository(Self.approvedSpec(approvers: "[jonas]"), raci: false))
    #expect(findings.isEmpty, "\(findings)")
  }

  @Test("empty approvers: reported once, at the field")
  func emptyApprovers() throws {
    let findings = try Self.findings(Self.repository(Self.approvedSpec(approvers: "[]")))
    #expect(findings.map { "\($0.rule) \($0.line):\($0.column)" } == ["workflow/requirement-unmet 4:12"])
  }

  @Test("an unticked Definition of Ready item, at the item")
  func untickedItem() throws {
    let findings = try Self.findings(Self.repository(Self.approvedSpec(ready: " ")))
    #expect(findings.map { "\($0.rule) \($0.line)" } == ["workflow/requirement-unmet 27"])
    #expect(findings.first?.message.contains("Success metrics agreed") == true)
  }

  @Test("a required section holding only the template's placeholder is not content")
  func placeholderIsNotContent() throws {
    let spec = Self.approvedSpec().replacingOccurrences(
      of: "Guest checkout.\n", with: "Describe the proposed solution.\n")
    // One cause, one finding: the placeholder (see OneFindingPerCauseTests); the rule itself
    // still sees no content.
    let result = try RuleExample("test", triggers: false, files: try Self.repository(spec)).run()
    #expect(result.diagnostics.map(\.rule) == ["template/placeholder"])
    let document = try #require(result.documents["specs/a.md"])
    let unmet = try #require(WorkflowRequirementRule().check(document, in: result.context).first)
    #expect(unmet.line == 16 && unmet.message.contains("'Solution'"))
  }

  @Test("a state's required fields, at the field when empty and at the state when absent")
  func requiredFields() throws {
    let spec = "---\ntitle: A\nowner: mo\nstatus: review\n---\n# A\n"
    let files = try Self.repository(spec).merging(["templates/prd.md": "# {{title}}\n"]) { $1 }
    let findings = try Self.findings(files)
    #expect(findings.map { "\($0.rule) \($0.line):\($0.column)" } == ["workflow/requirement-unmet 4:9"])
    #expect(findings.first?.message.contains("'reviewers'") == true)
    let blank = try Self.findings(
      files.merging(["specs/a.md": "---\ntitle: A\nowner: mo\nstatus: review\nreviewers: ''\n---\n# A\n"]) { $1 })
    #expect(blank.map { "\($0.line):\($0.column)" } == ["5:12"])
    let filled = try Self.findings(
      files.merging(["specs/a.md": "---\ntitle: A\nowner: mo\nstatus: review\nreviewers: [li]\n---\n# A\n"]) { $1 })
    #expect(filled.isEmpty)
    // The shipped workflow asks for an owner from review on (a draft may leave it empty).
    let ownerless = try Self.findings(
      files.merging(["specs/a.md": "---\ntitle: A\nowner: ''\nstatus: review\nreviewers: [li]\n---\n# A\n"]) { $1 })
    #expect(ownerless.map { "\($0.line):\($0.column)" } == ["3:8"])
    #expect(ownerless.first?.message.contains("'owner'") == true)
  }

  // MARK: Review: transitions, renames, new and deleted documents

  static func spec(_ status: String, title: String = "Checkout") -> String {
    "---\ntitle: \(title)\nstatus: \(status)\nowner: mo\nreviewers: [li]\n---\n# \(title)\n"
  }

  static func simpleRepository(_ specs: [String: String]) throws -> [String: String] {
    var files = try Self.repository("").merging(["templates/prd.md": "# {{title}}\n"]) { $1 }
    files["specs/a.md"] = nil
    for (path, text) in specs { files[path] = text }
    return files
  }

  @Test("a rename keeps its history: the state before is the old file's")
  func renameKeepsHistory() throws {
    let base = MemorySnapshot(texts: try Self.simpleRepository(["specs/old.md": Self.spec("draft")]))
    let head = MemorySnapshot(texts: try Self.simpleRepository(["specs/new.md": Self.spec("archived")]))
    let review = ReviewBase(
      snapshot: base, changes: [ReviewChange(path: "specs/new.md", previousPath: "specs/old.md", change: .renamed)])
    let legal = try Checker(snapshot: head).run(base: review)
    #expect(legal.diagnostics.isEmpty, "\(legal.diagnostics)")
    #expect(legal.context.review?.stateBefore("specs/new.md") == "draft")

    let jump = MemorySnapshot(texts: try Self.simpleRepository(["specs/new.md": Self.spec("shipped")]))
    let illegal = try Checker(snapshot: jump).run(base: review)
    #expect(illegal.diagnostics.map(\.rule).contains("workflow/illegal-transition"))
    #expect(!illegal.diagnostics.map(\.rule).contains("workflow/initial-state"))
    let finding = try #require(illegal.diagnostics.first { $0.rule == "workflow/illegal-transition" })
    #expect(finding.message.contains("draft → shipped"))
    #expect(finding.related.first?.path == "specs/old.md")
  }

  @Test("a deleted document is not an error; its last state is known")
  func deletedDocument() throws {
    let base = try Self.simpleRepository(["specs/a.md": Self.spec("review"), "specs/b.md": Self.spec("draft")])
    let head = try Self.simpleRepository(["specs/b.md": Self.spec("draft")])
    let review = try ReviewBase.comparing(MemorySnapshot(texts: base), to: MemorySnapshot(texts: head))
    #expect(review.changes == [ReviewChange(path: "specs/a.md", change: .deleted)])
    let result = try Checker(snapshot: MemorySnapshot(texts: head)).run(base: review)
    #expect(result.diagnostics.isEmpty)
    #expect(result.context.review?.stateBefore("specs/a.md") == "review")
  }

  @Test("leaving a final state is illegal; the message says why")
  func leavingFinalState() throws {
    let findings = try Self.findings(
      Self.simpleRepository(["specs/a.md": Self.spec("draft")]),
      base: Self.simpleRepository(["specs/a.md": Self.spec("archived")]))
    #expect(findings.map { "\($0.rule) \($0.line):\($0.column)" } == ["workflow/illegal-transition 3:9"])
    #expect(findings.first?.message.contains("'archived' is a final state") == true)
  }

  @Test("a base without keel.yaml (keel introduced by the change): no states to compare, new documents start right")
  func baseWithoutKeel() throws {
    let head = try Self.simpleRepository(["specs/a.md": Self.spec("review"), "specs/b.md": Self.spec("review")])
    let base = ["specs/a.md": Self.spec("draft"), "README.md": "hi\n"]
    let review = try ReviewBase.comparing(MemorySnapshot(texts: base), to: MemorySnapshot(texts: head))
    let findings = try Checker(snapshot: MemorySnapshot(texts: head)).run(base: review).diagnostics
    #expect(findings.map { "\($0.path) \($0.rule)" } == ["specs/b.md workflow/initial-state"])
  }
}

@Suite("Front matter editing")
struct FrontMatterEditorTests {
  static func edit(_ text: String, _ field: String = "status", to value: String = "review") throws -> String {
    let data = try FrontMatterEditor.replacingValue(of: field, with: value, in: Data(text.utf8), path: "a.md")
    return String(decoding: data, as: UTF8.self)
  }

  @Test(
    "only the bytes of the value change",
    arguments: [
      ("---\nstatus: draft\n---\n", "---\nstatus: review\n---\n"),
      // Comments, odd spacing, other keys around it.
      (
        "---\n# lifecycle\ntitle:   A   # keep\nstatus:    draft    # was: draft\nowner: x\n---\nstatus: draft\n",
        "---\n# lifecycle\ntitle:   A   # keep\nstatus:    review    # was: draft\nowner: x\n---\nstatus: draft\n"
      ),
      // CRLF, and no trailing newline.
      ("---\r\ntitle: A\r\nstatus: draft\r\n---\r\n# A", "---\r\ntitle: A\r\nstatus: review\r\n---\r\n# A"),
      // Quotes are kept.
      ("---\nstatus: \"draft\"  \n---\n", "---\nstatus: \"review\"  \n---\n"),
      ("---\nstatus: 'draft'\n---\n", "---\nstatus: 'review'\n---\n"),
      // A byte-order mark and non-ASCII text before the value.
      ("\u{FEFF}---\ntitle: Café ☕\nstatus: draft\n---\n", "\u{FEFF}---\ntitle: Café ☕\nstatus: review\n---\n"),
      // Flow mapping front matter is not touched beyond the value.
      ("---\n{tïtle: Café ☕, status: draft}\n---\n", "---\n{tïtle: Café ☕, status: review}\n---\n"),
    ])
  func bytes(_ input: String, _ expected: String) throws {
    #expect(Array(try Self.edit(input).utf8) == Array(expected.utf8))
  }

  @Test("a value that would change meaning unquoted is written double-quoted")
  func quoting() throws {
    #expect(try Self.edit("---\nstatus: draft\n---\n", to: "on hold: yes") == "---\nstatus: \"on hold: yes\"\n---\n")
    #expect(try Self.edit("---\nstatus: draft\n---\n", to: "no") == "---\nstatus: \"no\"\n---\n")
    #expect(try Self.edit("---\nstatus: 'draft'\n---\n", to: "it's") == "---\nstatus: 'it''s'\n---\n")
  }

  @Test("a missing field, or a value that is not one line, is refused")
  func refusals() {
    #expect(throws: KeelError.self) { try Self.edit("---\ntitle: A\n---\n") }
    #expect(throws: KeelError.self) { try Self.edit("---\nstatus: [draft]\n---\n") }
    #expect(throws: KeelError.self) { try Self.edit("---\nstatus: |\n  draft\n---\n") }
    #expect(throws: KeelError.self) { try Self.edit("# no front matter\n") }
  }
}

@Suite("keel new: rendering")
struct NewDocumentTests {
  @Test func slugs() {
    #expect(NewDocument.slug("Guest checkout: phase 2!") == "guest-checkout-phase-2")
    #expect(NewDocument.slug("  Crème brûlée für Ärzte ") == "creme-brulee-fur-arzte")
    #expect(NewDocument.slug("C++ / Rust?") == "c-rust")
    #expect(NewDocument.slug("日本語") == "")
  }

  @Test func nextIDs() {
    #expect(
      NewDocument.nextID(templateID: "PRD-000", existing: ["PRD-007", "PRD-041", "RFC-100", "PRD-x"]) == "PRD-042")
    #expect(NewDocument.nextID(templateID: "PRD-000", existing: []) == "PRD-001")
    #expect(NewDocument.nextID(templateID: "ADR-0", existing: ["ADR-9"]) == "ADR-10")
    #expect(NewDocument.nextID(templateID: "none", existing: ["PRD-001"]) == nil)
  }

  @Test func locations() {
    #expect(NewDocument.location(forInclude: "specs/**/*.md") == ("specs", ".md"))
    #expect(NewDocument.location(forInclude: "docs/decisions/*.markdown") == ("docs/decisions", ".markdown"))
    #expect(NewDocument.location(forInclude: "*.md") == ("", ".md"))
    #expect(NewDocument.location(forInclude: "rfcs/**") == ("rfcs", ".md"))
  }

  @Test("the template filled in: YAML escaped inside the front matter, verbatim in the body, next id")
  func render() throws {
    let template = Template.parse(Data(try #require(EmbeddedDefaults.files["templates/prd.md"]).utf8), path: "t.md")
    let data = try NewDocument.render(
      template: template, values: .init(title: #"The "quick" \ fix: 50%"#, owner: "amara", date: "2026-03-02"),
      idField: "id", id: "PRD-042")
    let text = String(decoding: data, as: UTF8.self)
    let document = DocumentParser.parse(path: "specs/a.md", data: data)
    #expect(document.field("title") == #"The "quick" \ fix: 50%"#)
    #expect(document.field("owner") == "amara")
    #expect(document.field("created") == "2026-03-02")
    #expect(document.field("id") == "PRD-042")
    #expect(document.field("status") == "draft")
    #expect(text.contains("\n# The \"quick\" \\ fix: 50%\n"))
    #expect(!text.contains("{{"))
    // Everything else is the template, byte for byte.
    let templateLines = template.text.split(separator: "\n", omittingEmptySubsequences: false)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == templateLines.count)
    for (line, templateLine) in zip(lines, templateLines)
    where !templateLine.contains("{{") && !templateLine.hasPrefix("id:") {
      #expect(line == templateLine)
    }
  }

  @Test("a CRLF template: the front matter is still recognised and escaped, the line endings kept")
  func renderCRLF() throws {
    let text = try #require(EmbeddedDefaults.files["templates/prd.md"]).replacingOccurrences(of: "\n", with: "\r\n")
    let template = Template.parse(Data(text.utf8), path: "t.md")
    let data = try NewDocument.render(
      template: template, values: .init(title: #"Say "hi""#, owner: nil, date: "2026-03-02"), idField: "id",
      id: "PRD-001")
    let document = DocumentParser.parse(path: "a.md", data: data)
    #expect(document.field("title") == #"Say "hi""#)
    #expect(document.field("id") == "PRD-001")
    #expect(document.field("owner") == "")
    let rendered = String(decoding: data, as: UTF8.self)
    #expect(rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n") == false)
  }

  @Test("front-matter scalars read without a YAML parser")
  func scalarScan() {
    #expect(
      NewDocument.frontMatterScalar("id", in: Data("---\ntitle: x\nid: \"PRD-004\" # c\n---\n".utf8)) == "PRD-004")
    #expect(NewDocument.frontMatterScalar("id", in: Data("---\r\nid: PRD-9\r\n---\r\n".utf8)) == "PRD-9")
    #expect(NewDocument.frontMatterScalar("id", in: Data("---\ntitle: x\n---\nid: PRD-1\n".utf8)) == nil)
    #expect(NewDocument.frontMatterScalar("id", in: Data("# id: PRD-1\n".utf8)) == nil)
  }
}
