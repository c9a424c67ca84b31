import Foundation
import JSONSchema
import KeelCore
import Testing

@Suite("RACI export")
struct ExportRACITests {
  @Test("JSON follows the command-line contract, matrices in path order, activities in file order")
  func json() throws {
    let text = try ExportFixtures.raci().render(.json)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["revision"] as? String == ExportFixtures.source.revision)
    let matrices = try #require(object["matrices"] as? [[String: Any]])
    #expect(matrices.map { $0["path"] as? String } == ["raci/checkout.yaml", "raci/growth.yaml"])
    #expect(matrices[0]["title"] as? String == "Checkout, \"web\" & app")
    let activities = try #require(matrices[0]["activities"] as? [[String: Any]])
    #expect(activities.map { $0["id"] as? String } == ["approve", "release"])
    let approve = activities[0]
    #expect(Set(approve.keys) == ["id", "name", "R", "A", "C", "I"])
    #expect(approve["name"] as? String == "Approve a PRD, then \"ship\" it")
    #expect(approve["R"] as? [String] == ["ana"])
    #expect(approve["A"] as? String == "bo")
    #expect(approve["C"] as? [String] == ["data"])
    #expect(approve["I"] as? [String] == ["zoë"])
    let growth = try #require((matrices[1]["activities"] as? [[String: Any]])?.first)
    #expect(growth["R"] as? [String] == ["zoë"], "a single name becomes a list")
    #expect(growth["C"] as? [String] == [])
  }

  @Test("an activity without A has A: null; the working tree has revision null")
  func nulls() throws {
    let source = ExportSource(label: "working tree", revision: nil, date: Date(timeIntervalSince1970: 0))
    var files = ExportFixtures.files()
    files["raci/growth.yaml"] = "activities:\n  - id: x\n    R: [ana]\n"
    let text = try ExportFixtures.raci(files, source: source).render(.json)
    #expect(text.contains("\"revision\": null"))
    #expect(text.contains("\"A\": null"))
    #expect(text.contains("\"date\": \"1970-01-01T00:00:00Z\""))
  }

  @Test("columns: people in registry order, then teams, then unknown names; cells combine letters A first")
  func layout() throws {
    let export = try ExportFixtures.raci()
    #expect(export.columns(of: export.matrices[0]) == ["ana", "bo", "zoë", "data"])
    #expect(export.columns(of: export.matrices[1]) == ["ana", "zoë", "data", "ghost"])
    let release = export.matrices[0].activities[1]
    #expect(RACIExport.cell(release, "ana") == "A/R")
    #expect(RACIExport.cell(release, "bo") == "R")
    #expect(RACIExport.cell(release, "zoë") == "")
  }

  @Test("CSV is RFC 4180 and reads back with Python's csv module: commas, quotes, non-ASCII")
  func csvReadsBack() throws {
    try #require(pythonAvailable, "python3 is needed to read the CSV back")
    let text = try ExportFixtures.raci().render(.csv)
    #expect(text.hasSuffix("\r\n"))
    let rows = try readCSVWithPython(text)
    #expect(
      rows[0] == [
        "path", "title", "activity", "name", "Ana María Núñez", "Bo \"The Boss\" Li", "Zoë Müller",
        "Data, Analytics", "ghost",
      ])
    #expect(rows.count == 4)
    #expect(rows.allSatisfy { $0.count == 9 })
    let checkout = ["raci/checkout.yaml", "Checkout, \"web\" & app"]
    #expect(rows[1] == checkout + ["approve", "Approve a PRD, then \"ship\" it", "R", "A", "I", "C", ""])
    #expect(rows[2] == checkout + ["release", "Release", "A/R", "R", "", "", ""])
    #expect(rows[3] == ["raci/growth.yaml", "Growth", "test", "Run an A/B test", "A", "", "R", "I", "I"])
  }

  @Test("CSV fields: quoted only when needed, quotes doubled, line breaks kept inside quotes")
  func csvFields() throws {
    var files = ExportFixtures.files()
    files["raci/growth.yaml"] =
      "activities:\n  - id: x\n    name: \"two\\nlines, \\\"quoted\\\"\"\n    R: [ana]\n    A: ana\n"
    let text = try ExportFixtures.raci(files).render(.csv)
    #expect(text.contains("\"two\nlines, \"\"quoted\"\"\""))
    if pythonAvailable {
      let rows = try readCSVWithPython(text)
      #expect(rows.last?[3] == "two\nlines, \"quoted\"")
    }
  }

  @Test("Markdown: one table per matrix; pipes and markup in names are escaped")
  func markdown() throws {
    var files = ExportFixtures.files()
    files["raci/growth.yaml"] =
      "title: A | B *bold*\nactivities:\n  - id: x\n    name: \"Do | this\"\n    R: [ana]\n    A: ana\n"
    let text = try ExportFixtures.raci(files).render(.markdown)
    #expect(text.contains("## Checkout, \"web\" & app") || text.contains("## Checkout, \"web\" &amp; app"))
    #expect(text.contains("## A \\| B \\*bold\\*"))
    #expect(text.contains("| Do \\| this `x` | A/R |"))
    #expect(text.contains("| Activity | Ana María Núñez | Bo \"The Boss\" Li | Zoë Müller | Data, Analytics |"))
    #expect(text.contains("Taken from v1 (abc1234), committed 2026-04-11"))
  }

  @Test("HTML: self-contained, every value escaped, no script, no external request")
  func html() throws {
    var files = ExportFixtures.files()
    files["raci/growth.yaml"] = """
      title: "<script>alert(1)</script>"
      activities:
        - id: "x\\"><img src=x onerror=alert(1)>"
          name: "<b>bold</b> & 'quoted'"
          R: ["<i>ana</i>"]
          A: ana
      """
    let html = try ExportFixtures.raci(files).render(.html)
    #expect(!html.contains("<script"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("<b>"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
    #expect(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &#39;quoted&#39;"))
    #expect(html.contains("Content-Security-Policy"))
    #expect(html.contains("name=\"viewport\""))
    #expect(!html.contains("http://") && !html.contains("https://"), "no external reference")
    #expect(!html.contains(" src=\"") && !html.contains("<link"))
    #expect(html.contains("<time datetime=\"2026-04-11T09:33:20Z\">"))
    #expect(html.contains(ExportFixtures.source.revision!))
  }

  @Test("the same content exports the same bytes, whatever order files are listed in")
  func deterministic() throws {
    let first = try ExportFixtures.raci()
    let second = try ExportFixtures.raci()
    for format in ExportFormat.allCases { #expect(first.render(format) == second.render(format)) }
  }

  @Test("a RACI file that cannot be parsed is left out and reported")
  func brokenFile() throws {
    var files = ExportFixtures.files()
    files["raci/growth.yaml"] = "activities: [unclosed\n"
    let (export, problems) = try RACIExport.load(from: MemorySnapshot(texts: files), source: ExportFixtures.source)
    #expect(export.matrices.map(\.path) == ["raci/checkout.yaml"])
    #expect(problems.map(\.path) == ["raci/growth.yaml"])
  }

  @Test("by person: teams expanded to members, with the team named; everyone listed")
  func byPerson() throws {
    let export = RACIByPersonExport(try ExportFixtures.raci())
    #expect(export.entries.map(\.id) == ["ana", "bo", "chen", "zoë", "ghost"])
    let chen = try #require(export.entries.first { $0.id == "chen" })
    #expect(
      chen.assignments.map { "\($0.activityID) \(RACIRole.combination($0.roles)) \($0.via)" } == [
        "approve C [\"data\"]", "test I [\"data\"]",
      ])
    let zoe = try #require(export.entries.first { $0.id == "zoë" })
    #expect(
      zoe.assignments.map { "\($0.activityID) \(RACIRole.combination($0.roles))" } == ["approve C/I", "test R/I"])
    let ana = try #require(export.entries.first { $0.id == "ana" })
    #expect(ana.assignments.map { RACIRole.combination($0.roles) } == ["R", "A/R", "A"])
    #expect(export.entries.last?.known == false)

    let json = export.render(.json)
    #expect(json.contains("\"via\": [\n"))
    if pythonAvailable {
      let rows = try readCSVWithPython(export.render(.csv))
      #expect(rows[0] == ["person", "person name", "path", "title", "activity", "name", "roles", "via"])
      #expect(
        rows.contains([
          "chen", "Chen, Wei", "raci/checkout.yaml", "Checkout, \"web\" & app", "approve",
          "Approve a PRD, then \"ship\" it", "C", "data",
        ]))
    }
    #expect(export.render(.markdown).contains("## Chen, Wei `chen`"))
    #expect(!export.render(.html).contains("<script"))
  }

  @Test("diff: who gained or lost which letter on which activity")
  func diff() throws {
    let before = try ExportFixtures.raci()
    var files = ExportFixtures.files()
    files["raci/checkout.yaml"] = """
      title: Checkout
      activities:
        - id: approve
          name: Approve a PRD
          R: [ana]
          A: ana
          C: [data]
        - id: launch
          R: [bo]
          A: bo
      """
    let after = try ExportFixtures.raci(
      files, source: ExportSource(label: "v2", revision: String(repeating: "b", count: 40), date: Date()))
    let diff = RACIDiff(from: before, to: after)
    let lines = diff.changes.map { "\($0.path) \($0.activityID) \($0.person) \($0.kind.rawValue) \($0.role.letter)" }
    #expect(
      lines == [
        "raci/checkout.yaml approve ana gained A",
        "raci/checkout.yaml approve bo lost A",
        "raci/checkout.yaml approve zoë lost I",
        "raci/checkout.yaml launch bo gained A",
        "raci/checkout.yaml launch bo gained R",
        "raci/checkout.yaml release ana lost A",
        "raci/checkout.yaml release ana lost R",
        "raci/checkout.yaml release bo lost R",
      ])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(diff.render(.json).utf8)) as? [String: Any])
    #expect((json["from"] as? [String: Any])?["revision"] as? String == ExportFixtures.source.revision)
    #expect((json["changes"] as? [[String: Any]])?.first?["change"] as? String == "gained")
    #expect(
      diff.render(.markdown).contains(
        "| `raci/checkout.yaml` | Approve a PRD | Ana María Núñez | gained A (accountable) |"))
    #expect(RACIDiff(from: before, to: before).changes.isEmpty)
    #expect(RACIDiff(from: before, to: before).render(.markdown).contains("No one gained or lost a role."))
  }
}
