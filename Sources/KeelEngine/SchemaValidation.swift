import Foundation
import JSONSchema
import KeelCore

/// `keel schema validate`: a batch of JSON or YAML instance files against one JSON Schema, in
/// parallel, reported as text or JSON.
public struct SchemaValidation: Sendable {
  public enum Format: String, CaseIterable, Sendable {
    case text, json
  }

  /// `--map-uri PREFIX=DIR`: `$ref`s starting with `prefix` resolve from files under `folder`.
  public struct URIMapping: Sendable, Equatable {
    public var prefix: String
    public var folder: String

    /// `PREFIX=DIR`; nil without an `=` or with an empty prefix.
    public init?(_ argument: String) {
      guard let separator = argument.firstIndex(of: "="), separator != argument.startIndex else { return nil }
      prefix = String(argument[..<separator])
      folder = String(argument[argument.index(after: separator)...])
    }
  }

  /// Where relative paths start (`-C`).
  public var directory: URL
  public var schema: String
  /// The draft of a schema without `$schema`.
  public var draft: JSONSchemaDraft = .draft202012
  public var mapURI: [URIMapping] = []
  public var assertFormat = false
  public var format: Format = .text
  public var instances: [String]

  public init(directory: URL, schema: String, instances: [String]) {
    self.directory = directory
    self.schema = schema
    self.instances = instances
  }

  /// `--draft`: 2020-12 or 7, in the spellings people use.
  public static func draft(named text: String) -> JSONSchemaDraft? {
    switch text.lowercased() {
    case "2020-12", "draft2020-12", "draft-2020-12": .draft202012
    case "7", "07", "draft7", "draft-07", "draft-7": .draft7
    default: nil
    }
  }

  /// Parses a schema or instance file: JSON by JSONParser, anything else by the YAML reader.
  static let parser: SchemaRegistry.Parser = { data, path in
    let (value, problems) = StructuredFile.read(data, path: path)
    if let value { return value }
    let problem = problems.first
    throw SchemaError(
      message: problem?.message ?? "cannot parse \(path)",
      position: problem.map { SourcePosition(line: $0.line, column: $0.column) }, uri: path)
  }

  /// Validates every instance and writes the report; throws `ExitStatus(1)` when one is invalid, `ExitStatus(2)`
  /// when the schema is invalid or an instance unreadable (each reported on stderr).
  public func run() throws {
    if instances.isEmpty {
      Output.warn("error: give at least one instance file (keel schema validate --schema FILE INSTANCE…)")
      throw ExitStatus(2)
    }
    var registry = SchemaRegistry()
    for mapping in mapURI {
      let folder = URL(fileURLWithPath: mapping.folder, isDirectory: true, relativeTo: directory)
      registry.mapURIPrefix(mapping.prefix, toDirectory: folder.standardizedFileURL, parser: Self.parser)
    }
    let schemaURL = URL(fileURLWithPath: schema, relativeTo: directory).standardizedFileURL
    // Relative `$ref`s between schema files: files in the schema's folder (and below) resolve by path.
    let schemaFolder = schemaURL.deletingLastPathComponent()
    registry.mapURIPrefix(schemaFolder.absoluteString, toDirectory: schemaFolder, parser: Self.parser)
    let compiler = SchemaCompiler(
      registry: registry, defaultDraft: draft, assertFormat: assertFormat)
    let compiled: CompiledSchema
    do {
      compiled = try compiler.compile(fileAt: schemaURL, parser: Self.parser)
    } catch {
      let at = error.position.map { ":\($0.line):\($0.column)" } ?? ""
      let origin = error.uri.flatMap { $0 == schemaURL.absoluteString || $0.isEmpty ? nil : $0 } ?? schema
      let pointer = error.location.isEmpty ? "" : " (at \(error.location))"
      Output.warn("error: \(origin)\(at): \(error.message)\(pointer)")
      throw ExitStatus(2)
    }

    let results = Self.validateAll(instances, relativeTo: directory, with: compiled)
    let output: String
    switch format {
    case .json: output = Self.jsonReport(results)
    case .text: output = TextKit.terminal(Self.textReport(results))
    }
    Output.write(output)
    if let unreadable = results.first(where: { $0.unreadable }) {
      Output.warn("error: cannot read \(unreadable.path)")
      throw ExitStatus(2)
    }
    if results.contains(where: { !$0.errors.isEmpty }) { throw ExitStatus(1) }
  }

  struct InstanceResult: Sendable {
    var path: String
    var errors: [JSONSchema.ValidationError] = []
    var unreadable = false
  }

  /// Reads, parses and validates every instance, in parallel (results keep the argument order).
  static func validateAll(_ paths: [String], relativeTo directory: URL, with schema: CompiledSchema)
    -> [InstanceResult]
  {
    let base = directory.path.hasSuffix("/") ? directory.path : directory.path + "/"
    return paths.parallelMap { path in
      var result = InstanceResult(path: path)
      guard let data = FileManager.default.contents(atPath: path.hasPrefix("/") ? path : base + path) else {
        result.unreadable = true
        return result
      }
      let (instance, problems) = StructuredFile.read(data, path: path)
      if let instance {
        // Read, but with problems a check reports as errors (a duplicate key, a second YAML document).
        let parseErrors = problems.filter { $0.severity == .error }.map {
          JSONSchema.ValidationError(
            instanceLocation: "", keywordLocation: "", absoluteKeywordLocation: "", keyword: "parse",
            message: $0.message, position: SourcePosition(line: $0.line, column: $0.column))
        }
        result.errors = parseErrors + schema.validate(instance)
      } else {
        let problem = problems.first
        result.errors = [
          JSONSchema.ValidationError(
            instanceLocation: "", keywordLocation: "", absoluteKeywordLocation: "", keyword: "parse",
            message: "cannot parse: \(problem?.message ?? "unreadable content")",
            position: problem.map { SourcePosition(line: $0.line, column: $0.column) })
        ]
      }
      return result
    }
  }

  static func textReport(_ results: [InstanceResult]) -> String {
    var text = ""
    for result in results {
      for error in result.errors {
        let line = error.position?.line ?? 1
        let column = error.position?.column ?? 1
        let location = error.keywordLocation.isEmpty ? "" : " [\(error.keywordLocation)]"
        text += "\(result.path):\(line):\(column): error: \(error.message)\(location)\n"
      }
    }
    let invalid = results.filter { !$0.errors.isEmpty }.count
    text +=
      "\(results.count) instance\(results.count == 1 ? "" : "s"): \(results.count - invalid) valid, \(invalid) invalid\n"
    return text
  }

  static func jsonReport(_ results: [InstanceResult]) -> String {
    let entries: [JSONValue] = results.map { result in
      let errors: [JSONValue] = result.errors.map { error in
        .object(
          JSONObject([
            ("instanceLocation", .string(error.instanceLocation)),
            ("keywordLocation", .string(error.keywordLocation)),
            ("absoluteKeywordLocation", .string(error.absoluteKeywordLocation)),
            ("keyword", .string(error.keyword)),
            ("message", .string(error.message)),
            ("line", .integer(error.position?.line ?? 1)),
            ("column", .integer(error.position?.column ?? 1)),
          ]))
      }
      return .object(
        JSONObject([
          ("instance", .string(result.path)), ("valid", .bool(result.errors.isEmpty && !result.unreadable)),
          ("errors", .array(errors)),
        ]))
    }
    return JSONValue.object(JSONObject([("results", .array(entries))])).jsonText() + "\n"
  }
}
