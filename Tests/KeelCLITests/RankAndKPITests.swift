import Foundation
import KeelTestSupport
import Testing

/// A repository with RICE scores on PRDs and a KPI catalogue, in two revisions.
enum ScoredRepository {
  static let keelYAML = """
    version: 1
    people: people.yaml
    kpis: kpis.yaml
    kinds:
      prd:
        include: ["specs/*.md"]
        schema: schemas/prd.yaml
        workflow: workflows/spec.yaml
        scores:
          rice: {formula: "reach * impact * confidence / effort", require-from: review}
          value: {formula: "business-value - cost"}
    """

  static let files: [String: String] = [
    "people.yaml": "people:\n  - {id: alice, name: Alice}\n  - {id: bob, name: Bob}\n",
    "kpis.yaml": """
    kpis:
      - {id: orders, name: Weekly orders, definition: Orders a week., owner: alice, unit: orders, direction: up, north-star: true, events: [order_placed]}
      - {id: churn, name: "Churn, monthly", definition: "=1+1 customers leaving", owner: bob, unit: percent, direction: down}
    """,
    "schemas/prd.yaml": """
    type: object
    properties:
      kpi: {type: string, x-keel-ref: kpi}
      reach: {type: number}
    """,
    "workflows/spec.yaml": """
    field: status
    initial: [draft]
    states: {draft: {}, review: {}, approved: {}, archived: {final: true}}
    transitions: {draft: [review, archived], review: [draft, approved, archived], approved: [archived]}
    """,
  ]

  static func spec(
    _ id: String, _ state: String, reach: Int?, effort: Double = 1, kpi: String? = nil, title: String? = nil
  ) -> String {
    var text = "---\nid: \(id)\ntitle: \(title ?? "Spec \(id)")\nstatus: \(state)\n"
    if let reach { text += "reach: \(reach)\nimpact: 1\nconfidence: 1\neffort: \(effort)\n" }
    text += "business-value: 10\ncost: 4\n"
    if let kpi { text += "kpi: \(kpi)\n" }
    return text + "---\n# \(id)\n"
  }

  /// v1: A 100, B 300, C 200 (tie with D 200), E archived 900, F draft without inputs.
  /// v2 (HEAD): A's reach 100 → 1000 (moves up to first), B gone, G new.
  static func make() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("keel.yaml", keelYAML)
    for (path, text) in files { try repo.write(path, text) }
    try repo.write("specs/a.md", spec("PRD-001", "review", reach: 100, kpi: "orders"))
    try repo.write("specs/b.md", spec("PRD-002", "approved", reach: 300))
    try repo.write("specs/d.md", spec("PRD-004", "draft", reach: 200, kpi: "orders"))
    try repo.write("specs/c.md", spec("PRD-003", "review", reach: 200, kpi: "churn"))
    try repo.write("specs/e.md", spec("PRD-005", "archived", reach: 900))
    try repo.write("specs/f.md", spec("PRD-006", "draft", reach: nil))
    try repo.commitAll("v1", date: "2026-03-01T10:00:00Z")
    try repo.git(["tag", "v1"])
    try repo.write("specs/a.md", spec("PRD-001", "review", reach: 1000, kpi: "orders"))
    try FileManager.default.removeItem(at: repo.url.appendingPathComponent("specs/b.md"))
    try repo.write("specs/g.md", spec("PRD-007", "draft", reach: 50, effort: 2))
    try repo.commitAll("v2", date: "2026-04-01T10:00:00Z")
    return repo
  }
}

