import Foundation
import KeelTestSupport
import Testing

@testable import KeelCore

@Suite struct ReporterSARIFTests {
  private func parse(_ report: Report) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(SARIFReporter().render(report).utf8))
    return try #require(object as? [String: Any])
  }

  private func run(_ report: Report) throws -> [String: Any] {
    let runs = try #require(try parse(report)["runs"] as? [[String: Any]])
    #expect(runs.count == 1)
    return try #require(runs.first)
  }

  private func results(_ report: Report) throws -> [[String: Any]] {
    try #require(try run(report)["results"] as? [[String: Any]])
  }

  private func fingerprints(_ report: Report) throws -> [String] {
    try results(report).map { result in
      let prints = try #require(result["partialFingerprints"] as? [String: String])
      return try #require(prints[SARIFReporter.fingerprintKey])
    }
  }

  /// Validates with Python's `jsonschema` (draft-07, with the format checks it
  /// has) until the project's own validator can load the SARIF schema.
  @Test(
    .enabled(if: ReporterFixtures.hasPythonJSONSchema, "needs python3 with the jsonschema package"), .needsSARIFSchema,
    arguments: ["review", "clean"])
  func outputIsValidAgainstTheSARIFSchema(reportName: String) throws {
    let report = reportName == "review" ? ReporterFixtures.review() : ReporterFixtures.clean()
    var withRoot = report
    withRoot.sourceRoot = "file:///home/me/product%20docs/"
    let schema = TestData.sarifSchema.url
    let directory = try ReporterFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // The cross-check must be able to fail: a log with line 0 is invalid.
    let broken = SARIFReporter().render(ReporterFixtures.review()).replacingOccurrences(
      of: "\"startLine\": 3", with: "\"startLine\": 0")
    let logs = [SARIFReporter().render(report), SARIFReporter().render(withRoot), broken]
    for (index, text) in logs.enumerated() {
      let log = directory.appendingPathComponent("log\(index).sarif")
      try Data(text.utf8).write(to: log)
      let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        log = json.load(open(sys.argv[2]))
        validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for error in errors:
            print("/".join(map(str, error.absolute_path)), error.message)
        sys.exit(1 if errors else 0)
        """
      let result = try ReporterFixtures.run(["python3", "-c", script, schema.path, log.path])
      if index == logs.count - 1 {
        #expect(result.status == 1 && result.stdout.contains("startLine"), "the broken log is rejected")
      } else {
        #expect(result.status == 0, "SARIF schema errors:\n\(result.stdout)\(result.stderr)")
      }
    }
  }

  @Test func describesTheToolAndEveryRule() throws {
    let report = ReporterFixtures.review()
    let sarif = try parse(report)
    #expect(sarif["version"] as? String == "2.1.0")
    #expect(sarif["$schema"] as? String == SARIFReporter.schemaURI)
    let run = try self.run(report)
    #expect(run["columnKind"] as? String == "unicodeCodePoints")
    let baseIDs = try #require(run["originalUriBaseIds"] as? [String: Any])
    #expect(baseIDs["%SRCROOT%"] != nil)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "keel")
    #expect(driver["version"] as? String == "0.1.0")
    #expect(driver["informationUri"] as? String == SARIFReporter.defaultInformationURI)
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(rules.map { $0["id"] as? String } == ReporterFixtures.rules.map(\.id))
    let avoided = try #require(rules.first { $0["id"] as? String == "glossary/avoided-term" })
    #expect((avoided["shortDescription"] as? [String: String])?["text"] == "A word the glossary says to avoid is used.")
    #expect((avoided["defaultConfiguration"] as? [String: String])?["level"] == "warning")
  }

  @Test func resultsPointAtTheirRuleAndLocation() throws {
    let report = ReporterFixtures.review()
    let run = try self.run(report)
    let rules = try #require((run["tool"] as? [String: Any]).flatMap { $0["driver"] as? [String: Any] }?["rules"])
    let ruleIDs = try #require(rules as? [[String: Any]]).map { $0["id"] as? String }
    let results = try self.results(report)
    #expect(results.count == report.diagnostics.count)
    for (result, diagnostic) in zip(results, report.diagnostics) {
      #expect(result["ruleId"] as? String == diagnostic.rule)
      let index = try #require(result["ruleIndex"] as? Int)
      #expect(ruleIDs[index] == diagnostic.rule)
      #expect(result["level"] as? String == diagnostic.severity.rawValue)
      let location = try #require(
        (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
      let artifact = try #require(location["artifactLocation"] as? [String: String])
      #expect(artifact["uriBaseId"] == "%SRCROOT%")
      #expect(artifact["uri"] == diagnostic.path.replacingOccurrences(of: " ", with: "%20"))
      let region = try #require(location["region"] as? [String: Int])
      #expect(region == ["startLine": diagnostic.line, "startColumn": diagnostic.column])
    }
    // Brackets are escaped so that viewers do not read them as embedded links.
    let missing = try #require(results.last?["message"] as? [String: String])
    #expect(missing["text"] == "missing section \\[Solution\\] *after* _Problem_")
    let related = try #require(results[1]["relatedLocations"] as? [[String: Any]])
    #expect(related.count == 1)
    #expect((related[0]["message"] as? [String: String])?["text"] == "transitions of draft")
    let relatedArtifact = (related[0]["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: String]
    #expect(relatedArtifact?["uri"] == "workflows/spec.yaml")
  }

  @Test func aRuleMissingFromTheReportIsStillDescribed() throws {
    let report = Report(
      toolVersion: "1", source: "index", documentCount: 1,
      diagnostics: [Diagnostic(rule: "input/invalid-utf8", message: "m", path: "a.md")],
      rules: [
        RuleDescriptor(id: "schema/required", summary: "s"), RuleDescriptor(id: "schema/required", summary: "dup"),
      ])
    let results = try self.results(report)
    #expect(results.first?["ruleIndex"] as? Int == 1)
    let rules = SARIFReporter.rules(for: report)
    #expect(rules.map(\.id) == ["schema/required", "input/invalid-utf8"])
    #expect(rules[0].summary == "s")
  }

  @Test func fingerprintSurvivesTheLineMovingButNotItsContentChanging() throws {
    func report(line: Int, text: String) -> Report {
      var lines = (1...30).map { "filler \($0)" }
      lines[line - 1] = text
      return Report(
        toolVersion: "1", source: "index", documentCount: 1,
        diagnostics: [Diagnostic(rule: "glossary/avoided-term", message: "avoid user", path: "a.md", line: line)],
        rules: [], sourceLines: SourceLines(contents: ["a.md": lines.joined(separator: "\n")]))
    }
    let original = try fingerprints(report(line: 4, text: "the user clicks"))
    let moved = try fingerprints(report(line: 17, text: "  the user clicks"))
    let edited = try fingerprints(report(line: 4, text: "the user taps"))
    #expect(original == moved)
    #expect(original != edited)
    #expect(original.first?.hasSuffix(":1") == true)
  }

  @Test func identicalFindingsGetNumberedFingerprints() throws {
    let diagnostic = Diagnostic(rule: "r/x", message: "same", path: "a.md", line: 1)
    var second = diagnostic
    second.line = 2
    let report = Report(
      toolVersion: "1", source: "index", documentCount: 1, diagnostics: [diagnostic, second], rules: [],
      sourceLines: SourceLines(contents: ["a.md": "dup\ndup"]))
    let prints = try fingerprints(report)
    #expect(prints.count == 2)
    #expect(prints[0].dropLast(2) == prints[1].dropLast(2))
    #expect(prints[0].hasSuffix(":1") && prints[1].hasSuffix(":2"))
  }

  @Test func suppressedResultsCarryTheirJustificationAndBaselineStatesAreMarked() throws {
    var report = ReporterFixtures.clean()
    let old = Diagnostic(rule: "r/old", message: "old", path: "a.md", line: 2)
    let new = Diagnostic(rule: "r/new", message: "new", path: "a.md", line: 3)
    let quiet = Diagnostic(rule: "r/quiet", message: "quiet", path: "a.md", line: 4)
    report.diagnostics = [new]
    report.baselined = [old]
    report.suppressed = [
      SuppressedDiagnostic(diagnostic: quiet, justification: "legacy"),
      SuppressedDiagnostic(diagnostic: quiet, justification: nil),
    ]
    report.sourceLines = SourceLines(contents: ["a.md": "one\ntwo\nthree\nfour\n"])
    // Without a baseline, no result has a baselineState.
    #expect(try results(report).allSatisfy { $0["baselineState"] == nil })
    report.hasBaseline = true
    let results = try results(report)
    #expect(results.map { $0["ruleId"] as? String } == ["r/old", "r/new", "r/quiet", "r/quiet"])
    #expect(results[0]["baselineState"] as? String == "unchanged")
    #expect(results[1]["baselineState"] as? String == "new")
    #expect(results[0]["suppressions"] == nil)
    let suppressions = try #require(results[2]["suppressions"] as? [[String: String]])
    #expect(suppressions == [["kind": "inSource", "justification": "legacy"]])
    #expect(results[3]["suppressions"] as? [[String: String]] == [["kind": "inSource"]])
    // The fingerprints of the counted and baselined findings are the ones `keel baseline` records.
    let recorded = Baseline(
      diagnostics: [old, new],
      fingerprints: SARIFReporter.fingerprints(for: [old, new], sourceLines: report.sourceLines))
    let prints = try fingerprints(report)
    #expect(recorded.entries.map(\.fingerprint) == Array(prints.prefix(2)))
  }

  @Test func fingerprintDependsOnEveryPart() {
    let base = Diagnostic(rule: "r/x", message: "m", path: "a.md")
    let print = SARIFReporter.fingerprint(of: base, lineText: "text")
    #expect(print.count == 16)
    #expect(print == SARIFReporter.fingerprint(of: base, lineText: "text"))
    var otherRule = base
    otherRule.rule = "r/y"
    var otherPath = base
    otherPath.path = "b.md"
    var otherMessage = base
    otherMessage.message = "n"
    let others = [
      SARIFReporter.fingerprint(of: otherRule, lineText: "text"),
      SARIFReporter.fingerprint(of: otherPath, lineText: "text"),
      SARIFReporter.fingerprint(of: otherMessage, lineText: "text"),
      SARIFReporter.fingerprint(of: base, lineText: "texts"),
      SARIFReporter.fingerprint(of: base, lineText: nil),
    ]
    #expect(Set(others + [print]).count == 6)
    // The parts are separated: moving text from one part to the next changes the hash.
    var shifted = base
    shifted.message = "mte"
    #expect(SARIFReporter.fingerprint(of: shifted, lineText: "xt") != print)
  }

  @Test func pathsBecomeRelativeURIReferences() {
    #expect(SARIFReporter.uriReference(forPath: "specs/a-b_c.d~e.md") == "specs/a-b_c.d~e.md")
    #expect(SARIFReporter.uriReference(forPath: "specs/new spec.md") == "specs/new%20spec.md")
    #expect(SARIFReporter.uriReference(forPath: "c:/x#y?z%.md") == "c%3A/x%23y%3Fz%25.md")
    #expect(SARIFReporter.uriReference(forPath: "spécs/日.md") == "sp%C3%A9cs/%E6%97%A5.md")
  }
}
