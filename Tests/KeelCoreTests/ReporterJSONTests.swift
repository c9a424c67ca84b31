import Foundation
import JSONSchema
import KeelTestSupport
import Testing

@testable import KeelCore

@Suite struct ReporterJSONTests {
  private func parse(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any])
  }

  @Test func compactOutputHasTheDocumentedShapeAndKeyOrder() {
    let report = Report(
      toolVersion: "0.1.0", source: "index", documentCount: 2,
      diagnostics: [
        Diagnostic(rule: "schema/required", message: "missing \"owner\"", path: "a.md", line: 3, column: 5)
      ], rules: [])
    #expect(
      JSONReporter(pretty: false).render(report) == """
        {"tool":"keel","version":"0.1.0","source":"index","summary":{"documents":2,"errors":1,"warnings":0,\
        "notes":0,"files":0,"suppressed":0,"baselined":0,"gone":0},\
        "diagnostics":[{"rule":"schema/required","severity":"error","path":"a.md","line":3,"column":5,\
        "message":"missing \\"owner\\"","jsonPointer":null,"schemaLocation":null,"related":[]}],"gone":[],\
        "documents":null}

        """)
  }

  @Test func prettyOutputParsesToTheSameValues() throws {
    let report = ReporterFixtures.review()
    let json = try parse(JSONReporter().render(report))
    #expect(json["tool"] as? String == "keel")
    #expect(json["version"] as? String == "0.1.0")
    #expect(json["source"] as? String == "main..feature")
    let summary = try #require(json["summary"] as? [String: Int])
    #expect(
      summary == [
        "documents": 3, "errors": 3, "warnings": 1, "notes": 0, "files": 0, "suppressed": 0, "baselined": 0, "gone": 0,
      ])
    let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.count == report.diagnostics.count)
    for (decoded, original) in zip(diagnostics, report.diagnostics) {
      #expect(decoded["rule"] as? String == original.rule)
      #expect(decoded["severity"] as? String == original.severity.rawValue)
      #expect(decoded["path"] as? String == original.path)
      #expect(decoded["line"] as? Int == original.line)
      #expect(decoded["column"] as? Int == original.column)
      #expect(decoded["message"] as? String == original.message)
    }
    // Every key is present; null (or an empty list) where the finding has no value.
    #expect(diagnostics[0]["jsonPointer"] as? String == "")
    #expect(diagnostics[0]["schemaLocation"] as? String == "prd.schema.yaml#/required")
    #expect(diagnostics[2]["jsonPointer"] is NSNull)
    #expect(diagnostics[2]["schemaLocation"] is NSNull)
    let related = try #require(diagnostics[1]["related"] as? [[String: Any]])
    #expect(related.first?["path"] as? String == "workflows/spec.yaml")
    #expect(related.first?["line"] as? Int == 7)
    #expect((diagnostics[0]["related"] as? [Any])?.isEmpty == true)
    let documents = try #require(json["documents"] as? [[String: Any]])
    #expect(documents[0]["path"] as? String == "specs/checkout.md")
    #expect(documents[0]["kind"] as? String == "prd")
    #expect(documents[0]["change"] as? String == "modified")
    #expect(documents[0]["stateBefore"] as? String == "draft")
    #expect(documents[0]["stateAfter"] as? String == "approved")
    #expect(documents[0]["previousPath"] is NSNull)
    #expect(documents[1]["stateBefore"] is NSNull)
    #expect(documents[2]["previousPath"] as? String == "specs/price.md")
  }

  @Test func prettyOutputKeepsTheTopLevelOrder() {
    let text = JSONReporter().render(ReporterFixtures.clean())
    #expect(
      text == """
        {
          "tool": "keel",
          "version": "0.1.0",
          "source": "working tree",
          "summary": {
            "documents": 2,
            "errors": 0,
            "warnings": 0,
            "notes": 0,
            "files": 0,
            "suppressed": 0,
            "baselined": 0,
            "gone": 0
          },
          "diagnostics": [],
          "gone": [],
          "documents": null
        }

        """)
  }

  @Test func suppressedBaselinedAndGoneAreCountedAndGoneListed() throws {
    var report = ReporterFixtures.clean()
    let finding = Diagnostic(rule: "r/x", message: "m", path: "a.md", line: 2)
    report.suppressed = [SuppressedDiagnostic(diagnostic: finding, justification: "why")]
    report.baselined = [finding, finding]
    report.gone = [BaselineEntry(rule: "r/y", path: "b.md", fingerprint: "00ff:1", line: 4, message: "fixed")]
    let json = try parse(JSONReporter().render(report))
    let summary = try #require(json["summary"] as? [String: Int])
    #expect(summary["suppressed"] == 1)
    #expect(summary["baselined"] == 2)
    #expect(summary["gone"] == 1)
    let gone = try #require(json["gone"] as? [[String: Any]])
    #expect(gone.count == 1)
    #expect(gone[0]["rule"] as? String == "r/y")
    #expect(gone[0]["path"] as? String == "b.md")
    #expect(gone[0]["line"] as? Int == 4)
    #expect(gone[0]["fingerprint"] as? String == "00ff:1")
    let text = TextReporter().render(report)
    #expect(text.contains("b.md:4: gone: fixed [r/y]"))
    #expect(text.hasSuffix("in 2 documents; 1 suppressed, 2 in the baseline, 1 gone from it\n"), "\(text)")
  }

  @Test func everyStringSurvivesTheRoundTrip() throws {
    let nasty =
      "quote \" backslash \\ slash / tab \t newline \n cr \r nul \u{0} bell \u{7} esc \u{1B} "
      + "del \u{7F} line-sep \u{2028} é 日本 🚀 \u{FEFF}"
    let report = Report(
      toolVersion: "1", source: nasty, documentCount: 1,
      diagnostics: [Diagnostic(rule: "r/x", message: nasty, path: "dir/\(nasty).md")], rules: [])
    for pretty in [true, false] {
      let text = JSONReporter(pretty: pretty).render(report)
      #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "control characters are escaped")
      let json = try parse(text)
      #expect(json["source"] as? String == nasty)
      let diagnostic = try #require((json["diagnostics"] as? [[String: Any]])?.first)
      #expect(diagnostic["message"] as? String == nasty)
      #expect(diagnostic["path"] as? String == "dir/\(nasty).md")
    }
  }

  /// `schemas/keel-check-output.schema.json`, compiled with keel's own validator (formats asserted).
  static func outputSchema() throws -> CompiledSchema {
    try SchemaCompiler(assertFormat: true).compile(
      fileAt: packageRoot.appendingPathComponent("schemas/keel-check-output.schema.json"))
  }

  @Test("the published schema accepts every report shape, and requires every key")
  func outputMatchesThePublishedSchema() throws {
    let schema = try Self.outputSchema()
    var adoption = ReporterFixtures.review()
    let finding = Diagnostic(rule: "schema/enum", severity: .note, message: "m", path: "a.md", line: 2)
    adoption.suppressed = [SuppressedDiagnostic(diagnostic: finding, justification: nil)]
    adoption.baselined = [finding]
    adoption.gone = [BaselineEntry(rule: "r/y", path: "b.md", fingerprint: "00000000000000ff:2", line: 4, message: "x")]
    adoption.diagnostics.append(finding)
    let reports = [ReporterFixtures.review(), ReporterFixtures.clean(), adoption]
    for report in reports {
      for pretty in [true, false] {
        let value = try JSONParser.parse(Data(JSONReporter(pretty: pretty).render(report).utf8))
        let errors = schema.validate(value)
        #expect(errors.isEmpty, "\(errors)")
      }
    }
    // The schema can fail: a report missing a key, or with an optional key absent, is rejected.
    let text = JSONReporter(pretty: false).render(ReporterFixtures.review())
    for broken in [
      text.replacingOccurrences(of: "\"notes\":0,", with: ""),
      text.replacingOccurrences(of: ",\"jsonPointer\":null", with: ""),
      text.replacingOccurrences(of: "\"previousPath\":null,", with: ""),
      text.replacingOccurrences(of: "\"severity\":\"error\"", with: "\"severity\":\"fatal\""),
    ] {
      #expect(broken != text)
      #expect(!schema.validate(try JSONParser.parse(Data(broken.utf8))).isEmpty, "rejected: \(broken)")
    }
  }

  @Test func numbersAndLiteralsAreValidJSON() throws {
    let value = JSONValue.array([
      .integer(-3), .number(1.5), .number(2), .number(.infinity), .number(1e-7), .bool(true), .null,
      .object(JSONObject()), .array([]),
    ])
    let text = JSONText.render(value, indent: nil)
    #expect(text == "[-3,1.5,2.0,null,1e-07,true,null,{},[]]")
    _ = try JSONSerialization.jsonObject(with: Data(text.utf8))
  }
}
