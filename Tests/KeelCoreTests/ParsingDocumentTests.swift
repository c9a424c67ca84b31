import Foundation
import JSONSchema
import Testing

@testable import KeelCore

@Suite("DocumentParser")
struct ParsingDocumentTests {
  private func parse(_ text: String, limits: ParseLimits = .default) -> Document {
    DocumentParser.parse(path: "specs/a.md", data: Data(text.utf8), kind: "prd", blobID: "abc", limits: limits)
  }

  private func parse(bytes: [UInt8], limits: ParseLimits = .default) -> Document {
    DocumentParser.parse(path: "specs/a.md", data: Data(bytes), limits: limits)
  }

  private func located(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.rule) \($0.line):\($0.column)" }
  }

  static let spec = """
    ---
    id: PRD-12
    title: Faster checkout
    status: draft
    owner: ana
    reviewers:
      - bob
      - carl
    ---
    # Faster checkout

    ## Problem

    Users abandon the cart.

    ## Definition of Done

    - [ ] Tests written
    - [x] Docs updated

    """

  @Test func frontMatterAndBody() throws {
    let document = parse(Self.spec)
    #expect(document.diagnostics.isEmpty)
    #expect(document.path == "specs/a.md")
    #expect(document.kind == "prd")
    #expect(document.blobID == "abc")
    let frontMatter = try #require(document.frontMatter)
    #expect(frontMatter.openingLine == 1)
    #expect(frontMatter.closingLine == 9)
    #expect(document.field("title") == "Faster checkout")
    #expect(document.position(ofField: "owner") == SourcePosition(line: 5, column: 1))
    #expect(frontMatter.content.sourceMap.values["/reviewers/1"] == SourcePosition(line: 8, column: 5))
    #expect(document.bodyStartLine == 10)
    #expect(document.body.headings.map(\.text) == ["Faster checkout", "Problem", "Definition of Done"])
    #expect(document.body.headings.map(\.line) == [10, 12, 16])
    #expect(document.body.tasks.map(\.line) == [18, 19])
    #expect(document.body.tasks.map(\.sectionIndex) == [3, 3])
  }

  @Test func noFrontMatter() {
    let document = parse("# Title\n\nText.\n")
    #expect(document.frontMatter == nil)
    #expect(document.bodyStartLine == 1)
    #expect(document.diagnostics.isEmpty)
    #expect(document.body.headings.first?.line == 1)
  }

  @Test func dashesAfterABlankLineAreNotFrontMatter() {
    let document = parse("\n---\na: 1\n---\n")
    #expect(document.frontMatter == nil)
    #expect(document.diagnostics.isEmpty)
  }

  @Test func frontMatterClosedByDotsAndTrailingBlanks() throws {
    let document = parse("---  \ntitle: x\n...\t\nBody\n")
    #expect(document.diagnostics.isEmpty)
    #expect(try #require(document.frontMatter).closingLine == 3)
    #expect(document.bodyStartLine == 4)
    #expect(document.body.textRuns.first?.line == 4)
  }

  @Test func emptyFrontMatterIsAnEmptyObject() throws {
    let document = parse("---\n---\n# T\n")
    #expect(document.diagnostics.isEmpty)
    #expect(try #require(document.frontMatter).value == .object(JSONObject()))
  }

  @Test func unterminatedFrontMatter() {
    let document = parse("---\ntitle: x\nowner: ana\n\n# Heading\n")
    #expect(located(document.diagnostics) == ["parse/front-matter-unterminated 1:1"])
    #expect(document.frontMatter == nil)
    #expect(document.body.headings.map(\.text) == ["Heading"])
  }

  @Test func malformedFrontMatterYAMLHasAbsolutePosition() {
    let document = parse("---\ntitle: x\nowner: [ana\nstatus: draft\n---\n# T\n")
    #expect(document.diagnostics.map(\.rule) == ["parse/yaml"])
    // libyaml notices the unclosed `[` on the next key (file line 4).
    #expect(document.diagnostics.first?.line == 4)
    #expect(document.frontMatter == nil)
    #expect(document.bodyStartLine == 6)
    #expect(document.body.headings.first?.line == 6)
  }

  @Test func tabsInFrontMatter() {
    let document = parse("---\nowner:\n\tname: ana\n---\n")
    #expect(located(document.diagnostics) == ["parse/yaml 3:1"])
    #expect(document.diagnostics.first?.message.contains("tab") == true)
  }

  @Test func duplicateKeyInFrontMatter() {
    let document = parse("---\ntitle: a\nstatus: draft\ntitle: b\n---\n")
    #expect(located(document.diagnostics) == ["parse/duplicate-key 4:1"])
    #expect(document.diagnostics.first?.related.first?.line == 2)
    #expect(document.field("title") == "a")
  }

  @Test func crlfLineEndings() throws {
    let text = Self.spec.replacingOccurrences(of: "\n", with: "\r\n")
    let document = parse(text)
    #expect(document.diagnostics.isEmpty)
    #expect(document.text.contains("\r\n"))
    #expect(document.field("title") == "Faster checkout")
    #expect(document.position(ofField: "status") == SourcePosition(line: 4, column: 1))
    #expect(document.frontMatter?.content.sourceMap.values["/status"] == SourcePosition(line: 4, column: 9))
    let body = document.body
    #expect(body.headings.map(\.text) == ["Faster checkout", "Problem", "Definition of Done"])
    #expect(body.headings.map(\.line) == [10, 12, 16])
    #expect(body.tasks.map(\.text) == ["Tests written", "Docs updated"])
    #expect(body.tasks.map(\.checked) == [false, true])
    for run in body.textRuns { #expect(!run.text.contains("\r")) }
    for section in body.sections {
      for block in section.blocks { #expect(!block.text.contains("\r"), "\(block)") }
    }
    #expect(body.sections.last?.blocks.first?.line == 18)
  }

  @Test func byteOrderMarkIsRemoved() throws {
    let document = parse(bytes: [0xEF, 0xBB, 0xBF] + Array("---\ntitle: é\n---\n# Héading\n".utf8))
    #expect(document.diagnostics.isEmpty)
    #expect(!document.text.hasPrefix("\u{FEFF}"))
    #expect(document.field("title") == "é")
    #expect(document.position(ofField: "title") == SourcePosition(line: 2, column: 1))
    #expect(document.body.headings.first.map { [$0.line, $0.column] } == [4, 1])
  }

  @Test func invalidUTF8IsLocatedAtTheFirstBadByte() {
    // Line 3 is "héllo \xFF": the bad byte is the 7th scalar position.
    let bytes = Array("---\ntitle: x\n".utf8) + Array("héllo ".utf8) + [0xFF] + Array(" more\n".utf8)
    let document = parse(bytes: bytes)
    #expect(located(document.diagnostics) == ["parse/encoding 3:7"])
    #expect(document.frontMatter == nil)
  }

  @Test func truncatedSequenceAndSurrogatesAreInvalid() {
    #expect(located(parse(bytes: Array("ab".utf8) + [0xE2, 0x82]).diagnostics) == ["parse/encoding 1:3"])
    #expect(located(parse(bytes: [0x61, 0xED, 0xA0, 0x80]).diagnostics) == ["parse/encoding 1:2"])
    #expect(located(parse(bytes: [0x0A, 0xC0, 0xAF]).diagnostics) == ["parse/encoding 2:1"])
  }

  @Test func binaryFile() {
    let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]
    let document = parse(bytes: bytes)
    #expect(document.diagnostics.map(\.rule) == ["parse/binary"])
    #expect(document.diagnostics.first?.line == 3)
    #expect(document.diagnostics.first?.column == 1)
    #expect(document.body == MarkdownTree())
  }

  @Test func emptyFile() {
    #expect(located(parse("").diagnostics) == ["parse/empty 1:1"])
    #expect(located(parse(" \n\r\n\t\n").diagnostics) == ["parse/empty 1:1"])
    #expect(located(parse(bytes: [0xEF, 0xBB, 0xBF]).diagnostics) == ["parse/empty 1:1"])
  }

  @Test func fileOverTheSizeCapIsNotParsed() {
    var limits = ParseLimits()
    limits.maxFileBytes = 64
    let document = parse(String(repeating: "# big\n", count: 20), limits: limits)
    #expect(located(document.diagnostics) == ["parse/too-large 1:1"])
    #expect(document.body.headings.isEmpty)
    #expect(document.diagnostics.first?.message.contains("120 bytes") == true)
    #expect(parse(String(repeating: "# ok\n", count: 12), limits: limits).diagnostics.isEmpty)
  }

  @Test func conflictMarkers() {
    let text = """
      ---
      title: x
      ---
      # Title

      <<<<<<< HEAD
      Our text.
      ||||||| base
      Base text.
      =======
      Their text.
      >>>>>>> feature/x

      ```
      <<<<<<< not a marker inside code
      ```

      Setext heading
      =======
      """
    let document = parse(text)
    #expect(
      located(document.diagnostics) == [
        "parse/conflict-marker 6:1", "parse/conflict-marker 8:1", "parse/conflict-marker 10:1",
        "parse/conflict-marker 12:1",
      ])
    // (The conflict's `=======` also underlines a setext heading: Markdown sees what Git left.)
    #expect(document.body.headings.last?.text == "Setext heading")
  }

  @Test func conflictMarkersInFrontMatter() {
    let document = parse("---\n<<<<<<< HEAD\ntitle: a\n=======\ntitle: b\n>>>>>>> x\n---\n")
    let markers = document.diagnostics.filter { $0.rule == "parse/conflict-marker" }.map(\.line)
    #expect(markers == [2, 4, 6])
  }

  @Test func deeplyNestedFrontMatter() {
    let yaml = "deep: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    let document = parse("---\n\(yaml)\n---\n# Body\n")
    #expect(document.diagnostics.map(\.rule) == ["parse/too-deep"])
    #expect(document.diagnostics.first?.line == 2)
    #expect(document.body.headings.map(\.text) == ["Body"])
  }

  @Test func aliasBombInFrontMatter() {
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...9 {
      yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    let document = parse("---\n\(yaml)---\n")
    #expect(document.diagnostics.map(\.rule) == ["parse/alias-bomb"])
    #expect((2...11).contains(document.diagnostics.first?.line ?? 0))
  }

  /// Issue 13, row 6: a table row wider than `maxTableColumns` is reported
  /// before cmark-gfm's table extension (quadratic in a row's cells) sees it,
  /// and the body is read without tables: the row stays one paragraph, not
  /// 2,000 cells, and the rest of the body is still read.
  @Test func tooWideTableIsReportedAndReadWithoutTables() {
    func table(columns: Int) -> String {
      let header = "|" + (0..<columns).map { "c\($0)|" }.joined()
      let delimiter = "|" + String(repeating: "-|", count: columns)
      return header + "\n" + delimiter + "\n"
    }
    let wide = parse("---\ntitle: T\n---\n# Before\n\n" + table(columns: 2_000) + "\n## After\n")
    #expect(located(wide.diagnostics) == ["parse/too-complex 6:1"])
    #expect(wide.body.headings.map(\.text) == ["Before", "After"])
    #expect(wide.body.textRuns.count < 10)

    let narrow = parse("# Before\n\n" + table(columns: 500) + "\n## After\n")
    #expect(narrow.diagnostics.isEmpty)
    #expect(narrow.body.textRuns.count >= 500, "a table: one run per cell")

    var limits = ParseLimits.default
    limits.maxTableColumns = 10
    #expect(located(parse("intro\n\n" + table(columns: 11), limits: limits).diagnostics) == ["parse/too-complex 3:1"])
    #expect(parse("intro\n\n" + table(columns: 10), limits: limits).diagnostics.isEmpty)
    // Many pipes without a delimiter row cannot be a table: nothing to report.
    #expect(parse(String(repeating: "a|", count: 20) + "\n", limits: limits).diagnostics.isEmpty)
  }

  /// Issue 13, row 5: a body whose Markdown would make more nodes than
  /// `maxMarkdownNodes` (one 1 MB line of `*a*a…` made cmark-gfm build 500,000
  /// emphasis nodes: 1 s and 200 MB in cmark-gfm alone) is reported at the line
  /// where the estimate passes the limit, before cmark-gfm runs, and the body
  /// is read up to the line before. Ordinary documents stay far below it.
  @Test func tooManyMarkdownNodesAreReportedAndTheBodyCutBeforeThem() throws {
    let before = "# Before\n\nSome *prose* with a [link](x) and `code`.\n\n"
    let dense = parse("---\ntitle: T\n---\n" + before + String(repeating: "*a", count: 200_000) + "\n\n## After\n")
    #expect(located(dense.diagnostics) == ["parse/too-complex 8:1"])
    #expect(dense.diagnostics.first?.message.contains("limits.max-markdown-nodes") == true)
    #expect(dense.body.headings.map(\.text) == ["Before"], "read up to the line before")
    #expect(dense.body.textRuns.count < 10)
    #expect(dense.text.hasSuffix("## After\n"), "the text itself is kept")

    var limits = ParseLimits.default
    limits.maxMarkdownNodes = 40
    // Many short lines count too (a line is a block or a soft break), and so does an `@`.
    #expect(
      located(parse(String(repeating: "line\n", count: 41), limits: limits).diagnostics) == ["parse/too-complex 41:1"])
    #expect(parse(String(repeating: "line\n", count: 40), limits: limits).diagnostics.isEmpty)
    #expect(
      located(parse(String(repeating: "a@b.co ", count: 20) + "\n", limits: limits).diagnostics) == [
        "parse/too-complex 1:1"
      ])
    #expect(parse(String(repeating: "a@b.co ", count: 19) + "\n", limits: limits).diagnostics.isEmpty)
    // Each `@` also pays for cmark-gfm's copy of its line.
    let longLine = String(repeating: "a@b.co ", count: 5) + String(repeating: "x", count: 2_560) + "\n"
    #expect(located(parse(longLine, limits: limits).diagnostics) == ["parse/too-complex 1:1"])

    // This repository's own long documents cost well under the default.
    let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(!parse(readme).diagnostics.contains { $0.rule == "parse/too-complex" })
  }

  @Test func markdownNodeLimitComesFromKeelYAML() throws {
    let snapshot = MemorySnapshot(texts: [
      "keel.yaml": "version: 1\nkinds:\n  prd:\n    include: [\"specs/*.md\"]\nlimits:\n  max-markdown-nodes: 5\n",
      "specs/a.md": "# A\n\none *two* three\n",
    ])
    let diagnostics = try Checker(snapshot: snapshot).run().diagnostics
    #expect(located(diagnostics) == ["parse/too-complex 3:1"])
  }

  @Test func tableColumnLimitComesFromKeelYAML() throws {
    let snapshot = MemorySnapshot(texts: [
      "keel.yaml": "version: 1\nkinds:\n  prd:\n    include: [\"specs/*.md\"]\nlimits:\n  max-table-columns: 3\n",
      "specs/a.md": "# A\n\n|a|b|c|d|\n|-|-|-|-|\n",
    ])
    let diagnostics = try Checker(snapshot: snapshot).run().diagnostics
    #expect(located(diagnostics) == ["parse/too-complex 3:1"])
  }
}
