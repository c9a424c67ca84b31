import Foundation
import Testing

@testable import KeelCore

@Suite("MarkdownParser")
struct ParsingMarkdownTests {
  @Test func atxHeadingsWithClosingHashesAndTrailingSpaces() {
    let tree = MarkdownParser.parse("# Title\n\n## Problem ##   \n\n  ### The *new* `api` flow ###\n", firstLine: 10)
    #expect(tree.headings.map(\.text) == ["Title", "Problem", "The new api flow"])
    #expect(tree.headings.map(\.level) == [1, 2, 3])
    #expect(tree.headings.map(\.line) == [10, 12, 14])
    #expect(tree.headings.map(\.column) == [1, 1, 3])
    #expect(tree.headings.allSatisfy { !$0.isSetext })
  }

  @Test func setextHeadings() {
    let tree = MarkdownParser.parse("Intro\n\nBig title\n=========\n\nSmaller\n---\n")
    #expect(tree.headings.map(\.text) == ["Big title", "Smaller"])
    #expect(tree.headings.map(\.level) == [1, 2])
    #expect(tree.headings.map(\.line) == [3, 6])
    #expect(tree.headings.allSatisfy { $0.isSetext })
    #expect(tree.sections.map(\.startLine) == [1, 5, 8])
    #expect(tree.sections.map(\.endLine) == [2, 5, 7])
  }

  /// Found by the FuzzMarkdown fuzz target: cmark ends a line at a lone `\r`, keel's line table
  /// did not, so the last section ended before it started ("section 8-6") and every line after a
  /// lone `\r` was misnumbered.
  @Test func aLoneCarriageReturnEndsALine() {
    let tree = MarkdownParser.parse("# A\rtext\r\n## B\rmore\n", firstLine: 5)
    #expect(tree.headings.map(\.line) == [5, 7])
    #expect(tree.sections.map(\.startLine) == [1 + 4, 6, 8])
    #expect(tree.sections.map(\.endLine) == [4, 6, 8])
    #expect(tree.headings.allSatisfy { !$0.isSetext })
    let document = DocumentParser.parse(path: "a.md", data: Data("---\rtitle: T\r---\r# A\rbody\r".utf8))
    #expect(document.field("title") == "T")
    #expect(document.body.headings.map(\.line) == [4])
    #expect(document.body.sections.last.map { $0.startLine...$0.endLine } == 5...5)
  }

  /// Found by the FuzzMarkdown fuzz target: cmark ends a setext heading on the line of an ATX
  /// heading right below it, so the setext heading's section ended before it started.
  @Test func aSetextHeadingRightAboveAnotherHeadingHasAnEmptySection() {
    let tree = MarkdownParser.parse("Setext\n====\n## Next\ntext\n", firstLine: 5)
    #expect(tree.headings.map(\.line) == [5, 7])
    #expect(tree.sections.map(\.heading?.text) == [nil, "Setext", "Next"])
    #expect(tree.sections.allSatisfy { $0.startLine <= $0.endLine + 1 }, "\(tree.sections)")
    #expect(tree.sections[1].startLine == 7 && tree.sections[1].endLine == 6)
    #expect(tree.sections[2].startLine...tree.sections[2].endLine == 8...8)
  }

  @Test func headingsInCodeBlocksQuotesAndListsAreNotSectionHeadings() {
    let text = """
      # Real

      ```markdown
      # Not a heading
      ```

          # indented code

      > # quoted

      - # in a list
      """
    let tree = MarkdownParser.parse(text)
    #expect(tree.headings.map(\.text) == ["Real"])
    #expect(tree.sections.count == 2)
    #expect(tree.sections[1].blocks.map(\.kind) == [.codeBlock, .codeBlock, .blockQuote, .list])
    #expect(tree.sections[1].blocks[0].text == "# Not a heading")
  }

