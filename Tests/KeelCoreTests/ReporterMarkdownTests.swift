import CCmarkGFM
import Foundation
import KeelTestSupport
import Testing

@testable import KeelCore

@Suite struct ReporterMarkdownTests {
  /// Set `KEEL_UPDATE_SNAPSHOTS=1` to rewrite the expected file after an intended change.
  @Test func reviewSummaryMatchesTheCommittedSnapshot() throws {
    let expectedURL = packageRoot.appendingPathComponent("Tests/Fixtures/reporters/markdown-review.md")
    let actual = MarkdownReporter().render(ReporterFixtures.review())
    if ProcessInfo.processInfo.environment["KEEL_UPDATE_SNAPSHOTS"] == "1" {
      try AtomicFile.write(Data(actual.utf8), to: expectedURL)
    }
    let expected = try String(contentsOf: expectedURL, encoding: .utf8)
    #expect(actual == expected)
  }

  @Test func aCleanCheckHasAPassingVerdict() {
    let output = MarkdownReporter().render(ReporterFixtures.clean())
    #expect(output.hasPrefix("## ✅ Keel: 0 errors, 0 warnings in 2 documents\n"))
    #expect(output.hasSuffix("\nNo findings.\n"))
    #expect(!output.contains("| Document |"), "no document table outside review mode")
  }

  @Test func warningsAloneDoNotFailTheVerdict() {
    let report = Report(
      toolVersion: "1", source: "index", documentCount: 1,
      diagnostics: [Diagnostic(rule: "r/x", severity: .warning, message: "w", path: "a.md")], rules: [])
    #expect(MarkdownReporter().render(report).hasPrefix("## ✅ Keel: 0 errors, 1 warning in 1 document\n"))
  }

  /// Whatever a document says, the rendered tables keep four cells per row and
  /// no tag, link, image or emphasis gets through.
  @Test func hostileTextCannotBreakTheTablesOrInjectMarkup() throws {
    let hostile = [
      "cell | split \\| again", "`code | span`", "</td></tr><script>alert(1)</script>", "![img](http://x/y.png)",
      "[link](http://x)", "**bold** _em_ ~~gone~~ $x^2$", "line\nbreak\r\nand\rmore", "&amp; &lt; entity",
      "<!-- comment", "trailing backslash \\",
    ]
    var diagnostics = hostile.enumerated().map { index, text in
      Diagnostic(rule: "r/\(text)", message: text, path: "dir/`odd` | \(index).md", line: index + 1)
    }
    // A path that tries to close the <summary> and <details> it is shown in.
    diagnostics.append(Diagnostic(rule: "r/x", message: "m", path: "</code></summary></details><script>x</script>.md"))
    let documents = hostile.map { text in
      DocumentSummary(
        path: "p/\(text).md", kind: text, change: .renamed, previousPath: "q/\(text)", stateBefore: text,
        stateAfter: text + "!")
    }
    let report = Report(
      toolVersion: "1 | 2", source: "a`b", documentCount: hostile.count, diagnostics: diagnostics, rules: [],
      documents: documents)
    let html = ReporterFixtures.renderGFM(MarkdownReporter().render(report))

    let rows = Array(html.components(separatedBy: "<tr>").dropFirst())
    // The document table (header, one row per document, one per other path with findings:
    // five cells), then per path with findings a table (header + one row per finding: four cells).
    let paths = hostile.count + 1
    #expect(rows.count == 1 + hostile.count + paths + paths + diagnostics.count)
    for (index, row) in rows.enumerated() {
      let cells = row.matches(of: /<t[dh][ >]/).count
      #expect(cells == (index <= hostile.count + paths ? 5 : 4), "row \(index) has its cells: \(row)")
    }
    #expect(html.components(separatedBy: "<details>").count - 1 == paths)
    #expect(html.components(separatedBy: "</details>").count - 1 == paths)
    #expect(html.contains("&lt;/code&gt;&lt;/summary&gt;&lt;/details&gt;&lt;script&gt;"))
    for tag in ["<script", "<img", "<strong>", "<em>", "<del>", "<!--", "</td></tr><", ">link</a>"] {
      #expect(!html.contains(tag), "no \(tag) in the rendered HTML")
    }
    #expect(html.contains("&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("**bold** _em_ ~~gone~~ $x^2$"))
    #expect(html.contains("line<br>break<br>and<br>more"))
    #expect(html.contains("&amp;amp; &amp;lt; entity"))
    #expect(html.contains("<code>dir/`odd` | 0.md</code>"), "a path with backticks and a pipe stays one code span")
    #expect(html.contains("cell | split \\| again"))
  }

