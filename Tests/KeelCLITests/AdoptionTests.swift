import Foundation
import JSONSchema
import KeelTestSupport
import Testing

/// Adopting Keel on a repository that already has documents: suppressions, a
/// baseline, severity policy (`--fail-on`, `from:`), end to end with the binary.
@Suite("Adopting keel on an existing repository")
struct AdoptionTests {
  /// One old shipped PRD, written for `keel init`'s PRD schema, template and workflow (its people
  /// are the scaffold's people.yaml's), with up to six mistakes, each giving exactly one finding.
  static func oldDocument(_ index: Int, mistakes: Set<Int>) -> String {
    let number = String(index + 1).count < 4 ? String(repeating: "0", count: 4 - String(index + 1).count) : ""
    let day = (index % 28 + 1) < 10 ? "0\(index % 28 + 1)" : "\(index % 28 + 1)"
    var front = [mistakes.contains(2) ? "id: PRD-X\(index)" : "id: PRD-\(number)\(index + 1)"]  // schema/pattern
    front.append("title: Spec \(index)")
    if !mistakes.contains(0) { front.append("owner: \(index % 2 == 0 ? "alex" : "sam")") }  // schema/required
    front.append("status: shipped")
    front.append("created: 2024-\(mistakes.contains(1) ? "13" : "03")-\(day)")  // schema/format
    front.append("reviewers: [\(index % 2 == 0 ? "sam" : "product")]")
    var body = "# Spec \(index)\n\n## Problem\n\n"
    body +=
      mistakes.contains(3)  // template/placeholder (an error from review on)
      ? "Describe the user problem and the evidence for it.\n" : "Customers of segment \(index) cannot pay.\n"
    body += "\n## Goals\n\nGoal number \(index).\n\n## Solution\n\nA one-step flow, number \(index).\n"
    // template/missing-section
    if !mistakes.contains(4) { body += "\n## Success metrics\n\nConversion rises in cohort \(index).\n" }
    body += "\n## Definition of Ready\n\n- [x] Problem validated with users\n- [x] Success metrics agreed\n"
    body += "- [x] Engineering estimate attached\n\n## Definition of Done\n\n- [x] Shipped to all users\n"
    // workflow/requirement-unmet
    body += "- [x] Metrics dashboard live\n- [\(mistakes.contains(5) ? " " : "x")] Documentation updated\n"
    return "---\n" + front.joined(separator: "\n") + "\n---\n\n" + body
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static func baselineCount(_ repo: TestRepository) throws -> Int {
    let object = try json(try repo.read(".keel-baseline.json"))
    return try #require(object["findings"] as? [[String: Any]]).count
  }

  /// 500 old documents with about 2,000 findings: init --existing, baseline, then only a new
  /// mistake fails; update shrinks it; a new draft passes the hook, the same draft moved to
  /// review unfilled does not.
  @Test("adopting keel on 500 old documents with about 2,000 findings, end to end")
  func adoptionEndToEnd() throws {
    let repo = try TestRepository()
    // The team's own glossary (which made 'keel init' refuse before --existing) and old documents.
    let glossary = "terms:\n  - term: Checkout\n    definition: The last step of buying.\n"
    try repo.write("glossary.yaml", glossary)
    var generator = SeededGenerator(state: 12)
    var mistakesByDocument: [Set<Int>] = []
    for index in 0..<500 {
      let mistakes = Set((0..<6).filter { _ in Int.random(in: 0..<3, using: &generator) < 2 })
      mistakesByDocument.append(mistakes)
      try repo.write("specs/spec-\(index).md", Self.oldDocument(index, mistakes: mistakes))
    }
    let expected = mistakesByDocument.map(\.count).reduce(0, +)
    #expect((1800...2200).contains(expected))
    try repo.commitAll("old documents")

    let initialised = try repo.keel(["init", "--existing"])
    #expect(initialised.status == 0, "\(initialised.stderr)")
    #expect(initialised.stdout.contains("created keel.yaml\n"), "\(initialised.stdout)")
    #expect(initialised.stdout.contains("created templates/prd.md\n"))
    #expect(initialised.stdout.contains("kept glossary.yaml (exists; not changed)\n"))
    #expect(initialised.stdout.contains("skipped specs/example.md"))
    #expect(try repo.read("glossary.yaml") == glossary)
    #expect(!FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("specs/example.md").path))

    let before = try repo.keel(["check", "--format", "json"])
    #expect(before.status == 1)
    let findings = try #require(try Self.json(before.stdout)["diagnostics"] as? [[String: Any]])
    #expect(findings.count == expected, "\(Set(findings.compactMap { $0["rule"] as? String }))")

    let baseline = try repo.keel(["baseline"])
    #expect(baseline.status == 0, "\(baseline.stderr)")
    #expect(baseline.stdout.contains("\(expected) findings recorded"))
    #expect(try Self.baselineCount(repo) == expected)
    try repo.commitAll("adopt keel")

    let clean = try repo.keel(["check"])
    #expect(clean.status == 0, "\(clean.stdout)")
    #expect(
      clean.stdout.hasSuffix(
        "0 errors, 0 warnings in 500 documents and 3 RACI, people and glossary files; \(expected) in the baseline\n"),
      "\(clean.stdout)")

    // One new mistake: exactly that finding.
    let victim = 7
    let victimPath = "specs/spec-\(victim).md"
    let original = try repo.read(victimPath)
    try repo.write(victimPath, original.replacingOccurrences(of: "title: Spec \(victim)\n", with: "title: S\n"))
    let broken = try repo.keel(["check", "--format", "json"])
    #expect(broken.status == 1)
    let report = try Self.json(broken.stdout)
    let diagnostics = try #require(report["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?["rule"] as? String == "schema/minLength")
    #expect(diagnostics.first?["path"] as? String == victimPath)
    #expect((report["summary"] as? [String: Int])?["baselined"] == expected)
    try repo.write(victimPath, original)

    // Fix two old findings, and move others down by inserting lines above them.
    let placeholder = try #require(mistakesByDocument.indices.first { mistakesByDocument[$0].contains(3) })
    let missingOwner = try #require(mistakesByDocument.indices.first { mistakesByDocument[$0].contains(0) })
    var text = try repo.read("specs/spec-\(placeholder).md")
    text = text.replacingOccurrences(of: "Describe the user problem and the evidence for it.", with: "Real text.")
    try repo.write("specs/spec-\(placeholder).md", text)
    var owned = try repo.read("specs/spec-\(missingOwner).md")
    owned = owned.replacingOccurrences(of: "\nstatus:", with: "\nowner: alex\nstatus:")
    try repo.write("specs/spec-\(missingOwner).md", owned)
    let moved = try #require(
      mistakesByDocument.indices.first {
        ![placeholder, missingOwner].contains($0) && mistakesByDocument[$0].contains(5)
      })
    let movedText = try repo.read("specs/spec-\(moved).md")
    try repo.write(
      "specs/spec-\(moved).md", movedText.replacingOccurrences(of: "## Goals\n", with: "## Goals\n\nContext.\n\n"))

