import Foundation
import KeelCore
import Testing

@Suite("Glossary export")
struct ExportGlossaryTests {
  @Test("alphabetical (case-insensitive), unique anchors, see resolved by term or alias")
  func order() throws {
    let export = try ExportFixtures.glossary()
    #expect(export.terms.map(\.term) == ["Basket", "Basket!", "checkout", "Äpfel"])
    #expect(export.anchors == ["basket", "basket-2", "checkout", "äpfel"])
    #expect(export.anchor(for: "CHECKOUT FLOW") == "checkout")
    #expect(export.anchor(for: "Funnel") == nil)
  }

  @Test("JSON: terms with anchor, definition, aliases, avoid and see")
  func json() throws {
    let text = try ExportFixtures.glossary().render(.json)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["revision"] as? String == ExportFixtures.source.revision)
    let terms = try #require(object["terms"] as? [[String: Any]])
    #expect(terms.map { $0["term"] as? String } == ["Basket", "Basket!", "checkout", "Äpfel"])
    #expect(terms[0]["avoid"] as? [String] == ["cart", "trolley"])
    #expect(terms[0]["see"] as? [String] == ["Checkout", "Funnel"])
    #expect(terms[2]["aliases"] as? [String] == ["checkout flow"])
    #expect(terms[2]["anchor"] as? String == "checkout")
  }

  @Test("Markdown: an anchor per term and links that use them; a dangling see is marked, not linked")
  func markdown() throws {
    let text = try ExportFixtures.glossary().render(.markdown)
    #expect(text.contains("## <a id=\"basket\"></a>Basket\n"))
    #expect(text.contains("## <a id=\"basket-2\"></a>Basket\\!\n"))
    #expect(text.contains("- **See:** [checkout](#checkout), Funnel (missing)"))
    #expect(text.contains("- **See:** [Basket](#basket)"))
    #expect(text.contains("Items, \"kept\" across sessions; see also &lt;Checkout&gt;."))
    #expect(text.contains("- **Avoid:** cart, trolley"))
    #expect(text.contains("[Basket](#basket) · [Basket\\!](#basket-2) · [checkout](#checkout) · [Äpfel](#äpfel)"))
  }

  @Test("HTML: ids for every term, links to them, every value escaped")
  func html() throws {
    var files = ExportFixtures.files()
    files["glossary.yaml"] = """
      terms:
        - term: XSS
          definition: "<script>alert(1)</script> and \\"><img src=x onerror=alert(1)>"
          aliases: ["<b>x</b>"]
          see: ["\\"><script>alert(2)</script>"]
      """
    let html = try ExportFixtures.glossary(files).render(.html)
    #expect(!html.contains("<script"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("<b>x"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; and &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
    #expect(html.contains("<dt id=\"xss\">"))
    let linked = try ExportFixtures.glossary().render(.html)
    #expect(linked.contains("<a href=\"#checkout\">checkout</a>"))
    #expect(linked.contains("Funnel (missing)"))
    #expect(linked.contains("<dt id=\"basket-2\">"))
  }

  @Test("CSV reads back with Python's csv module")
  func csv() throws {
    try #require(pythonAvailable, "python3 is needed to read the CSV back")
    let rows = try readCSVWithPython(try ExportFixtures.glossary().render(.csv))
    #expect(rows[0] == ["term", "definition", "aliases", "avoid", "see"])
    #expect(
      rows[1] == [
        "Basket", "Items, \"kept\" across sessions; see also <Checkout>.", "", "cart; trolley", "Checkout; Funnel",
      ])
    #expect(rows.map(\.first) == ["term", "Basket", "Basket!", "checkout", "Äpfel"])
  }

  @Test("spreadsheet-safe CSV defuses values a spreadsheet would run as formulas; plain CSV keeps them")
  func spreadsheetSafeCSV() throws {
    try #require(pythonAvailable, "python3 is needed to read the CSV back")
    var files = ExportFixtures.files()
    files["glossary.yaml"] = """
      terms:
        - {term: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")", definition: "+1 for all"}
        - {term: Lead time, definition: "-3 days on average", aliases: ["@lead"]}
        - {term: Plain, definition: "a - b = c", see: [Lead time]}
      """
    let glossary = try ExportFixtures.glossary(files)
    let safe = try readCSVWithPython(glossary.render(.csv, spreadsheetSafe: true))
    #expect(safe[1] == ["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1 for all", "", "", ""])
    #expect(safe[2] == ["Lead time", "'-3 days on average", "'@lead", "", ""])
    #expect(safe[3] == ["Plain", "a - b = c", "", "", "Lead time"], "only the first character counts")
    let plain = try readCSVWithPython(glossary.render(.csv))
    #expect(plain[1][0] == "=HYPERLINK(\"http://evil.example\",\"click\")")
    #expect(plain[2][1] == "-3 days on average")
  }

  @Test("a glossary that keel.yaml does not name, or that cannot be parsed, is an error (exit 2)")
  func errors() throws {
    var files = ExportFixtures.files()
    files["glossary.yaml"] = "terms: [unclosed\n"
    #expect(throws: KeelError.self) {
      try GlossaryExport.load(from: MemorySnapshot(texts: files), source: ExportFixtures.source)
    }
    files["keel.yaml"] = "version: 1\nkinds:\n  prd:\n    include: [\"*.md\"]\n"
    #expect(throws: KeelError.self) {
      try GlossaryExport.load(from: MemorySnapshot(texts: files), source: ExportFixtures.source)
    }
  }
}