  @Test("findings are folded per document, under a table of documents with their counts")
  func findingsAreFoldedPerDocument() throws {
    let output = MarkdownReporter().render(ReporterFixtures.review())
    #expect(output.contains("| `specs/checkout.md` | prd | modified | draft → approved | ❌ 2 errors, 1 warning |"))
    #expect(output.contains("| `specs/pricing.md` | prd | renamed from `specs/price.md` | review | — |"))
    #expect(output.contains("\n<details><summary><code>specs/checkout.md</code>: 2 errors, 1 warning</summary>\n\n"))
    #expect(output.components(separatedBy: "\n</details>").count - 1 == 2)
    // Outside review mode the table lists the documents with findings only.
    let plain = Report(
      toolVersion: "1", source: "working tree", documentCount: 40,
      diagnostics: [Diagnostic(rule: "r/x", severity: .note, message: "n", path: "b.md")], rules: [])
    let text = MarkdownReporter().render(plain)
    #expect(text.contains("| Document | Findings |\n| --- | --- |\n| `b.md` | ℹ️ 1 note |\n"))
  }

  @Test("with GitHub's values, paths and line numbers link to the checked commit, under keel.yaml's folder")
  func linksPointAtTheCommitsLines() throws {
    let sha = "0123456789abcdef0123456789abcdef01234567"
    let links = try #require(
      SourceLinks(
        environment: [
          "GITHUB_SERVER_URL": "https://github.com/", "GITHUB_REPOSITORY": "keel-ops/demo", "GITHUB_SHA": sha,
        ]))
    // keel.yaml in docs/product: paths and links are from the repository root.
    var report = ReporterFixtures.review()
    report.paths = ReportPaths(repositoryPrefix: "docs/product")
    let output = MarkdownReporter(links: links).render(report)
    let base = "https://github.com/keel-ops/demo/blob/\(sha)/docs/product/"
    #expect(output.contains("| [3](\(base)specs/checkout.md#L3) | ❌ error |"))
    #expect(output.contains("| [20](\(base)specs/new%20spec.md#L20) |"))
    #expect(output.contains("| [`docs/product/specs/checkout.md`](\(base)specs/checkout.md) | prd |"))
    #expect(output.contains("renamed from `docs/product/specs/price.md`"))
    #expect(!MarkdownReporter().render(ReporterFixtures.review()).contains("https://"))
    let html = ReporterFixtures.renderGFM(output)
    #expect(html.contains("<a href=\"\(base)specs/new%20spec.md#L20\">20</a>"))
  }

  @Test(
    "no links unless every GitHub value is present and well formed",
    arguments: [
      [:],
      ["GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "0123abc"],
      ["GITHUB_SERVER_URL": "javascript:alert(1)", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "0123abc"],
      ["GITHUB_SERVER_URL": "https://x) [y](z", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "0123abc"],
      ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r/x", "GITHUB_SHA": "0123abc"],
      ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/..", "GITHUB_SHA": "0123abc"],
      ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r)", "GITHUB_SHA": "0123abc"],
      ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "HEAD"],
      ["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "0123abc#x"],
    ])
  func malformedValuesGiveNoLinks(environment: [String: String]) {
    #expect(SourceLinks(environment: environment) == nil)
  }

  @Test func codeSpansUseALongerFenceThanAnyBacktickRun() {
    #expect(MarkdownReporter.codeSpan("plain") == "`plain`")
    #expect(MarkdownReporter.codeSpan("a`b") == "``a`b``")
    #expect(MarkdownReporter.codeSpan("a``b`") == "``` a``b` ```")
    #expect(MarkdownReporter.codeSpan("x|y", inTable: true) == "`x\\|y`")
    #expect(MarkdownReporter.codeSpan("") == "—")
  }
}

extension ReporterFixtures {
  /// Renders GitHub-flavoured Markdown (with tables) to HTML through cmark-gfm,
  /// raw HTML kept, so tests see exactly what a reader would.
  static func renderGFM(_ markdown: String) -> String {
    cmark_gfm_core_extensions_ensure_registered()
    let options = CMARK_OPT_UNSAFE
    guard let parser = cmark_parser_new(options) else { return "" }
    defer { cmark_parser_free(parser) }
    if let table = cmark_find_syntax_extension("table") { cmark_parser_attach_syntax_extension(parser, table) }
    if let strike = cmark_find_syntax_extension("strikethrough") {
      cmark_parser_attach_syntax_extension(parser, strike)
    }
    if let autolink = cmark_find_syntax_extension("autolink") { cmark_parser_attach_syntax_extension(parser, autolink) }
    let bytes = Array(markdown.utf8)
    bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
    }
    guard let document = cmark_parser_finish(parser) else { return "" }
    defer { cmark_node_free(document) }
    guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
    defer { free(html) }
    return String(cString: html)
  }
}