    let fixed = try repo.keel(["check", "--format", "json"])
    #expect(fixed.status == 0, "\(fixed.stdout)")
    let fixedReport = try Self.json(fixed.stdout)
    #expect((fixedReport["summary"] as? [String: Int])?["gone"] == 2)
    let gone = try #require(fixedReport["gone"] as? [[String: Any]])
    #expect(Set(gone.compactMap { $0["rule"] as? String }) == ["template/placeholder", "schema/required"])
    let fixedText = try repo.keel(["check"])
    #expect(fixedText.stdout.contains("specs/spec-\(placeholder).md:"))
    #expect(fixedText.stdout.contains("gone: "))

    let update = try repo.keel(["baseline", "--update"])
    #expect(update.status == 0, "\(update.stderr)")
    #expect(update.stdout.contains("2 fixed findings dropped, \(expected - 2) kept"), "\(update.stdout)")
    #expect(try Self.baselineCount(repo) == expected - 2)

    // --update never adds: a new mistake stays out of the baseline.
    let current = try repo.read(victimPath)
    try repo.write(victimPath, current.replacingOccurrences(of: "title: Spec \(victim)\n", with: "title: S\n"))
    let notAdded = try repo.keel(["baseline", "--update"])
    #expect(notAdded.stdout.contains("1 new finding was not added"), "\(notAdded.stdout)")
    #expect(try Self.baselineCount(repo) == expected - 2)
    #expect(try repo.keel(["check"]).status == 1)
    #expect(try repo.keel(["check", "--no-baseline", "--format", "json"]).stdout.contains("\"baselined\": 0"))
    try repo.write(victimPath, current)
    try repo.commitAll("fixed two")

