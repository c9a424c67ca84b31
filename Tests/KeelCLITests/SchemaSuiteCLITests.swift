import Foundation
import JSONSchema
import KeelTestSupport
import Testing

/// The official JSON Schema Test Suite driven through `keel schema validate --format json`:
/// one call per test group, so the CLI and the library must agree.
@Suite(.needsJSONSchemaTestSuite)
struct SchemaSuiteCLITests {
  static let suite = TestData.jsonSchemaTestSuite.url

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
      guard
        case .array(let groups) = try JSONParser.parse(Data(contentsOf: directory.appendingPathComponent(file))).value
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
    print(
      "keel schema validate on the JSON Schema Test Suite \(folder): \(passed)/\(expectedCount) required tests pass")
    for failure in failures { print("  FAIL \(failure)") }
    #expect(passed == expectedCount)
    #expect(failures.isEmpty)
  }
}

/// `keel schema validate` behaviour: positions in YAML and JSON, exit codes, schema errors.
struct SchemaValidateCLITests {
  func folder(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-schema-\(UUID().uuidString)")
    for (path, text) in files {
      let file = url.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: file)
    }
    return url
  }

  static let schemaYAML = """
    $schema: https://json-schema.org/draft/2020-12/schema
    type: object
    required: [title, owner]
    properties:
      title: {type: string}
      owner: {$ref: "people.yaml#/$defs/handle"}
      status: {enum: [draft, review, shipped]}
    additionalProperties: false
    """

  @Test func reportsYAMLAndJSONPositionsAndExitCodes() throws {
    let url = try folder([
      "schemas/prd.yaml": Self.schemaYAML,
      "schemas/people.yaml": "$defs:\n  handle: {type: string, pattern: '^[a-z]+$'}\n",
      "docs/good.yaml": "title: Checkout\nowner: alice\n",
      "docs/bad.yaml": "title: Checkout\nowner: Alice\nstatus: shiped\ncolour: red\n",
      "docs/bad.json": "{\n  \"owner\": \"bob\"\n}\n",
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let good = try keel(
      ["schema", "validate", "-C", url.path, "--schema", "schemas/prd.yaml", "docs/good.yaml"], in: url)
    #expect(good.status == 0, "\(good.stderr)")
    let bad = try keel(
      ["schema", "validate", "--schema", "schemas/prd.yaml", "docs/good.yaml", "docs/bad.yaml", "docs/bad.json"],
      in: url)
    #expect(bad.status == 1)
    let lines = bad.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.contains(
        "docs/bad.yaml:2:8: error: 'Alice' does not match pattern '^[a-z]+$' [/properties/owner/$ref/pattern]"))
    #expect(
      lines.contains(
        "docs/bad.yaml:3:9: error: 'shiped' is not one of draft, review, shipped [/properties/status/enum]"))
    #expect(
      lines.contains("docs/bad.yaml:4:1: error: additional property 'colour' is not allowed [/additionalProperties]"))
    #expect(lines.contains("docs/bad.json:1:1: error: missing required property 'title' [/required]"))
    #expect(lines.last == "3 instances: 1 valid, 2 invalid")
  }

  @Test func invalidSchemaExitsTwoWithItsLocation() throws {
    let url = try folder(["schema.json": "{\n  \"type\": \"object\",\n  \"minLength\": \"three\"\n}\n", "a.json": "{}"])
    defer { try? FileManager.default.removeItem(at: url) }
    let run = try keel(["schema", "validate", "--schema", "schema.json", "a.json"], in: url)
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.hasPrefix("keel: error: schema.json:3:16: invalid schema:"), "\(run.stderr)")
    #expect(run.stderr.split(separator: "\n").count == 1)
  }

  @Test func remoteReferenceIsAnErrorAndMapURIResolvesIt() throws {
    let url = try folder([
      "schema.json": #"{"$ref": "https://schemas.example.com/common/name.json"}"#,
      "vendored/common/name.json": #"{"type": "string", "minLength": 2}"#,
      "a.json": #""x""#,
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let unmapped = try keel(["schema", "validate", "--schema", "schema.json", "a.json"], in: url)
    #expect(unmapped.status == 2)
    #expect(unmapped.stderr.contains("https://schemas.example.com/common/name.json"))
    let mapped = try keel(
      [
        "schema", "validate", "--schema", "schema.json", "--map-uri", "https://schemas.example.com/=vendored",
        "--format", "json", "a.json",
      ], in: url)
    #expect(mapped.status == 1)
    #expect(
      mapped.stdout
        == #"{"results":[{"instance":"a.json","valid":false,"errors":[{"instanceLocation":"","keywordLocation":"/$ref/minLength","absoluteKeywordLocation":"https://schemas.example.com/common/name.json#/minLength","keyword":"minLength","message":"'x' has 1 character; expected at least 2","line":1,"column":1}]}]}"#
        + "\n")
  }

  @Test func usageErrorsExitTwo() throws {
    let url = try folder(["schema.json": "{}", "a.json": "{}"])
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(try keel(["schema", "validate", "--schema", "schema.json"], in: url).status == 2)
    #expect(try keel(["schema", "validate", "--schema", "schema.json", "--draft", "4", "a.json"], in: url).status == 2)
    #expect(try keel(["schema", "validate", "--schema", "missing.json", "a.json"], in: url).status == 2)
    #expect(try keel(["schema", "validate", "--schema", "schema.json", "--draft", "7", "a.json"], in: url).status == 0)
  }
}
