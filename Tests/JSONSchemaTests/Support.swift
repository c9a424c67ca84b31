import Foundation
import JSONSchema
import KeelTestSupport

/// One group of the official JSON Schema Test Suite: a schema and its tests.
struct SuiteGroup {
  var file: String
  var description: String
  var schema: JSONValue
  var tests: [(description: String, data: JSONValue, valid: Bool)]
}

enum Suite {
  /// The groups of every `.json` file directly in `folder` (relative to `tests/`).
  static func groups(_ folder: String) throws -> [SuiteGroup] {
    let directory = TestData.jsonSchemaTestSuite.url.appendingPathComponent("tests").appendingPathComponent(folder)
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
      .sorted()
    var result: [SuiteGroup] = []
    for file in files {
      let parsed = try JSONParser.parse(Data(contentsOf: directory.appendingPathComponent(file))).value
      guard case .array(let groups) = parsed else { continue }
      for group in groups {
        guard case .object(let object) = group, case .string(let description)? = object["description"],
          let schema = object["schema"], case .array(let tests)? = object["tests"]
        else { continue }
        var cases: [(String, JSONValue, Bool)] = []
        for test in tests {
          guard case .object(let testObject) = test, case .string(let testDescription)? = testObject["description"],
            let data = testObject["data"], case .bool(let valid)? = testObject["valid"]
          else { continue }
          cases.append((testDescription, data, valid))
        }
        result.append(SuiteGroup(file: folder + "/" + file, description: description, schema: schema, tests: cases))
      }
    }
    return result
  }

  static func registry() -> SchemaRegistry {
    var registry = SchemaRegistry()
    registry.mapURIPrefix(
      "http://localhost:1234/", toDirectory: TestData.jsonSchemaTestSuite.url.appendingPathComponent("remotes"))
    return registry
  }

  static func draft(of folder: String) -> JSONSchemaDraft {
    folder.hasPrefix("draft7") ? .draft7 : .draft202012
  }

  struct Outcome {
    var passed = 0
    var failures: [String] = []
    var total: Int { passed + failures.count }
  }

  /// Runs every group of `folder` through the library; both the fast and the recording path must agree.
  static func run(_ folder: String, assertFormat: Bool = false) throws -> Outcome {
    var outcome = Outcome()
    let compiler = SchemaCompiler(registry: registry(), defaultDraft: draft(of: folder), assertFormat: assertFormat)
    for group in try groups(folder) {
      let schema: CompiledSchema
      do {
        schema = try compiler.compile(group.schema)
      } catch {
        for test in group.tests {
          outcome.failures.append("\(group.file) | \(group.description) | \(test.description): schema error: \(error)")
        }
        continue
      }
      for test in group.tests {
        let fast = schema.isValid(test.data)
        let errors = schema.validate(test.data)
        if fast == test.valid && errors.isEmpty == test.valid {
          outcome.passed += 1
        } else {
          let detail = errors.first.map { " (\($0.keywordLocation): \($0.message))" } ?? ""
          outcome.failures.append(
            "\(group.file) | \(group.description) | \(test.description): expected \(test.valid ? "valid" : "invalid"), "
              + "isValid=\(fast), errors=\(errors.count)\(detail)")
        }
      }
    }
    return outcome
  }
}
