import Foundation
import JSONSchema

/// The JSON Schemas of Keel's own files, shipped in the binary.
public enum KeelSchemas {
  public enum Name: String, Sendable, CaseIterable {
    case config = "keel"
    case workflow, raci, people, glossary, kpis
    public var path: String { "schemas/\(rawValue).schema.json" }
  }

  /// Each schema is compiled on first use: most commands validate one kind of file, and compiling
  /// all of them costs more than a history command's whole run.
  private static let cache = CompiledCache()

  private final class CompiledCache: @unchecked Sendable {
    private let lock = NSLock()
    private var compiled: [Name: CompiledSchema] = [:]

    func schema(_ name: Name) -> CompiledSchema {
      lock.lock()
      defer { lock.unlock() }
      if let done = compiled[name] { return done }
      let schema: CompiledSchema
      do { schema = try KeelSchemas.compile(name, validatingSchema: false) } catch {
        preconditionFailure("embedded schema \(name.path) does not compile: \(error)")
      }
      compiled[name] = schema
      return schema
    }
  }

  /// - Parameter validatingSchema: also check the schema against its meta-schema. The shipped schemas
  ///   are checked by the tests (`embeddedSchemasMeetTheMetaSchema`), not on every run.
  static func compile(_ name: Name, validatingSchema: Bool) throws -> CompiledSchema {
    guard let text = EmbeddedDefaults.files[name.path] else { throw KeelError("embedded \(name.path) is missing") }
    var compiler = SchemaCompiler(registry: SchemaRegistry(), assertFormat: true)
    compiler.validatesSchema = validatingSchema
    return try compiler.compile(try JSONParser.parse(Data(text.utf8)), uri: "keel:///\(name.path)")
  }

  /// Validates one of Keel's own files; errors carry the instance's positions.
  /// A key the schema does not allow gets the nearest key it names ("did you mean 'workflow'?"), a
  /// value an `enum` does not allow the nearest value (`Suggestion.hinted`).
  public static func validate(_ instance: LocatedJSON, against name: Name) -> [ValidationError] {
    cache.schema(name).validate(instance).map { Suggestion.hinted($0, keys: { propertyNames(of: name) }) }
  }

  /// Every property name the schema declares, at any depth (the candidates of a "did you mean").
  static func propertyNames(of name: Name) -> [String] {
    guard let text = EmbeddedDefaults.files[name.path], let schema = try? JSONParser.parse(Data(text.utf8)).value else {
      return []
    }
    var names = Set<String>()
    func collect(_ value: JSONValue) {
      switch value {
      case .object(let members):
        for (key, member) in members {
          if key == "properties", case .object(let properties) = member { names.formUnion(properties.keys) }
          collect(member)
        }
      case .array(let elements): elements.forEach(collect)
      default: break
      }
    }
    collect(schema)
    return names.sorted()
  }

  /// The same, as `config/schema` findings for `path`.
  public static func diagnostics(for instance: LocatedJSON, against name: Name, path: String) -> [Diagnostic] {
    validate(instance, against: name).map { error in
      ReaderRules.configSchema.finding(
        error.message, path: path, at: error.position, jsonPointer: error.instanceLocation,
        schemaLocation: error.absoluteKeywordLocation)
    }
  }
}

/// Reads a YAML or JSON file into located JSON, as diagnostics on failure.
public enum StructuredFile {
  /// Reads `path` from `snapshot` and parses it; a file over
  /// `limits.maxFileBytes` is `parse/too-large`, decided before reading.
  /// Throws when the file cannot be read at all.
  public static func read(
    _ path: String, in snapshot: Snapshot, limits: ParseLimits = .default
  ) throws -> (LocatedJSON?, [Diagnostic]) {
    let data: Data
    do { data = try snapshot.read(path, maxBytes: limits.maxFileBytes) } catch let error as FileTooLargeError {
      return (nil, [TextDecoding.tooLarge(size: error.size, path: path, limit: error.limit)])
    }
    return read(data, path: path, limits: limits)
  }

  public static func read(_ data: Data, path: String, limits: ParseLimits = .default) -> (LocatedJSON?, [Diagnostic]) {
    let lowered = path.lowercased()
    if lowered.hasSuffix(".json") { return json(data, path: path) }
    return YAMLReader.read(data: data, path: path, limits: limits)
  }

  /// A JSON file: a syntax error is `parse/json`; a repeated member name `parse/duplicate-key` at
  /// the second one (the first is kept, as in YAML).
  static func json(_ data: Data, path: String) -> (LocatedJSON?, [Diagnostic]) {
    var duplicates: [JSONDuplicateKey] = []
    do {
      let value = try JSONParser.parse(data, duplicateKeys: &duplicates)
      return (
        value,
        duplicates.map { duplicate in
          ReaderRules.duplicateKey.finding(
            "duplicate key '\(duplicate.key)' in a mapping", path: path, at: duplicate.position,
            related: duplicate.firstPosition.map {
              [
                RelatedLocation(
                  path: path, line: $0.line, column: $0.column, message: "first occurrence of '\(duplicate.key)'")
              ]
            } ?? [])
        }
      )
    } catch {
      return (nil, [ReaderRules.json.finding(error.message, path: path, at: error.position)])
    }
  }
}
