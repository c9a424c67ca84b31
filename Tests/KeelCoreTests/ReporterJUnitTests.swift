import Foundation
import Testing

@testable import KeelCore

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct ReporterJUnitTests {
  private func parse(_ report: Report) throws -> XMLElement {
    let document = try XMLDocument(data: Data(JUnitReporter().render(report).utf8))
    return try #require(document.rootElement())
  }

  private func attribute(_ element: XMLElement, _ name: String) -> String? {
    element.attribute(forName: name)?.stringValue
  }

  @Test func oneTestCasePerDocumentAndOneFailurePerError() throws {
    let report = ReporterFixtures.review()
    let root = try parse(report)
    #expect(root.name == "testsuites")
    let suites = root.elements(forName: "testsuite")
    #expect(suites.count == 1)
    let suite = try #require(suites.first)
    #expect(attribute(suite, "name") == "keel")
    #expect(attribute(suite, "tests") == "3")
    #expect(attribute(suite, "failures") == "2")

    let cases = suite.elements(forName: "testcase")
    #expect(
      cases.compactMap { attribute($0, "name") } == ["specs/checkout.md", "specs/new spec.md", "specs/pricing.md"])

    let checkout = cases[0]
    let failures = checkout.elements(forName: "failure")
    #expect(failures.count == 2)
    #expect(failures.compactMap { attribute($0, "type") } == ["schema/required", "workflow/illegal-transition"])
    // Attribute values keep their line breaks and special characters.
    #expect(attribute(failures[1], "message") == "status cannot go from draft to approved\n(allowed: review)")
    #expect(
      failures[1].stringValue
        == "specs/checkout.md:5:9: error: status cannot go from draft to approved\n(allowed: review) "
        + "[workflow/illegal-transition]\nworkflows/spec.yaml:7:3: note: transitions of draft")
    let out = try #require(checkout.elements(forName: "system-out").first?.stringValue)
    #expect(
      out
        == "specs/checkout.md:14:9: warning: use \"customer\" instead of \"user\" | <b>avoid</b> `user`, "
        + "100% of the time: a,b [glossary/avoided-term]")

    #expect(cases[1].elements(forName: "failure").count == 1)
    #expect(cases[2].children == nil || cases[2].children?.isEmpty == true, "a document without findings passes")
  }

  @Test func aDocumentWithOnlyWarningsPasses() throws {
    let report = Report(
      toolVersion: "1", source: "index", documentCount: 1,
      diagnostics: [Diagnostic(rule: "r/x", severity: .warning, message: "w", path: "a.md")], rules: [],
      checkedPaths: ["a.md"])
    let suite = try #require(try parse(report).elements(forName: "testsuite").first)
    #expect(attribute(suite, "tests") == "1")
    #expect(attribute(suite, "failures") == "0")
    let testCase = try #require(suite.elements(forName: "testcase").first)
    #expect(testCase.elements(forName: "failure").isEmpty)
    #expect(testCase.elements(forName: "system-out").first?.stringValue == "a.md:1:1: warning: w [r/x]")
  }

  @Test func charactersXMLCannotCarryAreReplacedNotDropped() throws {
    let message = "bell \u{7} nul \u{0} amp & lt < quote \" apos ' tab \t"
    let report = Report(
      toolVersion: "1", source: "index \u{1B}", documentCount: 1,
      diagnostics: [Diagnostic(rule: "r/x", message: message, path: "a&b.md")], rules: [])
    let root = try parse(report)
    let testCase = try #require(root.elements(forName: "testsuite").first?.elements(forName: "testcase").first)
    #expect(attribute(testCase, "name") == "a&b.md")
    let failure = try #require(testCase.elements(forName: "failure").first)
    #expect(attribute(failure, "message") == "bell \u{FFFD} nul \u{FFFD} amp & lt < quote \" apos ' tab \t")
  }

  @Test func anEmptyCheckIsAValidEmptySuite() throws {
    let report = Report(toolVersion: "1", source: "index", documentCount: 0, diagnostics: [], rules: [])
    let suite = try #require(try parse(report).elements(forName: "testsuite").first)
    #expect(attribute(suite, "tests") == "0")
    #expect(suite.elements(forName: "testcase").isEmpty)
  }
}