    // The hook: a new draft commits; the same draft moved to review without filling it does not.
    #expect(try repo.keel(["hooks", "install"]).status == 0)
    let refused = try Self.commitDraftThenMoveItToReview(repo)
    #expect(refused.contains("[template/placeholder]"), "\(refused)")
  }

  /// With the hooks installed: `keel new prd` "Guest checkout" (specs/guest-checkout.md) commits; the same
  /// draft moved to review unfilled (owner and reviewers given) is refused. The refused commit's output.
  static func commitDraftThenMoveItToReview(_ repo: TestRepository) throws -> String {
    let created = try repo.keel(["new", "prd", "--title", "Guest checkout"])
    #expect(created.status == 0, "\(created.stderr)")
    let path = "specs/guest-checkout.md"
    try repo.git(["add", path])
    let commit = try runProcess("/usr/bin/git", ["commit", "-q", "-m", "draft"], in: repo.url)
    #expect(commit.status == 0, "\(commit.stdout)\(commit.stderr)")
    var text = try repo.read(path)
    text = text.replacingOccurrences(of: "status: draft", with: "status: review")
    text = text.replacingOccurrences(of: "owner: \"\"", with: "owner: alex")
    text = text.replacingOccurrences(of: "reviewers: []", with: "reviewers: [sam]")
    try repo.write(path, text)
    try repo.git(["add", path])
    let refused = try runProcess("/usr/bin/git", ["commit", "-q", "-m", "to review"], in: repo.url)
    #expect(refused.status != 0)
    return refused.stdout + refused.stderr
  }

  @Test("keel new + git commit passes the hook with keel init's defaults; moving the draft to review unfilled fails")
  func newDraftPassesTheHookButNotReview() throws {
    let repo = try TestRepository()
    #expect(try repo.keel(["init"]).status == 0)
    #expect(try repo.read("keel.yaml").contains("template/placeholder: {severity: error, from: review}"))
    try repo.commitAll("keel init")
    #expect(try repo.keel(["hooks", "install"]).status == 0)

    // A new draft commits; the same document, unfilled, moved to review: the hook refuses it.
    let output = try Self.commitDraftThenMoveItToReview(repo)
    let path = "specs/guest-checkout.md"
    #expect(output.contains("[template/placeholder]"), "\(output)")
    #expect(!output.contains("[workflow/requirement-unmet]"), "\(output)")

    // keel transition refuses it too, with the placeholders, and leaves the file alone.
    try repo.git(["reset", "-q", "--hard"])
    var draft = try repo.read(path)
    draft = draft.replacingOccurrences(of: "owner: \"\"", with: "owner: alex")
    draft = draft.replacingOccurrences(of: "reviewers: []", with: "reviewers: [sam]")
    try repo.write(path, draft)
    let transition = try repo.keel(["transition", path, "review"])
    #expect(transition.status == 1)
    #expect(transition.stdout.contains("[template/placeholder]"), "\(transition.stdout)")
    #expect(try repo.read(path) == draft)
  }

  @Test("the pre-commit hook reads the committed baseline: editing an old document passes, a new mistake fails")
  func hookWithBaseline() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/old.md", Fixtures.specMissingOwner + "\nOld text.\n")
    #expect(try repo.keel(["baseline", "--no-history"]).status == 0)
    try repo.commitAll("adopt keel with a baseline")
    #expect(try repo.keel(["hooks", "install"]).status == 0)

    // An edit that moves the old finding down a line: still the baselined finding.
    let old = try repo.read("specs/old.md")
    try repo.write("specs/old.md", old.replacingOccurrences(of: "---\ntitle:", with: "---\n# why\ntitle:"))
    try repo.git(["add", "specs/old.md"])
    let edited = try runProcess("/usr/bin/git", ["commit", "-q", "-m", "edit"], in: repo.url)
    #expect(edited.status == 0, "\(edited.stdout)\(edited.stderr)")

    try repo.write("specs/old.md", try repo.read("specs/old.md").replacingOccurrences(of: "draft", with: "drft"))
    try repo.git(["add", "specs/old.md"])
    let refused = try runProcess("/usr/bin/git", ["commit", "-q", "-m", "mistake"], in: repo.url)
    #expect(refused.status != 0)
    #expect((refused.stdout + refused.stderr).contains("[schema/enum]"))
    #expect(!(refused.stdout + refused.stderr).contains("[schema/required]"))
  }

  @Test("duplicate-id blames the document committed second; by path order without the history")
  func duplicateIDBlamesTheNewerDocument() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("keel.yaml", Fixtures.keelYAML + "\n    workflow: workflows/spec.yaml\n")
    try repo.write(
      "workflows/spec.yaml",
      "field: status\ninitial: [draft]\nstates: {draft: {}, review: {}}\ntransitions: {draft: [review]}\n"
        + "sla: {review: 10d}\n")
    let spec = "---\nid: PRD-001\ntitle: T\nowner: o\nstatus: draft\n---\n"
    try repo.write("specs/z-old.md", spec)
    try repo.commitAll("the first PRD-001", date: "2026-01-01T10:00:00Z")
    try repo.write("specs/a-new.md", spec)
    try repo.commitAll("a second PRD-001", date: "2026-02-01T10:00:00Z")

    func blamed(_ arguments: [String]) throws -> [String] {
      let result = try repo.keel(["check", "--format", "json", "--now", "2026-03-01"] + arguments)
      #expect(result.status == 1, "\(result.stderr)")
      let diagnostics = try #require(try Self.json(result.stdout)["diagnostics"] as? [[String: Any]])
      return diagnostics.filter { $0["rule"] as? String == "document/duplicate-id" }.compactMap {
        $0["path"] as? String
      }
    }
    #expect(try blamed([]) == ["specs/a-new.md"])
    #expect(try blamed(["--no-history"]) == ["specs/z-old.md"])
  }

  @Test("--fail-on picks the severity that fails; suppressed findings are counted, never failing")
  func failOn() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write(
      "keel.yaml", Fixtures.keelYAML + "\nrules:\n  schema/required: warning\n")
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    #expect(try repo.keel(["check", "--no-history"]).status == 0)
    #expect(try repo.keel(["check", "--no-history", "--fail-on", "warning"]).status == 1)
    #expect(try repo.keel(["check", "--no-history", "--fail-on", "note"]).status == 1)
    #expect(try repo.keel(["check", "--no-history", "--fail-on", "fatal"]).status == 2)

    try repo.write(
      "specs/a.md",
      "---\ntitle: Checkout  # keel-disable-line schema/required -- owner leaves soon\nstatus: draft\n---\n")
    let suppressed = try repo.keel(["check", "--no-history", "--fail-on", "note"])
    #expect(suppressed.status == 0, "\(suppressed.stdout)")
    #expect(suppressed.stdout.contains("; 1 suppressed"))
  }

  @Test("a damaged baseline is exit 2 with the reason (--no-baseline still checks); update needs a baseline")
  func damagedBaseline() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    let noBaseline = try repo.keel(["baseline", "--update", "--no-history"])
    #expect(noBaseline.status == 2)
    #expect(noBaseline.stderr.contains("run 'keel baseline' first"), "\(noBaseline.stderr)")

    try repo.write(".keel-baseline.json", "{\"version\": 1, \"findings\": [")
    let damaged = try repo.keel(["check", "--no-history"])
    #expect(damaged.status == 2)
    #expect(damaged.stderr.contains(".keel-baseline.json"), "\(damaged.stderr)")
    #expect(try repo.keel(["check", "--no-history", "--no-baseline"]).status == 1)

    // Over 16 × limits.max-file-bytes (64 bytes here: 1,024), the baseline is refused by its size.
    try repo.write("keel.yaml", try repo.read("keel.yaml") + "\nlimits:\n  max-file-bytes: 64\n")
    try repo.write(".keel-baseline.json", "{\"version\": 1, \"findings\": []}" + String(repeating: " ", count: 1_000))
    let large = try repo.keel(["check", "--no-history"])
    #expect(large.status == 2)
    #expect(
      large.stderr.contains(".keel-baseline.json: the baseline is not read: it is 1030 bytes, over the limit of 1024"),
      "\(large.stderr)")
  }

  @Test("SARIF with suppressions and baseline states validates against the SARIF 2.1.0 schema", .needsSARIFSchema)
  func sarifValidates() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/old.md", Fixtures.specMissingOwner)
    #expect(try repo.keel(["baseline", "--no-history"]).status == 0)
    try repo.write("specs/new.md", "---\ntitle: T\nowner: o\nstatus: shiped\n---\n")
    try repo.write(
      "specs/quiet.md",
      "---\ntitle: T\nowner: o\nstatus: shiped  # keel-disable-line schema/enum -- migrated as is\n---\n")
    let result = try repo.keel(["check", "--no-history", "--format", "sarif"])
    #expect(result.status == 1)

    let schema = try SchemaCompiler(assertFormat: true).compile(fileAt: SARIFOutputTests.sarifSchema)
    let errors = schema.validate(try JSONParser.parse(Data(result.stdout.utf8)))
    #expect(errors.isEmpty, "\(errors)")

    let log = try Self.json(result.stdout)
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    func path(_ result: [String: Any]) -> String? {
      let locations = result["locations"] as? [[String: Any]]
      let physical = locations?.first?["physicalLocation"] as? [String: Any]
      return (physical?["artifactLocation"] as? [String: Any])?["uri"] as? String
    }
    let byPath = Dictionary(grouping: results, by: { path($0) ?? "" })
    #expect(byPath["specs/old.md"]?.map { $0["baselineState"] as? String } == ["unchanged"])
    #expect(byPath["specs/new.md"]?.map { $0["baselineState"] as? String } == ["new"])
    let quiet = try #require(byPath["specs/quiet.md"]?.first)
    #expect(quiet["suppressions"] as? [[String: String]] == [["kind": "inSource", "justification": "migrated as is"]])
  }
}
