import Foundation
import JSONSchema
import KeelTestSupport
import Testing

/// The official JSON Schema Test Suite, run through the library.
@Suite(.needsJSONSchemaTestSuite)
struct TestSuiteTests {
  @Test(arguments: [("draft2020-12", 1299), ("draft7", 927)])
  func requiredTestsAllPass(folder: String, expectedCount: Int) throws {
    let outcome = try Suite.run(folder)
    print("JSON Schema Test Suite \(folder): \(outcome.passed)/\(outcome.total) required tests pass")
    for failure in outcome.failures { print("  FAIL \(failure)") }
    #expect(outcome.total == expectedCount)
    #expect(outcome.failures.isEmpty)
  }

  @Test(arguments: ["draft2020-12", "draft7"])
  func formatTestsWithAssertion(folder: String) throws {
    let outcome = try Suite.run(folder + "/optional/format", assertFormat: true)
    let rate = Double(outcome.passed) / Double(max(outcome.total, 1))
    print(
      "JSON Schema Test Suite \(folder) optional/format (assertion on): \(outcome.passed)/\(outcome.total) pass "
        + String(format: "(%.1f%%)", rate * 100))
    for failure in outcome.failures { print("  FORMAT-FAIL \(failure)") }
    #expect(outcome.total > 600)
    #expect(rate >= 0.95)
  }

  /// The other optional tests (bignum, ECMA-262 regex, …): reported, not required.
  @Test(arguments: ["draft2020-12", "draft7"])
  func optionalTestsReport(folder: String) throws {
    let outcome = try Suite.run(folder + "/optional")
    print("JSON Schema Test Suite \(folder) optional: \(outcome.passed)/\(outcome.total) pass")
    for failure in outcome.failures { print("  OPTIONAL-FAIL \(failure)") }
    #expect(outcome.total > 100)
  }
}
