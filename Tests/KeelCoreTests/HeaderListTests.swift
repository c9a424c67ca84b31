import Foundation
import JSONSchema
import Testing

@testable import KeelCore

/// `header: list`: a Markdown document's fields are its leading `- Key: value` list (issue 10, item 3).
@Suite("Header lists")
struct HeaderListTests {
  static let rfc = """
    - Feature Name: fn_traits
    - Start Date: 2014-09-30
    - RFC PR:   [rust-lang/rfcs#259](https://github.com/rust-lang/rfcs/pull/259)
    - Rust Issue: 42
    - **Status**: active
    - Shepherd:

    # Summary

    Closures as traits.

    """

  private func parse(_ text: String) -> Document {
    DocumentParser.parse(path: "text/0259-fn-traits.md", data: Data(text.utf8), kind: "rfc", format: .headerList)
  }

  @Test func fieldsWithPositions() throws {
    let document = parse(Self.rfc)
    #expect(document.diagnostics.isEmpty)
    let fields = try #require(document.frontMatter?.value.objectValue)
    #expect(fields.keys.map { $0 } == ["feature-name", "start-date", "rfc-pr", "rust-issue", "status", "shepherd"])
    // Values are YAML 1.2 core-schema scalars, typed by the one typer front matter uses.
    #expect(fields["feature-name"] == .string("fn_traits"))
    #expect(fields["start-date"] == .string("2014-09-30"))
    #expect(fields["rfc-pr"] == .string("[rust-lang/rfcs#259](https://github.com/rust-lang/rfcs/pull/259)"))
    #expect(fields["rust-issue"] == .integer(42))
    #expect(fields["shepherd"] == .null)
    #expect(document.position(ofField: "rfc-pr") == SourcePosition(line: 3, column: 3))
    #expect(document.frontMatter?.content.sourceMap.values["/rfc-pr"] == SourcePosition(line: 3, column: 13))
    #expect(document.frontMatter?.content.sourceMap.values["/status"] == SourcePosition(line: 5, column: 15))
    #expect(document.bodyStartLine == 7)
    #expect(document.body.headings.map(\.text) == ["Summary"])
    #expect(document.body.headings.first?.line == 8)
  }

  @Test func keys() {
    #expect(HeaderList.key("Feature Name") == "feature-name")
    #expect(HeaderList.key("  RFC  PR ") == "rfc-pr")
    #expect(HeaderList.key("**Status**") == "status")
    #expect(HeaderList.key("Zoë's Team") == "zoë-s-team")
  }

  @Test("a bad item and a repeated key are located; a file without a list has no fields")
  func findings() {
    let document = parse("\n- Feature Name: x\n- just text\n- feature name: y\n\n# Summary\n")
    #expect(
      document.diagnostics.map { "\($0.rule) \($0.line):\($0.column)" } == [
        "parse/header-list 3:3", "parse/duplicate-key 4:3",
      ])
    #expect(document.field("feature-name") == "x")
    #expect(document.frontMatter?.openingLine == 2)

    let none = parse("# Summary\n\n- Feature Name: x\n")
    #expect(none.frontMatter == nil)
    #expect(none.body.headings.map(\.text) == ["Summary"])
  }

  @Test("the editor replaces a list item's value and keeps every other byte")
  func editor() throws {
    let text = "- Feature Name: fn_traits\r\n- Status:   draft  \r\n- Owner:\r\n\r\n# Summary\r\n"
    let edited = try FrontMatterEditor.replacingValue(
      of: "status", with: "accepted", in: Data(text.utf8), path: "a.md", format: .headerList)
    #expect(
      String(decoding: edited, as: UTF8.self)
        == "- Feature Name: fn_traits\r\n- Status:   accepted  \r\n- Owner:\r\n\r\n# Summary\r\n")
    let filled = try FrontMatterEditor.replacingValue(
      of: "owner", with: "ana", in: Data(text.utf8), path: "a.md", format: .headerList)
    #expect(String(decoding: filled, as: UTF8.self).contains("\r\n- Owner: ana\r\n"))
    // A value that would read back as another type is refused, not written.
    #expect(throws: KeelError.self) {
      try FrontMatterEditor.replacingValue(
        of: "status", with: "true", in: Data(text.utf8), path: "a.md", format: .headerList)
    }
  }

  @Test("history reads a header list's fields and the sections after it")
  func facts() {
    let facts = DocumentFacts.read(Data(Self.rfc.utf8), path: "a.md", format: .headerList)
    #expect(facts.fields["status"] == .string("active"))
    #expect(facts.sections.map(\.heading) == ["Summary"])
    #expect(FrontMatterScalars.read(Data(Self.rfc.utf8), path: "a.md", format: .headerList)["status"] == "active")
    #expect(FrontMatterScalars.read(Data(Self.rfc.utf8), path: "a.md")["status"] == nil)
  }
}
