import Foundation
import JSONSchema
import Testing

struct ValidationErrorTests {
  static let prdSchema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://keel.example/prd.schema.json",
      "type": "object",
      "required": ["title", "owner", "status"],
      "properties": {
        "title": {"type": "string", "minLength": 3},
        "owner": {"$ref": "#/$defs/person"},
        "status": {"enum": ["draft", "review", "approved", "shipped"]},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
      },
      "additionalProperties": false,
      "$defs": {"person": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}}
    }
    """

  static func compiled() throws -> CompiledSchema {
    try SchemaCompiler().compile(try JSONParser.parse(prdSchema), uri: "file:///repo/schemas/prd.schema.json")
  }

  @Test func validInstanceHasNoErrors() throws {
    let schema = try Self.compiled()
    let instance = try JSONParser.parse(#"{"title": "Checkout", "owner": "alice", "status": "draft", "tags": ["a"]}"#)
    #expect(schema.validate(instance).isEmpty)
    #expect(schema.isValid(instance.value))
  }

  @Test("an enum error on a string carries the string and the allowed strings (for a 'did you mean')")
  func enumErrorsCarryTheMisspelling() throws {
    let schema = try Self.compiled()
    let errors = schema.validate(try JSONParser.parse(#"{"title": "Checkout", "owner": "alice", "status": "shiped"}"#))
    #expect(
      errors.map(\.misspelling) == [
        ValidationError.Misspelling(value: "shiped", allowed: ["draft", "review", "approved", "shipped"])
      ])
    let number = schema.validate(try JSONParser.parse(#"{"title": "Checkout", "owner": "alice", "status": 3}"#))
    #expect(number.count == 1 && number[0].misspelling == nil)
  }

  @Test func errorsCarryLocationsMessagesAndPositions() throws {
    let schema = try Self.compiled()
    let text = """
      {
        "title": "Checkout",
        "owner": 42,
        "status": "shiped",
        "tags": ["a", "a"],
        "colour": "red"
      }
      """
    let errors = schema.validate(try JSONParser.parse(text))
    let summary = errors.map { "\($0.instanceLocation) \($0.keyword) \($0.position!.line):\($0.position!.column)" }
    #expect(
      summary == [
        "/owner type 3:12", "/status enum 4:13", "/tags uniqueItems 5:11", "/colour additionalProperties 6:3",
      ])
    let byKeyword = Dictionary(uniqueKeysWithValues: errors.map { ($0.keyword, $0) })
    #expect(byKeyword["type"]?.message == "expected string, got integer")
    #expect(byKeyword["type"]?.keywordLocation == "/properties/owner/$ref/type")
    #expect(byKeyword["type"]?.absoluteKeywordLocation == "https://keel.example/prd.schema.json#/$defs/person/type")
    #expect(byKeyword["enum"]?.message == "'shiped' is not one of draft, review, approved, shipped")
    #expect(byKeyword["additionalProperties"]?.message == "additional property 'colour' is not allowed")
  }

  @Test func missingRequiredPointsAtTheObject() throws {
    let schema = try Self.compiled()
    let errors = schema.validate(try JSONParser.parse("\n  {\"title\": \"Checkout\", \"status\": \"draft\"}"))
    #expect(errors.count == 1)
    #expect(errors.first?.message == "missing required property 'owner'")
    #expect(errors.first?.instanceLocation == "")
    #expect(errors.first?.position == SourcePosition(line: 2, column: 3))
  }

  /// What the YAML reader produces for front matter: positions from the YAML text (here built by hand).
  @Test func errorsCarryPositionsOfYAMLInstances() throws {
    var sourceMap = SourceMap()
    sourceMap.values[""] = SourcePosition(line: 2, column: 1)
    sourceMap.keys["/title"] = SourcePosition(line: 2, column: 1)
    sourceMap.values["/title"] = SourcePosition(line: 2, column: 8)
    sourceMap.keys["/status"] = SourcePosition(line: 3, column: 1)
    sourceMap.values["/status"] = SourcePosition(line: 3, column: 9)
    sourceMap.keys["/shipped_on"] = SourcePosition(line: 4, column: 1)
    sourceMap.values["/shipped_on"] = SourcePosition(line: 4, column: 13)
    let instance = LocatedJSON(
      value: .object(
        JSONObject([("title", .string("Checkout")), ("status", .string("shiped")), ("shipped_on", .string("x"))])),
      sourceMap: sourceMap)
    let errors = try Self.compiled().validate(instance)
    let positions = Dictionary(uniqueKeysWithValues: errors.map { ($0.keyword, $0.position) })
    #expect(positions["required"] == SourcePosition(line: 2, column: 1))
    #expect(positions["enum"] == SourcePosition(line: 3, column: 9))
    #expect(positions["additionalProperties"] == SourcePosition(line: 4, column: 1))
  }

  @Test func formatIsAnAssertionOnlyWhenAsked() throws {
    let schema: JSONValue = .object(JSONObject([("format", .string("date"))]))
    let instance: JSONValue = .string("2024-02-30")
    #expect(try SchemaCompiler().compile(schema).isValid(instance))
    let asserting = try SchemaCompiler(assertFormat: true).compile(schema)
    #expect(asserting.validate(instance).map(\.message) == ["'2024-02-30' is not a valid date"])
    #expect(asserting.isValid(.string("2024-02-29")))
  }

  @Test func draftIsChosenBySchemaOrExplicitly() throws {
    // In draft-07 `$ref` hides its siblings; in 2020-12 it does not.
    let schema = try JSONParser.parse(##"{"$defs": {"any": true}, "$ref": "#/$defs/any", "type": "string"}"##)
    #expect(try SchemaCompiler(defaultDraft: .draft7).compile(schema).isValid(.integer(1)))
    #expect(try !SchemaCompiler(defaultDraft: .draft202012).compile(schema).isValid(.integer(1)))
    let declared = try JSONParser.parse(
      ##"{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"any": true}, "$ref": "#/definitions/any", "type": "string"}"##
    )
    let compiled = try SchemaCompiler(defaultDraft: .draft202012).compile(declared)
    #expect(compiled.draft == .draft7)
    #expect(compiled.isValid(.integer(1)))
  }

  @Test func registeredSchemasResolveByIdAndMappedFolders() throws {
    var registry = SchemaRegistry()
    try registry.register(
      try JSONParser.parse(#"{"$id": "https://keel.example/person.json", "type": "string"}"#),
      uri: "file:///repo/schemas/person.json")
    let remotes = FileManager.default.temporaryDirectory.appendingPathComponent("keel-remotes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: remotes, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: remotes) }
    try Data(#"{"type": "integer"}"#.utf8).write(to: remotes.appendingPathComponent("integer.json"))
    registry.mapURIPrefix("http://localhost:1234/", toDirectory: remotes)
    let compiler = SchemaCompiler(registry: registry)
    let byID = try compiler.compile(.object(JSONObject([("$ref", .string("https://keel.example/person.json"))])))
    #expect(byID.isValid(.string("a")) && !byID.isValid(.integer(1)))
    let byPath = try compiler.compile(
      .object(JSONObject([("$ref", .string("person.json"))])), uri: "file:///repo/schemas/prd.json")
    #expect(!byPath.isValid(.integer(1)))
    let mapped = try compiler.compile(.object(JSONObject([("$ref", .string("http://localhost:1234/integer.json"))])))
    #expect(mapped.isValid(.integer(1)) && !mapped.isValid(.string("a")))
    #expect(throws: SchemaError.self) { try registry.register(.bool(true), uri: "relative/path.json") }
  }

  @Test func oneCompiledSchemaServesManyThreads() throws {
    let schema = try Self.compiled()
    let instances: [LocatedJSON] = try (0..<200).map { index in
      try JSONParser.parse(
        index % 2 == 0
          ? #"{"title": "Doc \#(index)", "owner": "alice", "status": "draft"}"#
          : #"{"title": "Doc \#(index)", "owner": "Alice", "status": "draft"}"#)
    }
    final class Results: @unchecked Sendable {
      var counts = [Int](repeating: -1, count: 200)
      let lock = NSLock()
    }
    let results = Results()
    DispatchQueue.concurrentPerform(iterations: instances.count) { index in
      let count = schema.validate(instances[index]).count
      results.lock.withLock { results.counts[index] = count }
    }
    #expect(results.counts == (0..<200).map { $0 % 2 == 0 ? 0 : 1 })
  }
}
