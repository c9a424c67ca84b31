import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `keel graph`: the documents and their references in each format, around one document, at a
/// revision, with titles that try to break out of each format.
@Suite("keel graph")
struct GraphCommandTests {
  /// Three specs in a chain (c → b → a), a spec naming a YAML decision and a folder proposal, and
  /// an archived spec no one names.
  static func repository() throws -> TestRepository {
    let repo = try DocumentKindsFixture(proposalSchema: true, proposalWorkflow: true).repository(
      states: "draft: {}, approved: {}, archived: {final: true}",
      transitions: "draft: [approved, archived], approved: [archived]")
    try repo.write("schemas/prd.yaml", DocumentKindsFixture.referencingPRDSchema)
    try repo.write(
      "schemas/decision.yaml",
      "type: object\nproperties:\n  supersedes: {type: string, x-keel-ref: decision, x-keel-ref-any-state: true}\n")
    try repo.write(
      "schemas/proposal.yaml",
      "type: object\nproperties:\n  depends-on: {type: array, items: {type: string}, x-keel-ref: prd}\n")
    try repo.write("decisions/adr-001.yaml", "id: ADR-001\ntitle: Use one provider\n")
    try repo.write("decisions/adr-002.yaml", "id: ADR-002\ntitle: Keep baskets\nsupersedes: ADR-001\n")
    try repo.write("proposals/guest/proposal.yaml", "number: '0001'\nstatus: draft\ndepends-on: [PRD-001]\n")
    try repo.write("proposals/guest/README.md", "# Guest checkout\n")
    try repo.write("specs/a.md", "---\nid: PRD-001\nstatus: approved\ntitle: Saved cards\n---\n")
    try repo.write(
      "specs/b.md",
      "---\nid: PRD-002\nstatus: draft\ndecision: ADR-002\ndepends-on: [PRD-001, proposals/guest/]\n---\n# Reorder\n")
    try repo.write("specs/c.md", "---\nid: PRD-003\nstatus: draft\ndepends-on: [./b.md, PRD-404]\n---\n")
    try repo.write("specs/old.md", "---\nid: PRD-000\nstatus: archived\n---\n")
    try repo.commitAll("documents and references")
    return repo
  }

