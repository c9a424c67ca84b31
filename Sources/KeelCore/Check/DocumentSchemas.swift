import Foundation
import JSONSchema

/// The compiled front-matter schema of every kind. Each schema is compiled
/// once; every schema file of the repository is registered (by path and by
/// `$id`) so that `$ref`s between them resolve without the network.
public struct DocumentSchemas: Sendable {
  public private(set) var byKind: [String: CompiledSchema] = [:]
  /// Kind name → the fields its schema marks `x-keel-ref` (kinds without any are absent).
  public private(set) var references: [String: [ReferenceField]] = [:]

  /// Throws `KeelError` (exit 2) for a missing, unreadable or invalid schema,
  /// located in the schema file.
  public init(config: KeelConfig, snapshot: Snapshot, allPaths: [String]) throws {
    let schemaPaths = Set(config.kinds.compactMap(\.schema))
    guard !schemaPaths.isEmpty else { return }
    let folders = Set(schemaPaths.map { ($0 as NSString).deletingLastPathComponent })
    let candidates = allPaths.filter { path in
      let lowered = path.lowercased()
      guard lowered.hasSuffix(".json") || lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") else { return false }
      return schemaPaths.contains(path) || folders.contains((path as NSString).deletingLastPathComponent)
    }
    var registry = SchemaRegistry()
    var parsed: [String: LocatedJSON] = [:]
    for path in candidates {
      guard let (value, problems) = try? StructuredFile.read(path, in: snapshot) else { continue }
      if schemaPaths.contains(path), let problem = problems.first {
        throw KeelError(
          "schema is not valid YAML/JSON: \(problem.message)", path: path,
          position: SourcePosition(line: problem.line, column: problem.column))
      }
      guard let value else { continue }
      parsed[path] = value
      try? registry.register(value.value, uri: DocumentSchemas.uri(for: path))
    }
    let compiler = SchemaCompiler(registry: registry, assertFormat: true)
    var compiledByPath: [String: CompiledSchema] = [:]
    var referencesByPath: [String: [ReferenceField]] = [:]
    let kindNames = Set(config.kinds.map(\.name))
    for kind in config.kinds {
      guard let path = kind.schema else { continue }
      if let done = compiledByPath[path] {
        byKind[kind.name] = done
        references[kind.name] = referencesByPath[path]
        continue
      }
      guard let source = parsed[path] else {
        // Not listed: missing, or refused (a symbolic link, `..` out of the repository): say which.
        var problem = "does not exist"
        do { _ = try snapshot.read(path, maxBytes: 0) } catch let refusal as PathRefusal {
          problem = PathRefusal.problem(reading: refusal)
        } catch {}
        throw KeelError("schema file \(path) of kind '\(kind.name)' \(problem)", path: KeelConfig.fileName)
      }
      do {
        let compiled = try compiler.compile(source, uri: DocumentSchemas.uri(for: path))
        compiledByPath[path] = compiled
        byKind[kind.name] = compiled
      } catch {
        throw KeelError("invalid schema: \(error.message)", path: path, position: error.position)
      }
      let fields = try ReferenceField.fields(
        in: source, path: path, kinds: kindNames, catalogue: config.kpisPath != nil)
      referencesByPath[path] = fields.isEmpty ? nil : fields
      references[kind.name] = referencesByPath[path]
    }
  }

  /// The base URI of a repository schema file, for relative `$ref`s between files.
  static func uri(for path: String) -> String { "keel-repo:///" + path }
}
