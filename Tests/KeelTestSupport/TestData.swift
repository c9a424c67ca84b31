import Foundation
import Testing

/// Data the conformance tests need that is not in the repository: the official JSON Schema Test
/// Suite and the SARIF 2.1.0 schema. They are looked up in `KEEL_TEST_DATA` (a path, relative to the
/// package root unless absolute; `../shared` by default). When a piece is missing, the tests that
/// need it are skipped with the reason, unless `KEEL_REQUIRE_TEST_DATA=1` (as CI sets), under which
/// they run and fail.
/// The package root (where Package.swift is): two folders above this file's folder.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

public enum TestData {
  /// The folder holding the test data.
  public static let folder: URL = {
    let setting = ProcessInfo.processInfo.environment["KEEL_TEST_DATA"].flatMap { $0.isEmpty ? nil : $0 }
    let path = setting ?? "../shared"
    let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : packageRoot.appendingPathComponent(path)
    return url.standardizedFileURL
  }()

  /// Whether a missing piece of test data is a failure rather than a skip.
  public static let isRequired = ProcessInfo.processInfo.environment["KEEL_REQUIRE_TEST_DATA"] == "1"

  /// A clone of https://github.com/json-schema-org/JSON-Schema-Test-Suite.
  public static let jsonSchemaTestSuite = Item(
    name: "the JSON Schema Test Suite", url: folder.appendingPathComponent("json-schema-test-suite"),
    marker: "tests/draft2020-12")
  /// The SARIF 2.1.0 JSON schema.
  public static let sarifSchema = Item(
    name: "the SARIF 2.1.0 schema", url: folder.appendingPathComponent("sarif/sarif-schema-2.1.0.json"), marker: nil)

  public static let items = [jsonSchemaTestSuite, sarifSchema]

  /// One piece of test data.
  public struct Item: Sendable {
    public var name: String
    public var url: URL
    /// A path inside `url` that must exist too (a folder's contents, not just the folder).
    var marker: String?

    public var isPresent: Bool {
      let path = marker.map { url.appendingPathComponent($0).path } ?? url.path
      return FileManager.default.fileExists(atPath: path)
    }

    /// Whether tests that need this item run: it is present, or it is required (so they fail).
    public var testsRun: Bool { isPresent || TestData.isRequired }

    public var skipReason: String {
      "needs \(name) at \(url.path), which is absent (set KEEL_TEST_DATA to the folder holding "
        + "json-schema-test-suite/ and sarif/; KEEL_REQUIRE_TEST_DATA=1 makes its absence a failure)"
    }

    /// The condition trait of a test or suite that needs this item.
    public var trait: ConditionTrait { .enabled(if: testsRun, Comment(rawValue: skipReason)) }
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test only when the JSON Schema Test Suite is present (or required).
  public static var needsJSONSchemaTestSuite: Self { TestData.jsonSchemaTestSuite.trait }
  /// Runs the test only when the SARIF 2.1.0 schema is present (or required).
  public static var needsSARIFSchema: Self { TestData.sarifSchema.trait }
}