  @Test("JSON: every document (a folder one by its folder, a YAML one), each resolved reference once")
  func json() throws {
    let repo = try Self.repository()
    let result = try repo.keel(["graph", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    func node(_ id: String, _ path: String, _ kind: String, _ state: String?, _ title: String?) -> String {
      """
          {
            "id": "\(id)",
            "path": "\(path)",
            "kind": "\(kind)",
            "state": \(state.map { "\"\($0)\"" } ?? "null"),
            "title": \(title.map { "\"\($0)\"" } ?? "null")
          }
      """
    }
    func edge(_ from: String, _ to: String, _ field: String) -> String {
      """
          {
            "from": "\(from)",
            "to": "\(to)",
            "field": "\(field)"
          }
      """
    }
    let nodes = [
      node("ADR-001", "decisions/adr-001.yaml", "decision", nil, "Use one provider"),
      node("ADR-002", "decisions/adr-002.yaml", "decision", nil, "Keep baskets"),
      node("0001", "proposals/guest", "proposal", "draft", "Guest checkout"),
      node("PRD-001", "specs/a.md", "prd", "approved", "Saved cards"),
      node("PRD-002", "specs/b.md", "prd", "draft", "Reorder"),
      node("PRD-003", "specs/c.md", "prd", "draft", nil),
      node("PRD-000", "specs/old.md", "prd", "archived", nil),
    ]
    let edges = [
      edge("0001", "PRD-001", "depends-on"), edge("ADR-002", "ADR-001", "supersedes"),
      edge("PRD-002", "ADR-002", "decision"), edge("PRD-002", "0001", "depends-on"),
      edge("PRD-002", "PRD-001", "depends-on"), edge("PRD-003", "PRD-002", "depends-on"),
    ]
    let expected =
      "{\n  \"revision\": null,\n  \"nodes\": [\n" + nodes.joined(separator: ",\n") + "\n  ],\n  \"edges\": [\n"
      + edges.joined(separator: ",\n") + "\n  ]\n}\n"
    #expect(result.stdout == expected)
  }

  @Test("DOT: boxes filled by state (final states greyed), arrows labelled with the field")
  func dot() throws {
    let repo = try Self.repository()
    let result = try repo.keel(["graph", "--around", "PRD-002", "--depth", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        digraph keel {
          rankdir=RL;
          node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];
          edge [fontname="Helvetica", fontsize=9, color="#555555"];
          "ADR-002" [label="ADR-002\\nKeep baskets", fillcolor="#ffffff", tooltip="decisions/adr-002.yaml"];
          "0001" [label="0001\\nGuest checkout\\n(draft)", fillcolor="#eeeeee", tooltip="proposals/guest"];
          "PRD-001" [label="PRD-001\\nSaved cards\\n(approved)", fillcolor="#b9e4c3", tooltip="specs/a.md"];
          "PRD-002" [label="PRD-002\\nReorder\\n(draft)", fillcolor="#eeeeee", tooltip="specs/b.md"];
          "PRD-003" [label="PRD-003\\n(draft)", fillcolor="#eeeeee", tooltip="specs/c.md"];
          "0001" -> "PRD-001" [label="depends-on"];
          "PRD-002" -> "ADR-002" [label="decision"];
          "PRD-002" -> "0001" [label="depends-on"];
          "PRD-002" -> "PRD-001" [label="depends-on"];
          "PRD-003" -> "PRD-002" [label="depends-on"];
        }

        """)
    let archived = try repo.keel(["graph", "--around", "specs/old.md", "--depth", "0"])
    #expect(
      archived.stdout.contains(
        "\"PRD-000\" [label=\"PRD-000\\n(archived)\", fillcolor=\"#d0d0d0\", color=\"#888888\", fontcolor=\"#555555\""),
      "\(archived.stdout)")
  }

  @Test("Mermaid: numbered nodes, quoted labels, one class per colour")
  func mermaid() throws {
    let repo = try Self.repository()
    let result = try repo.keel(["graph", "--format", "mermaid", "--around", "proposals/guest/", "--depth", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        flowchart RL
          n0["0001<br/>Guest checkout<br/>(draft)"]
          n1["PRD-001<br/>Saved cards<br/>(approved)"]
          n2["PRD-002<br/>Reorder<br/>(draft)"]
          n0 -->|"depends-on"| n1
          n2 -->|"depends-on"| n0
          n2 -->|"depends-on"| n1
          classDef c0 fill:#b9e4c3,stroke:#555555
          class n1 c0
          classDef c1 fill:#eeeeee,stroke:#555555
          class n0,n2 c1

        """)
  }

  @Test("--around follows references both ways up to --depth; by id, by path, by folder")
  func around() throws {
    let repo = try Self.repository()
    func ids(_ arguments: [String]) throws -> [String] {
      let result = try repo.keel(["graph", "--format", "json"] + arguments)
      #expect(result.status == 0, "\(result.stderr)")
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      return ((object?["nodes"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }
    #expect(try ids(["--around", "PRD-003", "--depth", "0"]) == ["PRD-003"])
    #expect(try ids(["--around", "PRD-003"]) == ["PRD-002", "PRD-003"])
    #expect(
      try ids(["--around", "specs/c.md", "--depth", "2"]) == ["ADR-002", "0001", "PRD-001", "PRD-002", "PRD-003"])
    #expect(
      try ids(["--around", "PRD-003", "--depth", "3"]) == [
        "ADR-001", "ADR-002", "0001", "PRD-001", "PRD-002", "PRD-003",
      ])
    #expect(try ids(["--around", "proposals/guest/proposal.yaml", "--depth", "0"]) == ["0001"])
    #expect(try ids(["--around", "decisions/adr-001.yaml", "--depth", "1"]) == ["ADR-001", "ADR-002"])
  }

  @Test("An unknown --around is exit 2 with the nearest id; --depth without --around is a usage error")
  func unknownAround() throws {
    let repo = try Self.repository()
    let result = try repo.keel(["graph", "--around", "PRD-0002"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.contains(
        "keel: error: --around PRD-0002: no document has this id or path; did you mean 'PRD-002'?"), "\(result.stderr)")
    let depth = try repo.keel(["graph", "--depth", "2"])
    #expect(depth.status == 2)
    #expect(depth.stderr.contains("--depth goes with --around"), "\(depth.stderr)")
    let negative = try repo.keel(["graph", "--around", "PRD-001", "--depth", "-1"])
    #expect(negative.status == 2)
  }

  @Test("--rev draws a revision from Git objects, stamped with its commit; an id unknown there names it")
  func revision() throws {
    let repo = try Self.repository()
    let first = try repo.git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    try repo.git(["rm", "-q", "specs/c.md"])
    try repo.write("specs/b.md", "---\nid: PRD-002\nstatus: draft\n---\n")
    try repo.commitAll("drop c, b names nothing")
    let old = try repo.keel(["graph", "--format", "json", "--rev", "HEAD~1", "--around", "PRD-003"])
    #expect(old.status == 0, "\(old.stderr)")
    #expect(old.stdout.hasPrefix("{\n  \"revision\": \"\(first)\",\n"))
    #expect(old.stdout.contains("\"from\": \"PRD-003\",\n      \"to\": \"PRD-002\""))
    let now = try repo.keel(["graph", "--format", "json", "--rev", "HEAD"])
    #expect(!now.stdout.contains("PRD-003"))
    #expect(!now.stdout.contains("\"from\": \"PRD-002\""))
    let gone = try repo.keel(["graph", "--rev", "HEAD", "--around", "PRD-003"])
    #expect(gone.status == 2)
    #expect(gone.stderr.contains("no document has this id or path in HEAD ("), "\(gone.stderr)")
  }

  @Test("--output picks the format from the extension; an unknown extension is exit 2")
  func output() throws {
    let repo = try Self.repository()
    #expect(try repo.keel(["graph", "--output", "graph.mmd"]).status == 0)
    #expect(try repo.read("graph.mmd").hasPrefix("flowchart RL\n"))
    #expect(try repo.keel(["graph", "--output", "graph.gv"]).status == 0)
    #expect(try repo.read("graph.gv").hasPrefix("digraph keel {\n"))
    let wrong = try repo.keel(["graph", "--output", "graph.png"])
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("no format has the extension '.png'"), "\(wrong.stderr)")
  }

  /// A title with quotes, markup, control bytes and each format's metacharacters.
  static let hostile = "Say \"hi\" <b>&amp;</b> 'x' \\n {a|b} [c] #35; -->|x| ;}\u{1B}[31m\u{07}\u{85}"

  static func hostileRepository() throws -> TestRepository {
    let repo = try Self.repository()
    let escaped = hostile.unicodeScalars.map { scalar -> String in
      scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar != "\u{7F}"
        ? String(scalar) : scalar == "\"" ? "\\\"" : scalar == "\\" ? "\\\\" : String(format: "\\u%04X", scalar.value)
    }.joined()
    try repo.write("specs/a.md", "---\nid: \"PRD-001\\\"];x\"\nstatus: \"app<r>oved\"\ntitle: \"\(escaped)\"\n---\n")
    try repo.write("specs/b.md", "---\nid: PRD-002\nstatus: draft\ndepends-on: [\"PRD-001\\\"];x\"]\n---\n")
    try repo.commitAll("hostile")
    return repo
  }

  @Test("Hostile titles, ids and states: no raw control byte, nothing that ends a string or label in any format")
  func hostileTitles() throws {
    let repo = try Self.hostileRepository()
    for format in ["dot", "mermaid", "json", "svg"] {
      let result = try repo.keel(["graph", "--format", format])
      #expect(result.status == 0, "\(format): \(result.stderr)")
      #expect(
        !result.stdout.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) },
        "\(format) has a raw control character")
    }
    let dot = try repo.keel(["graph", "--format", "dot", "--around", "PRD-002", "--depth", "1"]).stdout
    #expect(
      dot.contains(
        #""PRD-001\"];x" [label="PRD-001\"];x\nSay \"hi\" <b>&amp;</b> 'x' \\n {a|b} [c] #35; -->|x| ;}�[31m��\n(app<r>oved)""#
      ),
      "\(dot)")
    #expect(dot.contains(#""PRD-002" -> "PRD-001\"];x" [label="depends-on"];"#), "\(dot)")
    let mermaid = try repo.keel(["graph", "--format", "mermaid", "--around", "PRD-002", "--depth", "1"]).stdout
    #expect(
      mermaid.contains(
        "n0[\"PRD-001#34;#93;#59;x<br/>Say #34;hi#34; #60;b#62;#38;amp#59;#60;/b#62; #39;x#39; #92;n #123;a#124;b#125; "
          + "#91;c#93; #35;35#59; --#62;#124;x#124; #59;#125;\u{FFFD}#91;31m\u{FFFD}\u{FFFD}<br/>(app#60;r#62;oved)\"]\n"
      ),
      "\(mermaid)")
    let json = try repo.keel(["graph", "--format", "json"]).stdout
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let titles = ((object?["nodes"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
    #expect(titles.contains(Self.hostile))
    let svg = try repo.keel(["graph", "--format", "svg"]).stdout
    #if canImport(FoundationXML) || os(macOS)
      let parser = XMLParser(data: Data(svg.utf8))
      #expect(parser.parse(), "SVG is not well-formed: \(String(describing: parser.parserError))\n\(svg)")
    #endif
    #expect(svg.contains(">PRD-001&quot;];x</text>"), "\(svg)")
    #expect(svg.contains(">Say &quot;hi&quot; &lt;b&gt;&amp;amp;&lt;/b&gt; &#39;x&#39; \\n …</text>"), "\(svg)")
    #expect(svg.contains("<title>specs/a.md (app&lt;r&gt;oved)</title>"), "\(svg)")
  }

  @Test("SVG: well-formed, self-contained, a box per document and a path per reference; the same bytes twice")
  func svg() throws {
    let repo = try Self.repository()
    let result = try repo.keel(["graph", "--format", "svg"])
    #expect(result.status == 0, "\(result.stderr)")
    let svg = result.stdout
    #if canImport(FoundationXML) || os(macOS)
      let parser = XMLParser(data: Data(svg.utf8))
      #expect(parser.parse(), "\(String(describing: parser.parserError))")
    #endif
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(!svg.contains("href"), "no outside resource")
    #expect(svg.components(separatedBy: "<g><title>").count - 1 == 7)
    #expect(svg.components(separatedBy: "marker-end=\"url(#arrow)\"").count - 1 == 6)
    #expect(svg.contains("<title>PRD-003 depends-on PRD-002</title>"))
    #expect(svg.contains("stroke-dasharray=\"4 3\""), "the archived spec is dashed")
    #expect(try repo.keel(["graph", "--format", "svg"]).stdout == svg)
  }
}
