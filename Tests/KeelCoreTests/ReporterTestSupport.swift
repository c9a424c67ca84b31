import Foundation
import KeelTestSupport

@testable import KeelCore

/// Shared inputs and helpers of the reporter, hook and atomic-file tests.
enum ReporterFixtures {
  static let rules = [
    RuleDescriptor(id: "schema/required", summary: "A required front-matter field is missing."),
    RuleDescriptor(id: "template/missing-section", summary: "A section of the template is missing."),
    RuleDescriptor(
      id: "glossary/avoided-term", summary: "A word the glossary says to avoid is used.", defaultSeverity: .warning),
    RuleDescriptor(id: "workflow/illegal-transition", summary: "The status changed along no allowed transition."),
  ]

  /// A review of three documents with findings whose messages hold every
  /// character some format must escape.
  static func review() -> Report {
    let diagnostics = [
      Diagnostic(
        rule: "schema/required", message: "missing required field \"owner\"", path: "specs/checkout.md", line: 3,
        column: 1, jsonPointer: "", schemaLocation: "prd.schema.yaml#/required"),
      Diagnostic(
        rule: "glossary/avoided-term", severity: .warning,
        message: "use \"customer\" instead of \"user\" | <b>avoid</b> `user`, 100% of the time: a,b",
        path: "specs/checkout.md", line: 14, column: 9),
      Diagnostic(
        rule: "workflow/illegal-transition", message: "status cannot go from draft to approved\n(allowed: review)",
        path: "specs/checkout.md", line: 5, column: 9,
        related: [RelatedLocation(path: "workflows/spec.yaml", line: 7, column: 3, message: "transitions of draft")]),
      Diagnostic(
        rule: "template/missing-section", message: "missing section [Solution] *after* _Problem_",
        path: "specs/new spec.md", line: 20, column: 1),
    ].sorted()
    let documents = [
      DocumentSummary(
        path: "specs/checkout.md", kind: "prd", change: .modified, stateBefore: "draft", stateAfter: "approved"),
      DocumentSummary(path: "specs/new spec.md", kind: "rfc", change: .added, stateAfter: "draft"),
      DocumentSummary(
        path: "specs/pricing.md", kind: "prd", change: .renamed, previousPath: "specs/price.md", stateBefore: "review",
        stateAfter: "review"),
    ]
    let contents = [
      "specs/checkout.md": (1...20).map { "line \($0) of checkout" }.joined(separator: "\n"),
      "specs/new spec.md": (1...25).map { "line \($0) of the new spec" }.joined(separator: "\r\n"),
    ]
    return Report(
      toolVersion: "0.1.0", source: "main..feature", documentCount: 3, diagnostics: diagnostics, rules: rules,
      documents: documents, checkedPaths: ["specs/checkout.md", "specs/new spec.md", "specs/pricing.md"],
      sourceLines: SourceLines(contents: contents))
  }

  static func clean(documentCount: Int = 2) -> Report {
    Report(
      toolVersion: "0.1.0", source: "working tree", documentCount: documentCount, diagnostics: [], rules: rules,
      checkedPaths: ["a.md", "b.md"])
  }

  /// A fresh empty directory, removed by the caller with `removeItem`.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Runs a program (looked up on PATH through /usr/bin/env) and collects its output.
  static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil, input: Data? = nil
  ) throws -> ProcessResult {
    try TestProcess.run("/usr/bin/env", arguments, in: directory, environment: environment, input: input)
  }

  /// Whether `python3` with the `jsonschema` package is available.
  static let hasPythonJSONSchema: Bool = {
    (try? run(["python3", "-c", "import jsonschema"]).status) == 0
  }()
}
