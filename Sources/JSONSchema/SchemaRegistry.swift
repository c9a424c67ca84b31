import Foundation

/// Where `$ref`s may be resolved from: schemas registered by URI (their `$id`, their file URL)
/// and folders that stand in for URI prefixes. Nothing is ever fetched from the network: a
/// `$ref` to anything not found here is a `SchemaError` naming the URI.
public struct SchemaRegistry: Sendable {
  /// Parses a schema file (JSON by default; the CLI passes a reader that also takes YAML).
  public typealias Parser = @Sendable (_ data: Data, _ path: String) throws -> LocatedJSON

  struct Mapping: Sendable {
    var prefix: String
    var directory: URL
    var parse: Parser
  }

  /// Registered documents by absolute URI without fragment.
  private(set) var documents: [String: LocatedJSON] = [:]
  private(set) var mappings: [Mapping] = []

  /// - Parameter includeMetaschemas: register the embedded draft 2020-12 and draft-07 meta-schemas.
  public init(includeMetaschemas: Bool = true) {
    if includeMetaschemas {
      for (uri, document) in Self.embeddedMetaschemas { documents[uri] = document }
    }
  }

  /// Registers a schema under `uri` (absolute: it has a scheme), and under its own top-level
  /// `$id` when it has one.
  public mutating func register(_ schema: LocatedJSON, uri: String) throws(SchemaError) {
    let base = URIReference(uri).withoutFragment
    guard base.isAbsolute else {
      throw SchemaError(message: "a schema must be registered under an absolute URI, not '\(uri)'", uri: uri)
    }
    documents[base.text] = schema
    if case .object(let object) = schema.value, case .string(let id)? = object["$id"] {
      let identified = base.resolving(id).withoutFragment.text
      if documents[identified] == nil { documents[identified] = schema }
    }
  }

  public mutating func register(_ schema: JSONValue, uri: String) throws(SchemaError) {
    try register(LocatedJSON(value: schema), uri: uri)
  }

  /// Reads and registers a schema file under its `file://` URL (and its `$id`). Returns the file URL.
  @discardableResult
  public mutating func registerFile(at url: URL, parser: Parser = SchemaRegistry.jsonParser) throws(SchemaError)
    -> String
  {
    let document = try Self.load(url, parser: parser)
    let uri = url.standardizedFileURL.absoluteString
    try register(document, uri: uri)
    return uri
  }

  /// Resolves `$ref`s whose URI starts with `prefix` from files under `directory`
  /// (`http://example.com/schemas/` + `a/b.json` → `directory/a/b.json`).
  public mutating func mapURIPrefix(_ prefix: String, toDirectory directory: URL, parser: @escaping Parser = jsonParser)
  {
    mappings.append(Mapping(prefix: prefix, directory: directory, parse: parser))
  }

  public static let jsonParser: Parser = { data, _ in try JSONParser.parse(data) }

  /// The document registered as, or mapped from, `uri` (absolute, no fragment).
  func document(for uri: String) throws(SchemaError) -> LocatedJSON? {
    if let document = documents[uri] { return document }
    for mapping in mappings where uri.hasPrefix(mapping.prefix) {
      let relative = String(uri.dropFirst(mapping.prefix.count))
      guard !relative.split(separator: "/").contains("..") else { continue }
      let file = mapping.directory.appendingPathComponent(relative)
      if FileManager.default.fileExists(atPath: file.path) { return try Self.load(file, parser: mapping.parse) }
    }
    return nil
  }

  /// URIs of every registered document (used to find `$id`s embedded inside them).
  var registeredURIs: [String] { documents.keys.sorted() }

  static func load(_ url: URL, parser: Parser) throws(SchemaError) -> LocatedJSON {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw SchemaError(message: "cannot read schema file '\(url.path)'", uri: url.absoluteString)
    }
    do {
      return try parser(data, url.path)
    } catch let error as JSONParseError {
      throw SchemaError(
        message: "schema is not valid JSON: \(error.message)", position: error.position, uri: url.absoluteString)
    } catch let error as SchemaError {
      throw error
    } catch {
      throw SchemaError(message: "cannot parse schema file '\(url.path)': \(error)", uri: url.absoluteString)
    }
  }

  /// The embedded meta-schemas, parsed once per process.
  static let embeddedMetaschemas: [(String, LocatedJSON)] = EmbeddedMetaschemas.files.keys.sorted().map { path in
    // The embedded files are generated from the published meta-schemas; failing to parse them is a build defect.
    let document = try! JSONParser.parse(EmbeddedMetaschemas.files[path]!)
    guard case .object(let object) = document.value, case .string(let id)? = object["$id"] else {
      preconditionFailure("embedded meta-schema \(path) has no $id")
    }
    return (URIReference(id).withoutFragment.text, document)
  }
}
