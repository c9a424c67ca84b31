import Foundation
import KeelTestSupport
import Testing

/// Under `KEEL_REQUIRE_TEST_DATA=1` (as CI runs), missing conformance data is a failure, not a skip.
struct TestDataTests {
  @Test(
    .enabled(if: TestData.isRequired, "KEEL_REQUIRE_TEST_DATA is not 1, so absent test data only skips the tests"),
    arguments: TestData.items.map(\.name))
  func requiredDataIsPresent(name: String) throws {
    let item = try #require(TestData.items.first { $0.name == name })
    #expect(item.isPresent, "KEEL_REQUIRE_TEST_DATA=1 but \(item.name) is not at \(item.url.path)")
  }
}