@Suite("keel rank and keel export kpis end to end")
struct RankAndKPITests {
  private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
  }

  private func ids(_ object: [String: Any]) -> [String] {
    (object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
  }

  @Test("highest first, ties by id, final states left out by default, unscored listed apart")
  func ordering() throws {
    let repo = try ScoredRepository.make()
    let result = try repo.keel(["rank", "--rev", "v1", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try json(result.stdout)
    #expect(
      object["revision"] as? String
        == (try repo.git(["rev-parse", "v1"])).trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(object["kind"] as? String == "prd")
    #expect(object["score"] as? String == "rice")
    #expect(ids(object) == ["PRD-002", "PRD-003", "PRD-004", "PRD-001"])
    let first = try #require((object["items"] as? [[String: Any]])?.first)
    #expect(first["rank"] as? Int == 1)
    #expect(first["path"] as? String == "specs/b.md")
    #expect(first["state"] as? String == "approved")
    #expect(first["score"] as? Int == 300)
    #expect(first["title"] as? String == "Spec PRD-002")
    let inputs = try #require(first["inputs"] as? [String: Any])
    #expect(inputs["reach"] as? Int == 300)
    #expect(inputs["effort"] as? Int == 1)
    let unscored = try #require(object["unscored"] as? [[String: Any]])
    #expect(unscored.compactMap { $0["id"] as? String } == ["PRD-006"])
    #expect(unscored.first?["reason"] as? String == "no reach, no impact, no confidence, no effort")
  }

  @Test("--state filters; --by picks another score; a field name with '-' inside is one field")
  func stateFilterAndScore() throws {
    let repo = try ScoredRepository.make()
    let review = try json(
      try repo.keel(["rank", "--rev", "v1", "--state", "review,archived", "--format", "json"]).stdout)
    #expect(ids(review) == ["PRD-005", "PRD-003", "PRD-001"])
    let value = try json(try repo.keel(["rank", "--by", "value", "--state", "draft", "--format", "json"]).stdout)
    #expect(value["score"] as? String == "value")
    // business-value - cost = 6 for all three drafts: ties in id order.
    #expect(ids(value) == ["PRD-004", "PRD-006", "PRD-007"])
    #expect((value["items"] as? [[String: Any]])?.first?["score"] as? Int == 6)
    let unknown = try repo.keel(["rank", "--state", "reveiw"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("did you mean 'review'?"), "\(unknown.stderr)")
    let badScore = try repo.keel(["rank", "--by", "rise"])
    #expect(badScore.status == 2)
    #expect(badScore.stderr.contains("did you mean 'rice'?"), "\(badScore.stderr)")
  }

  @Test("--rev reads the revision; the working tree is HEAD plus changes")
  func revisions() throws {
    let repo = try ScoredRepository.make()
    let head = try json(try repo.keel(["rank", "--format", "json"]).stdout)
    #expect(ids(head) == ["PRD-001", "PRD-003", "PRD-004", "PRD-007"])
    #expect(head["revision"] is NSNull)
    let text = try repo.keel(["rank"])
    #expect(text.stdout.contains("1  PRD-001"), "\(text.stdout)")
    #expect(text.stdout.contains("without a score: PRD-006 (no reach, no impact, no confidence, no effort)"))
    let csv = try repo.keel(["rank", "--format", "csv"])
    #expect(csv.stdout.hasPrefix("rank,id,title,path,state,rice,reach,impact,confidence,effort\r\n1,PRD-001,"))
    let markdown = try repo.keel(["rank", "--format", "markdown"])
    #expect(markdown.stdout.contains("| 1 | PRD-001 | Spec PRD-001 | review | 1000 |"), "\(markdown.stdout)")
  }

  @Test("--diff shows who moved and which input changed")
  func diff() throws {
    let repo = try ScoredRepository.make()
    let result = try repo.keel(["rank", "--diff", "v1..HEAD", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try json(result.stdout)
    let items = try #require(object["items"] as? [[String: Any]])
    let changes = items.map { "\($0["id"] as? String ?? "?"):\($0["change"] as? String ?? "?")" }
    #expect(changes == ["PRD-001:up", "PRD-003:same", "PRD-004:same", "PRD-007:new", "PRD-002:gone"])
    let reach = try #require((items[0]["inputs"] as? [String: Any])?["reach"] as? [String: Any])
    #expect(reach["before"] as? Int == 100)
    #expect(reach["after"] as? Int == 1000)
    let text = try repo.keel(["rank", "--diff", "v1.."])
    #expect(text.stdout.contains("↑ 3"), "\(text.stdout)")
    #expect(text.stdout.contains("reach 100 → 1000"), "\(text.stdout)")
    #expect(text.stdout.contains("left the ranking"))
    #expect(try repo.keel(["rank", "--diff", "v1"]).status == 2)
  }

  @Test("a formula outside the grammar is a configuration error at its character in keel.yaml")
  func formulaError() throws {
    let repo = try ScoredRepository.make()
    try repo.write(
      "keel.yaml",
      ScoredRepository.keelYAML.replacingOccurrences(
        of: "\"reach * impact * confidence / effort\"", with: "\"reach * max(impact, 1)\""))
    for arguments in [["rank"], ["check", "--no-history"]] {
      let result = try repo.keel(arguments)
      #expect(result.status == 2)
      #expect(
        result.stderr.contains(
          "keel.yaml:10:35: score 'rice' of kind 'prd': '(' cannot follow a number or a field name"),
        "\(result.stderr)")
    }
    try repo.write(
      "keel.yaml",
      ScoredRepository.keelYAML.replacingOccurrences(of: "require-from: review", with: "require-from: reveiw"))
    let state = try repo.keel(["check", "--no-history"])
    #expect(state.status == 2)
    #expect(state.stderr.contains("did you mean 'review'?"), "\(state.stderr)")
  }

  @Test("keel check: inputs required from review on, division by zero, unknown KPI")
  func checkRules() throws {
    let repo = try ScoredRepository.make()
    try repo.write(
      "specs/h.md", "---\nid: PRD-008\nstatus: review\nreach: 5\nimpact: 1\nconfidence: 1\neffort: 0\n---\n")
    try repo.write("specs/i.md", "---\nid: PRD-009\nstatus: approved\nkpi: order\n---\n")
    let result = try repo.keel(["check", "--no-history"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("specs/h.md:7:9: error: score 'rice'"), "\(result.stdout)")
    #expect(result.stdout.contains("[score/invalid]"))
    #expect(result.stdout.contains("specs/i.md:3:9: error: 'reach' is missing"), "\(result.stdout)")
    #expect(
      result.stdout.contains("specs/i.md:4:6: error: 'order' in kpi is not a KPI of kpis.yaml; did you mean 'orders'?"))
    // The draft without inputs (PRD-006) has no finding.
    #expect(!result.stdout.contains("specs/f.md"))
    // One cause, one finding: a reach the schema rejects is schema/type's only.
    try repo.write(
      "specs/j.md",
      ScoredRepository.spec("PRD-010", "approved", reach: 1).replacingOccurrences(
        of: "reach: 1\n", with: "reach: lots\n"))
    let typed = try repo.keel(["check", "--no-history", "specs/j.md"])
    #expect(typed.stdout.contains("specs/j.md:5:8: error:"), "\(typed.stdout)")
    #expect(typed.stdout.contains("[schema/type]"))
    #expect(!typed.stdout.contains("score/missing-input"), "\(typed.stdout)")
  }

  @Test("export kpis: every format, the North Star first, the specs naming each KPI, at a revision")
  func exportKPIs() throws {
    let repo = try ScoredRepository.make()
    let object = try json(try repo.keel(["export", "kpis", "--at", "v1", "--format", "json"]).stdout)
    #expect(object["northStar"] as? String == "orders")
    let kpis = try #require(object["kpis"] as? [[String: Any]])
    #expect(kpis.compactMap { $0["id"] as? String } == ["orders", "churn"])
    let specs = (kpis[0]["specs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(specs == ["PRD-001", "PRD-004"])
    #expect((kpis[1]["specs"] as? [[String: Any]])?.first?["state"] as? String == "review")
    let csv = try repo.keel(["export", "kpis", "--format", "csv", "--spreadsheet-safe"]).stdout
    #expect(
      csv.contains("churn,\"Churn, monthly\",'=1+1 customers leaving,bob,percent,down,,,false,PRD-003\r\n"), "\(csv)")
    let html = try repo.keel(["export", "kpis", "--format", "html"]).stdout
    #expect(html.contains("<h2>Weekly orders <small>North Star</small></h2>"))
    let markdown = try repo.keel(["export", "kpis"]).stdout
    #expect(markdown.contains("North Star: **Weekly orders** (orders)"), "\(markdown)")
    #expect(markdown.contains("- **Specs:** PRD-001 (review), PRD-004 (draft)"), "\(markdown)")
    try repo.write("keel.yaml", ScoredRepository.keelYAML.replacingOccurrences(of: "kpis: kpis.yaml\n", with: ""))
    let none = try repo.keel(["export", "kpis"])
    #expect(none.status == 2)
    #expect(none.stderr.contains("names no KPI catalogue"))
  }
}
