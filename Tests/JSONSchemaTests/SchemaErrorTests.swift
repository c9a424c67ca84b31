import Foundation
import JSONSchema
import KeelTestSupport
import Testing

/// Invalid schemas are reported with their own location, and hostile schemas or instances
/// end with a clear error, never a crash or a hang.
struct SchemaErrorTests {
  func compileError(_ text: String, compiler: SchemaCompiler = SchemaCompiler()) throws -> SchemaError? {
    let parsed = try JSONParser.parse(text)
    do {
      _ = try compiler.compile(parsed, uri: "file:///repo/schema.json")
      return nil
    } catch {
      return error
    }
  }

  @Test func schemaInvalidAgainstItsMetaschemaIsLocated() throws {
    let error = try #require(try compileError("{\n  \"type\": \"object\",\n  \"minLength\": -1\n}"))
    #expect(error.location == "/minLength")
    #expect(error.position == SourcePosition(line: 3, column: 16))
    #expect(error.message.hasPrefix("invalid schema:"))
    #expect(!error.metaschemaErrors.isEmpty)
  }

  @Test func draft7SchemaIsMetaValidatedToo() throws {
    let error = try #require(
      try compileError(#"{"$schema": "http://json-schema.org/draft-07/schema#", "required": "owner"}"#))
    #expect(error.location == "/required")
  }

  @Test func invalidPatternIsASchemaError() throws {
    let error = try #require(try compileError("{\n  \"pattern\": \"(unclosed\"\n}"))
    #expect(error.location == "/pattern")
    #expect(error.position == SourcePosition(line: 2, column: 14))
    #expect(error.message.contains("invalid regular expression"))
  }

  @Test func remoteReferenceIsNeverFetched() throws {
    let error = try #require(try compileError(#"{"properties": {"a": {"$ref": "https://example.com/a.json"}}}"#))
    #expect(error.location == "/properties/a/$ref")
    #expect(error.message.contains("'https://example.com/a.json'"))
    #expect(error.message.contains("never fetched"))
  }

  @Test(arguments: [
    ##"{"$ref": "#"}"##,
    ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##,
  ])
  func referenceLoopIsASchemaError(text: String) throws {
    let error = try #require(try compileError(text))
    #expect(error.message.contains("reference loop"))
  }

  @Test func recursionThroughChildrenIsFine() throws {
    let schema = try SchemaCompiler().compile(try JSONParser.parse(##"{"type": "array", "items": {"$ref": "#"}}"##))
    #expect(schema.isValid(try JSONParser.parse("[[[]], []]").value))
    #expect(!schema.isValid(try JSONParser.parse("[[1]]").value))
  }

  @Test func tenThousandLevelsOfInstanceStopWithAnError() throws {
    let schema = try SchemaCompiler().compile(try JSONParser.parse(##"{"items": {"$ref": "#"}}"##))
    let outcome = onSmallStack { () -> (Bool, [String]) in
      var deep: JSONValue = .array([])
      for _ in 0..<10_000 { deep = .array([deep]) }
      let result = (schema.isValid(deep), schema.validate(deep).map(\.message))
      // Take the value apart level by level: releasing it in one go would recurse 10,000 deep.
      while case .array(let elements) = deep, let inner = elements.first { deep = inner }
      return result
    }
    #expect(outcome.0 == false)
    #expect(outcome.1.count == 1)
    #expect(outcome.1.first?.contains("nested deeper than 128 levels") == true)
  }

  @Test func megabyteStringAgainstPatternFinishes() throws {
    let long = String(repeating: "a", count: 1 << 20)
    let simple = try SchemaCompiler().compile(try JSONParser.parse(#"{"pattern": "^[a-z]+$"}"#))
    #expect(simple.isValid(.string(long)))
    #expect(!simple.isValid(.string(long + "!")))
    // A pattern that makes backtracking engines explode runs on the linear engine: a plain answer.
    let nested = try SchemaCompiler().compile(try JSONParser.parse(#"{"pattern": "^(a+)+$"}"#))
    #expect(
      nested.validate(.string(long + "!")).map(\.message) == ["'\(long.prefix(57))…' does not match pattern '^(a+)+$'"])
    // Look-ahead needs ICU, which backtracks: matching is abandoned after a fixed amount of work.
    let catastrophic = try SchemaCompiler().compile(try JSONParser.parse(#"{"pattern": "^((?=a)a+)+$"}"#))
    let errors = catastrophic.validate(.string(String(repeating: "a", count: 64) + "!"))
    #expect(errors.count == 1)
    #expect(errors.first?.message.contains("too costly") == true)
  }

  @Test func unknownMetaschemaIsAnError() throws {
    let error = try #require(try compileError(#"{"$schema": "https://example.com/my-meta"}"#))
    #expect(error.message.contains("unknown meta-schema 'https://example.com/my-meta'"))
  }

  @Test(.needsSARIFSchema) func sarifSchemaMetaValidatesAndValidatesLogs() throws {
    let sarif = try SchemaCompiler().compile(fileAt: TestData.sarifSchema.url)
    #expect(sarif.draft == .draft7)
    let valid = """
      {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
       "runs": [{"tool": {"driver": {"name": "keel", "rules": [{"id": "schema/required"}]}},
                 "columnKind": "unicodeCodePoints",
                 "results": [{"ruleId": "schema/required", "level": "error", "message": {"text": "missing owner"},
                              "locations": [{"physicalLocation": {"artifactLocation": {"uri": "specs/a.md"},
                                             "region": {"startLine": 3, "startColumn": 1}}}]}]}]}
      """
    #expect(try sarif.validate(jsonData: Data(valid.utf8)).isEmpty)
    let invalid = #"{"runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal", "message": {"text": "x"}}]}]}"#
    let messages = try sarif.validate(jsonData: Data(invalid.utf8)).map(\.message)
    #expect(messages.contains("missing required property 'version'"))
    #expect(messages.contains("missing required property 'name'"))
    #expect(messages.contains { $0.hasPrefix("'fatal' is not one of") })
  }
}
