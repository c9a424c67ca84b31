import Foundation
import JSONSchema

/// The JSON Schemas of Keel's own files, shipped in the binary.
public enum KeelSchemas {
  public enum Name: String, Sendable, CaseIterable {
    case config = "keel"
    case workflow, raci, people, glossary
    public var path: String { "schemas/\(rawValue).schema.json" }
  }

  private static let compiled: [Name: CompiledSchema] = {
    var result: [Name: CompiledSchema] = [:]
    for name in Name.allCases {
      guard let text = EmbeddedDefaults.files[name.path],
        let parsed = try? JSONParser.parse(Data(text.utf8))
      else { preconditionFailure("embedded schema \(name.path) is missing or not JSON") }
      do {
        result[name] = try SchemaCompiler(registry: SchemaRegistry(), assertFormat: true).compile(
          parsed, uri: "keel:///\(name.path)")
      } catch {
        preconditionFailure("embedded schema \(name.path) does not compile: \(error)")
      }
    }
    return result
  }()

  /// Validates one of Keel's own files; errors carry the instance's positions.
  public static func validate(_ instance: LocatedJSON, against name: Name) -> [ValidationError] {
    compiled[name]!.validate(instance)
  }

  /// The same, as diagnostics for `path` (rule `config/schema`).
  public static func diagnostics(
    for instance: LocatedJSON, against name: Name, path: String, rule: String
  ) -> [Diagnostic] {
    validate(instance, against: name).map { error in
      Diagnostic(
        rule: rule, message: error.message, path: path, at: error.position,
        jsonPointer: error.instanceLocation, schemaLocation: error.absoluteKeywordLocation)
    }
  }
}

/// Reads a YAML or JSON file into located JSON, as diagnostics on failure.
public enum StructuredFile {
  public static func read(_ data: Data, path: String, limits: ParseLimits = .default) -> (LocatedJSON?, [Diagnostic]) {
    let lowered = path.lowercased()
    if lowered.hasSuffix(".json") {
      do { return (try JSONParser.parse(data), []) } catch {
        return (nil, [Diagnostic(rule: "parse/json", message: error.message, path: path, at: error.position)])
      }
    }
    return YAMLReader.read(data: data, path: path, limits: limits)
  }
}
