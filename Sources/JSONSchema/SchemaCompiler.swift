import Foundation

/// Compiles schemas: meta-validates them, resolves every `$ref` through the registry, compiles
/// `pattern`s once, and produces an immutable `CompiledSchema`.
public struct SchemaCompiler: Sendable {
  public var registry: SchemaRegistry
  /// The draft of a schema without `$schema` (a `$schema` naming a draft always wins).
  public var defaultDraft: JSONSchemaDraft
  /// Treat `format` as an assertion (otherwise it is an annotation, as both drafts default to).
  public var assertFormat: Bool
  /// Validate each schema against its meta-schema before compiling it.
  public var validatesSchema = true
  /// How deep evaluation may nest (instance depth and `$ref` chains) before it stops with an error.
  public var maxDepth = CompiledSchema.defaultMaxDepth

  public init(
    registry: SchemaRegistry = SchemaRegistry(), defaultDraft: JSONSchemaDraft = .draft202012,
    assertFormat: Bool = false
  ) {
    self.registry = registry
    self.defaultDraft = defaultDraft
    self.assertFormat = assertFormat
  }

  /// Compiles `schema`. `uri` is its base URI (its file URL, or any absolute URI); relative
  /// `$ref`s and `$id`s resolve against it. Also registers nothing: register shared schemas first.
  public func compile(_ schema: LocatedJSON, uri: String? = nil) throws(SchemaError) -> CompiledSchema {
    let base = URIReference(uri ?? "").withoutFragment.text
    let compilation = Compilation(
      registry: registry, defaultDialect: .standard(defaultDraft), assertFormat: assertFormat)
    var dialect = Dialect.standard(defaultDraft)
    if case .object(let object) = schema.value, case .string(let metaschema)? = object["$schema"] {
      _ = compilation.addDocument(schema, uri: base)
      dialect = try compilation.dialect(forMetaschema: metaschema, at: .init(document: 0, pointer: ""))
    }
    if validatesSchema { try metaValidate(schema, uri: base, against: dialect) }
    let rootCompilation = Compilation(registry: registry, defaultDialect: dialect, assertFormat: assertFormat)
    let program = try rootCompilation.compileRoot(schema, uri: base)
    return CompiledSchema(program: program, draft: dialect.draft, maxDepth: maxDepth)
  }

  public func compile(_ schema: JSONValue, uri: String? = nil) throws(SchemaError) -> CompiledSchema {
    try compile(LocatedJSON(value: schema), uri: uri)
  }

  /// Reads, parses and compiles a schema file; its base URI is its `file://` URL.
  public func compile(fileAt url: URL, parser: SchemaRegistry.Parser = SchemaRegistry.jsonParser)
    throws(SchemaError) -> CompiledSchema
  {
    let document = try SchemaRegistry.load(url, parser: parser)
    return try compile(document, uri: url.standardizedFileURL.absoluteString)
  }

  func metaValidate(_ schema: LocatedJSON, uri: String, against dialect: Dialect) throws(SchemaError) {
    let metaschema: CompiledSchema
    switch dialect.metaschemaURI {
    case JSONSchemaDraft.draft202012.metaschemaURI: metaschema = Self.draft2020Metaschema
    case JSONSchemaDraft.draft7.metaschemaURI: metaschema = Self.draft7Metaschema
    default:
      var plain = self
      plain.validatesSchema = false
      plain.assertFormat = false
      guard let document = try registry.document(for: dialect.metaschemaURI) else {
        throw SchemaError(message: "unknown meta-schema '\(dialect.metaschemaURI)'", uri: uri)
      }
      metaschema = try plain.compile(document, uri: dialect.metaschemaURI)
    }
    let errors = metaschema.validate(schema)
    guard let first = errors.first else { return }
    throw SchemaError(
      message: "invalid schema: \(first.message)", location: first.instanceLocation, position: first.position,
      uri: uri, metaschemaErrors: errors)
  }

  static func compileMetaschema(_ draft: JSONSchemaDraft) -> CompiledSchema {
    var compiler = SchemaCompiler(defaultDraft: draft)
    compiler.validatesSchema = false
    let document = SchemaRegistry.embeddedMetaschemas.first {
      $0.0 == URIReference(draft.metaschemaURI).withoutFragment.text
    }!
    // The embedded meta-schemas are fixed data; failing to compile them is a defect of this module.
    return try! compiler.compile(document.1, uri: document.0)
  }

  static let draft2020Metaschema = compileMetaschema(.draft202012)
  static let draft7Metaschema = compileMetaschema(.draft7)
}

/// A compiled schema: immutable, `Sendable`, safe to use from many threads at once.
public final class CompiledSchema: Sendable {
  /// Default cap on evaluation depth: far beyond real documents, well inside a 512 KB stack.
  public static let defaultMaxDepth = 128

  let program: Program
  /// The draft the root schema was compiled as.
  public let draft: JSONSchemaDraft
  public let maxDepth: Int

  init(program: Program, draft: JSONSchemaDraft, maxDepth: Int) {
    self.program = program
    self.draft = draft
    self.maxDepth = maxDepth
  }

  /// Whether `instance` is valid. The fast path: no error is built.
  public func isValid(_ instance: JSONValue) -> Bool {
    var evaluator = Evaluator(program: program, sourceMap: nil, maxDepth: maxDepth)
    var annotations = Annotations()
    return evaluator.evaluate(program.root, instance, &annotations, collect: false)
  }

  /// Validates `instance`; every error carries the source position of its node when known.
  public func validate(_ instance: LocatedJSON) -> [ValidationError] {
    if isValid(instance.value) { return [] }
    var evaluator = Evaluator(program: program, sourceMap: instance.sourceMap, maxDepth: maxDepth)
    evaluator.recording = true
    var annotations = Annotations()
    _ = evaluator.evaluate(program.root, instance.value, &annotations, collect: false)
    if evaluator.errors.isEmpty {
      // Both passes share one evaluator, so this is unreachable; keep the answer honest anyway.
      return [
        ValidationError(
          instanceLocation: "", keywordLocation: "", absoluteKeywordLocation: program.nodes[program.root].location,
          keyword: "", message: "instance is not valid", position: instance.sourceMap.values[""])
      ]
    }
    return evaluator.errors
  }

  public func validate(_ instance: JSONValue) -> [ValidationError] {
    validate(LocatedJSON(value: instance))
  }

  /// Parses JSON text and validates it (a parse error becomes a thrown `JSONParseError`).
  public func validate(jsonData data: Data) throws(JSONParseError) -> [ValidationError] {
    validate(try JSONParser.parse(data))
  }
}
