import Foundation
import JSONSchema
import Testing

/// The official JSON Schema Test Suite driven through `keel schema validate --format json`:
/// one call per test group, so the CLI and the library must agree.
struct SchemaSuiteCLITests {
  static let suite = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/json-schema-test-suite")

  struct Group {
    var file: String
    var description: String
    var schema: JSONValue
    var tests: [(description: String, data: JSONValue, valid: Bool)]
  }

  static func groups(_ folder: String) throws -> [Group] {
    let directory = suite.appendingPathComponent("tests/\(folder)")
    var result: [Group] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    where file.hasSuffix(".json") {
      guard case .array(let groups) = try JSONParser.parse(Data(contentsOf: directory.appendingPathComponent(file))).value
      else { continue }
      for case .object(let group) in groups {
        guard case .string(let description)? = group["description"], let schema = group["schema"],
          case .array(let tests)? = group["tests"]
        else { continue }
        var cases: [(String, JSONValue, Bool)] = []
        for case .object(let test) in tests {
          guard case .string(let name)? = test["description"], let data = test["data"],
            case .bool(let valid)? = test["valid"]
          else { continue }
          cases.append((name, data, valid))
        }
        result.append(Group(file: file, description: description, schema: schema, tests: cases))
      }
    }
    return result
  }

  @Test(arguments: [("draft2020-12", "2020-12", 1299), ("draft7", "7", 927)])
  func requiredSuiteThroughCLI(folder: String, draft: String, expectedCount: Int) throws {
    let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("keel-suite-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: workspace) }
    let remotes = Self.suite.appendingPathComponent("remotes").path
    var passed = 0
    var failures: [String] = []
    for (groupIndex, group) in try Self.groups(folder).enumerated() {
      let folderURL = workspace.appendingPathComponent("g\(groupIndex)")
      try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true)
      try Data(group.schema.jsonText().utf8).write(to: folderURL.appendingPathComponent("schema.json"))
      var instances: [String] = []
      for (testIndex, test) in group.tests.enumerated() {
        let name = "instance\(testIndex).json"
        try Data(test.data.jsonText().utf8).write(to: folderURL.appendingPathComponent(name))
        instances.append(name)
      }
      let run = try keel(
        [
          "schema", "validate", "--schema", "schema.json", "--draft", draft, "--map-uri",
          "http://localhost:1234/=\(remotes)", "--format", "json",
        ] + instances, in: folderURL)
      let label = "\(group.file) | \(group.description)"
      guard run.status == 0 || run.status == 1, case .object(let output) = try JSONParser.parse(run.stdout).value,
        case .array(let results)? = output["results"], results.count == group.tests.count
      else {
        failures.append("\(label): keel exited \(run.status): \(run.stderr)")
        continue
      }
      var anyInvalid = false
      for (test, result) in zip(group.tests, results) {
        guard case .object(let entry) = result, case .bool(let valid)? = entry["valid"],
          case .array(let errors)? = entry["errors"]
        else {
          failures.append("\(label) | \(test.description): malformed result")
          continue
        }
        anyInvalid = anyInvalid || !valid
        if valid == test.valid && errors.isEmpty == valid {
          passed += 1
        } else {
          failures.append("\(label) | \(test.description): expected valid=\(test.valid), keel said valid=\(valid)")
        }
      }
      if run.status != (anyInvalid ? 1 : 0) { failures.append("\(label): exit status \(run.status)") }
    }
    print("keel schema validate on the JSON Schema Test Suite \(folder): \(passed)/\(expectedCount) required tests pass")
    for failure in failures { print("  FAIL \(failure)") }
    #expect(passed == expectedCount)
    #expect(failures.isEmpty)
  }
}
