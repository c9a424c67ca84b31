import Foundation
import JSONSchema
import Testing

@testable import KeelCore

/// YAML and JSON files as documents (issue 10, item 1): the whole file is the fields.
@Suite("YAML and JSON documents")
struct DataDocumentParsingTests {
  private func located(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.rule) \($0.line):\($0.column)" }
  }

  @Test func formatFromPath() {
    #expect(DocumentFormat(path: "a/b.md") == .frontMatter)
    #expect(DocumentFormat(path: "a/b.MD", header: .list) == .headerList)
    #expect(DocumentFormat(path: "kep.yaml") == .yaml)
    #expect(DocumentFormat(path: "kep.yml", header: .list) == .yaml)
    #expect(DocumentFormat(path: "x.json") == .json)
    #expect(DocumentFormat(path: "x.rst") == nil)
    #expect(DocumentFormat(path: "README") == nil)
    #expect(DocumentFormat.of(path: "README") == .frontMatter)
  }

  @Test func yamlFileIsItsFields() throws {
    let text = "# KEP metadata\ntitle: Faster checkout\nkep-number: 1234\nstatus: implementable\nauthors:\n  - ana\n"
    let document = DocumentParser.parse(path: "keps/a/kep.yaml", data: Data(text.utf8))
    #expect(document.format == .yaml)
    #expect(document.diagnostics.isEmpty)
    #expect(document.field("status") == "implementable")
    #expect(document.frontMatter?.value.objectValue?["kep-number"] == .integer(1234))
    #expect(document.position(ofField: "status") == SourcePosition(line: 4, column: 1))
    #expect(document.frontMatter?.content.sourceMap.values["/authors/0"] == SourcePosition(line: 6, column: 5))
    #expect(document.body.headings.isEmpty)
    #expect(document.frontMatter?.yamlLines == 1..<8)  // the empty line after the last newline counts
  }

  @Test("a leading '---' starts the one document; a second one, duplicates and syntax errors are located")
  func yamlFindings() {
    let marked = DocumentParser.parse(path: "a.yaml", data: Data("---\nstatus: draft\n".utf8))
    #expect(marked.diagnostics.isEmpty)
    #expect(marked.field("status") == "draft")

    let broken = DocumentParser.parse(path: "a.yaml", data: Data("status: a\nstatus: b\n---\nx: 1\n".utf8))
    #expect(located(broken.diagnostics) == ["parse/duplicate-key 2:1", "parse/multiple-documents 3:1"])
    #expect(broken.field("status") == "a")

    let syntax = DocumentParser.parse(path: "a.yml", data: Data("title: [unclosed\nstatus: draft\n".utf8))
    #expect(syntax.frontMatter == nil)
    #expect(syntax.diagnostics.map(\.rule) == ["parse/yaml"])

    let empty = DocumentParser.parse(path: "a.yaml", data: Data("  \n".utf8))
    #expect(empty.diagnostics.map(\.rule) == ["parse/empty"])
    let comments = DocumentParser.parse(path: "a.yaml", data: Data("# nothing yet\n".utf8))
    #expect(comments.frontMatter?.value == .object(JSONObject()))
  }

  @Test func jsonFile() throws {
    let text = "{\n  \"status\": \"draft\",\n  \"tags\": [\"a\"],\n  \"status\": {\"x\": 1}\n}\n"
    let document = DocumentParser.parse(path: "d.json", data: Data(text.utf8))
    #expect(document.format == .json)
    #expect(located(document.diagnostics) == ["parse/duplicate-key 4:3"])
    #expect(document.diagnostics.first?.related.first?.line == 2)
    // The first value is kept, with its positions; the repeated member leaves none behind.
    #expect(document.field("status") == "draft")
    #expect(document.frontMatter?.content.sourceMap.values["/status"] == SourcePosition(line: 2, column: 13))
    #expect(document.frontMatter?.content.sourceMap.values.keys.contains { $0.hasPrefix("/status/") } == false)
    #expect(document.frontMatter?.yamlLines.isEmpty == true)

    let broken = DocumentParser.parse(path: "d.json", data: Data("{\"status\": draft}".utf8))
    #expect(located(broken.diagnostics) == ["parse/json 1:12"])
    #expect(broken.frontMatter == nil)
  }

  @Test func jsonParserKeepsLastWithoutTheOption() throws {
    let parsed = try JSONParser.parse(Data("{\"a\": 1, \"a\": 2}".utf8))
    #expect(parsed.value.objectValue?["a"] == .integer(2))
  }

  @Test("the editor changes only the value's bytes in YAML and JSON documents")
  func editor() throws {
    let yaml = "# c\nid: D-1\nstatus: proposed   # state\n"
    let editedYAML = try FrontMatterEditor.replacingValue(
      of: "status", with: "accepted", in: Data(yaml.utf8), path: "d.yaml")
    #expect(String(decoding: editedYAML, as: UTF8.self) == "# c\nid: D-1\nstatus: accepted   # state\n")

    let json = "{\"id\": \"D-1\", \"status\": null, \"x\": 1}\n"
    let editedJSON = try FrontMatterEditor.replacingValue(
      of: "status", with: "a\u{1B}\"b", in: Data(json.utf8), path: "d.json")
    #expect(
      String(decoding: editedJSON, as: UTF8.self) == "{\"id\": \"D-1\", \"status\": \"a\\u001B\\\"b\", \"x\": 1}\n")

    let multiline = "{\n  \"status\": 3,\n  \"x\": 1\n}\n"
    let editedNumber = try FrontMatterEditor.replacingValue(
      of: "status", with: "review", in: Data(multiline.utf8), path: "d.json")
    #expect(String(decoding: editedNumber, as: UTF8.self) == "{\n  \"status\": \"review\",\n  \"x\": 1\n}\n")
  }

  @Test("history's fast scalar reader agrees with the parser on whole YAML files")
  func fastWholeFile() {
    let inputs = [
      "title: A\nstatus: draft\n", "# c\nstatus: 'it''s'\nn: 12\n", "---\nstatus: draft\n",
      "status: draft\n...\n", "list:\n  - a\nstatus: \"x\"\n", "status: |\n  long\n", "", "- a\n- b\n",
      "a: 1\na: 2\n", "status: draft\r\nowner: ana\r\n",
    ]
    for input in inputs {
      let data = Data(input.utf8)
      #expect(
        FrontMatterScalars.read(data, path: "x.yaml") == FrontMatterScalars.parsed(data, path: "x.yaml"),
        "\(input.debugDescription)")
    }
    #expect(
      FrontMatterScalars.fastRead(Data("title: A\nstatus: draft\n".utf8), wholeFile: true) == [
        "title": "A", "status": "draft",
      ])
    #expect(FrontMatterScalars.fastRead(Data("---\nstatus: draft\n".utf8), wholeFile: true) == nil)
  }

  @Test("the scalar cache keeps a blob's fields per format, also across a save and load")
  func scalarCacheFormats() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-scalars-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("scalars.bin")
    let blob = String(repeating: "ab", count: 20)
    let data = Data("status: draft\n".utf8)
    let cache = ScalarCache(file: file)
    #expect(cache.fields(ofBlob: blob, path: "a.md", read: { _ in data }) == [:])
    #expect(cache.fields(ofBlob: blob, path: "a.yaml", read: { _ in data }) == ["status": "draft"])
    cache.save()
    let reloaded = ScalarCache(file: file)
    let unreadable: (String) throws -> Data = { _ in throw KeelError("not read again") }
    #expect(reloaded.fields(ofBlob: blob, path: "a.md", read: unreadable) == [:])
    #expect(reloaded.fields(ofBlob: blob, path: "b.yml", read: unreadable) == ["status": "draft"])
  }

  @Test("new documents from YAML and JSON templates escape values for their language")
  func newFromTemplates() throws {
    let values = NewDocument.Values(title: "Say \"hi\": now", owner: nil, date: "2026-01-02")
    let yaml = Template.parse(Data("id: D-000\ntitle: {{title}}\ndate: {{date}}\n".utf8), path: "t/d.yaml")
    let renderedYAML = try NewDocument.render(template: yaml, values: values, idField: "id", id: "D-007")
    #expect(
      String(decoding: renderedYAML, as: UTF8.self)
        == "id: D-007\ntitle: \"Say \\\"hi\\\": now\"\ndate: \"2026-01-02\"\n")

    let json = Template.parse(
      Data("{\"id\": \"D-000\", \"title\": \"{{title}}\", \"t\": {{title}}}\n".utf8), path: "t/d.json")
    let renderedJSON = try NewDocument.render(template: json, values: values, idField: "id", id: "D-007")
    let text = String(decoding: renderedJSON, as: UTF8.self)
    #expect(text == "{\"id\": \"D-007\", \"title\": \"Say \\\"hi\\\": now\", \"t\": \"Say \\\"hi\\\": now\"}\n")
    #expect(NewDocument.fieldScalar("id", in: renderedJSON, format: .json) == "D-007")
    #expect(NewDocument.fieldScalar("n", in: Data("n: 42\n".utf8), format: .yaml) == "42")
  }
}