  @Test func sectionsAndBlocks() throws {
    let text = """
      Preamble text.

      # Title

      ## Problem
      <!-- optional -->

      Users abandon carts.
      Second line.

      | a | b |
      |---|---|
      | 1 | 2 |

      ---

      ## Empty
      <!-- optional -->

      """
    let tree = MarkdownParser.parse(text, firstLine: 5)
    #expect(tree.sections.count == 4)
    let preamble = tree.sections[0]
    #expect(preamble.heading == nil)
    #expect(preamble.blocks.map(\.text) == ["Preamble text."])
    #expect(preamble.startLine == 5)
    #expect(preamble.endLine == 6)
    #expect(tree.sections[1].heading?.text == "Title")
    #expect(tree.sections[1].blocks.isEmpty)
    #expect(tree.sections[1].isEmpty)
    let problem = tree.sections[2]
    #expect(problem.heading?.line == 9)
    #expect(problem.blocks.map(\.kind) == [.htmlBlock, .paragraph, .table, .thematicBreak])
    #expect(problem.blocks[0].text == "<!-- optional -->")
    #expect(problem.blocks[1].text == "Users abandon carts. Second line.")
    #expect(problem.blocks[1].line == 12)
    #expect(problem.blocks[1].column == 1)
    #expect(problem.blocks[1].endLine == 13)
    #expect(problem.blocks[2].text.contains("1\t2"))
    #expect(problem.startLine == 10)
    #expect(problem.endLine == 20)
    #expect(!problem.isEmpty)
    let empty = tree.sections[3]
    #expect(empty.heading?.text == "Empty")
    #expect(empty.isEmpty)
    #expect(empty.endLine == 22)
  }

  @Test func nestedTaskLists() {
    let text = """
      # Definition of Done

      - [ ] Tests written
        - [x] Unit *tests*
          - [ ] Edge cases
      - [X] Docs updated
      - plain item
        - [ ] nested under a plain item

      ## Other
      1. [x] ordered task
      """
    let tree = MarkdownParser.parse(text, firstLine: 3)
    #expect(
      tree.tasks.map(\.text) == [
        "Tests written", "Unit tests", "Edge cases", "Docs updated", "nested under a plain item", "ordered task",
      ])
    #expect(tree.tasks.map(\.checked) == [false, true, false, true, false, true])
    #expect(tree.tasks.map(\.depth) == [0, 1, 2, 0, 1, 0])
    #expect(tree.tasks.map(\.sectionIndex) == [1, 1, 1, 1, 1, 2])
    #expect(tree.tasks.map(\.line) == [5, 6, 7, 8, 10, 13])
    #expect(tree.tasks.map(\.column) == [1, 3, 5, 1, 3, 1])
  }

  @Test func links() {
    let text = """
      See [the RFC](../rfcs/12.md "title") and ![diagram](img/d.png).
      Also <https://example.com/x> and www.example.org plus [ref][r].
      Ünïcode → [here](a.md).

      [r]: https://ref.example
      """
    let tree = MarkdownParser.parse(text)
    #expect(
      tree.links.map(\.destination) == [
        "../rfcs/12.md", "img/d.png", "https://example.com/x", "http://www.example.org", "https://ref.example", "a.md",
      ])
    #expect(
      tree.links.map(\.text) == ["the RFC", "diagram", "https://example.com/x", "www.example.org", "ref", "here"])
    #expect(tree.links.map(\.isImage) == [false, true, false, false, false, false])
    #expect(tree.links.map(\.line) == [1, 1, 2, 2, 2, 3])
    #expect(tree.links.map(\.column) == [5, 42, 6, 34, 55, 11])
  }

  @Test func textRunsHaveExactScalarColumns() {
    let text = """
      Ça va: l'équipe 😀 utilise `whitelist` ici et whitelist là.
      """
    let tree = MarkdownParser.parse(text, firstLine: 7)
    let run = tree.textRuns.first { $0.text.contains("et whitelist") }
    #expect(run != nil)
    if let run {
      let offset = run.text.unicodeScalars.distance(
        from: run.text.unicodeScalars.startIndex,
        to: run.text.range(of: "whitelist")!.lowerBound.samePosition(in: run.text.unicodeScalars)!)
      // "Ça va: l'équipe 😀 utilise `whitelist` ici et " is 45 scalars long.
      #expect(run.line == 7)
      #expect(run.column + offset == 46)
    }
    // Code spans are not prose.
    #expect(!tree.textRuns.contains { $0.text == "whitelist" })
    #expect(tree.textRuns.first?.column == 1)
  }

  @Test func textRunsOnIndentedContinuationLinesAndAfterEscapes() {
    let text = "Para one\n   continued *here* \\*star &amp; more\n\n- item\n  with continuation\n"
    let tree = MarkdownParser.parse(text)
    let byText = Dictionary(tree.textRuns.map { ($0.text, [$0.line, $0.column]) }, uniquingKeysWith: { a, _ in a })
    #expect(byText["Para one"] == [1, 1])
    #expect(byText["continued "] == [2, 4])
    #expect(byText["here"] == [2, 15])
    #expect(byText[" *star & more"] == [2, 20])
    #expect(byText["item"] == [4, 3])
    #expect(byText["with continuation"] == [5, 3])
  }

  @Test func textRunsSkipCodeHTMLAndURLs() {
    let text = """
      Text `code` <span>inline</span> [link text](https://x.example/secret) https://bare.example end.

      ```
      code block words
      ```

      <div>
      html block words
      </div>
      """
    let tree = MarkdownParser.parse(text)
    let all = tree.textRuns.map(\.text).joined(separator: "|")
    #expect(!all.contains("code"))
    #expect(!all.contains("secret"))
    #expect(!all.contains("bare.example"))
    #expect(!all.contains("html block"))
    #expect(!all.contains("<span>"))
    #expect(all.contains("link text"))
    #expect(all.contains("inline"))
    let end = tree.textRuns.first { $0.text.contains("end.") }
    #expect(end.map { [$0.line, $0.column] } == [1, 91])
  }

  @Test func tableCellRuns() {
    let text = "| Name | Rôle |\n|---|---|\n| ana | lead é |\n"
    let tree = MarkdownParser.parse(text, firstLine: 2)
    let cell = tree.textRuns.first { $0.text == "lead é" }
    #expect(cell.map { [$0.line, $0.column] } == [4, 9])
    #expect(tree.textRuns.first { $0.text == "Rôle" }.map { [$0.line, $0.column] } == [2, 10])
  }

  @Test func crlfBody() {
    let text = "# Title  \r\n\r\nSome text\r\nmore text\r\n\r\n- [x] done\r\n\r\n<!-- optional -->\r\n"
    let tree = MarkdownParser.parse(text, firstLine: 4)
    #expect(tree.headings.map(\.text) == ["Title"])
    #expect(tree.headings.first?.line == 4)
    #expect(tree.textRuns.map(\.text) == ["Title", "Some text", "more text", "done"])
    #expect(tree.textRuns.map(\.line) == [4, 6, 7, 9])
    #expect(tree.tasks.first.map { [$0.line, $0.column] } == [9, 1])
    #expect(tree.sections[1].blocks.map(\.text) == ["Some text more text", "done", "<!-- optional -->"])
    #expect(tree.sections[1].endLine == 11)
  }

  @Test func emptyBody() {
    let tree = MarkdownParser.parse("", firstLine: 5)
    #expect(tree.headings.isEmpty)
    #expect(tree.sections.count == 1)
    #expect(tree.sections[0].blocks.isEmpty)
  }

  @Test func deeplyNestedMarkdownDoesNotCrash() {
    let quotes = String(repeating: ">", count: 10_000) + " deep\n"
    let lists = (0..<1_000).map { String(repeating: "  ", count: $0) + "- item" }.joined(separator: "\n")
    let emphasis = String(repeating: "*a ", count: 5_000) + String(repeating: "b*", count: 5_000)
    for text in [quotes, lists, emphasis, String(repeating: "[", count: 10_000)] {
      let tree = MarkdownParser.parse(text)
      #expect(tree.sections.count == 1)
    }
  }

  /// Issue 13, row 5: one long line with a node every two bytes. Columns come
  /// from a table of scalar counts built once (at most two 64-byte blocks are
  /// scanned per column), not from a scan of the line per node.
  @Test func longLineColumnsAreExact() {
    let line = "é" + String(repeating: "*a", count: 10_000) + " ünï"
    let tree = MarkdownParser.parse(line + "\n")
    #expect(tree.textRuns.count >= 10_000)
    let bytes = Array(line.utf8)
    let table = LineTable(bytes + [0x0A])
    // Every run's column against a direct count of the scalars before its text.
    var checked = 0
    for run in tree.textRuns where run.text == "a" {
      guard let offset = table.byteOffset(line: 1, scalarColumn: run.column) else { continue }
      #expect(bytes[offset] == UInt8(ascii: "a"))
      checked += 1
    }
    #expect(checked >= 5_000)
    #expect(tree.textRuns.last?.column == line.unicodeScalars.count - 4)  // the final "a ünï"
  }

  @Test func lineTableColumnsMatchAScalarCount() {
    let pieces = ["a", "é", "€", "😀", "a", "\n", "b", "\r\n", " "]
    // Deterministic mix; lines of many lengths, straddling the 64-byte blocks.
    let text = (0..<3_000).map { pieces[($0 * $0 / 7 + $0 / 13) % pieces.count] }.joined()
    let bytes = Array(text.utf8)
    let table = LineTable(bytes)
    for line in 1...table.lineCount {
      let start = table.lineStarts[line - 1]
      let range = table.contentRange(ofLine: line)
      var expected = 1
      for offset in 0...(range.upperBound - start) {
        #expect(table.scalarColumn(line: line, byteOffsetInLine: offset) == expected)
        if start + offset < bytes.count, bytes[start + offset] & 0xC0 != 0x80 { expected += 1 }
      }
    }
  }
}
