/// JSON Schema (draft 2020-12 and draft-07): compile once, validate many.
///
/// ```swift
/// var registry = SchemaRegistry()                       // embedded meta-schemas included
/// let compiler = SchemaCompiler(registry: registry)
/// let schema = try compiler.compile(try JSONParser.parse(schemaData), uri: "file:///repo/prd.schema.json")
/// let errors = schema.validate(try JSONParser.parse(instanceData))   // [] when valid
/// ```
public enum JSONSchemaDraft: String, Sendable, CaseIterable {
  case draft202012 = "2020-12"
  case draft7 = "7"

  /// The canonical `$schema` URI of the draft's meta-schema.
  public var metaschemaURI: String {
    switch self {
    case .draft202012: "https://json-schema.org/draft/2020-12/schema"
    case .draft7: "http://json-schema.org/draft-07/schema#"
    }
  }

  /// The draft a `$schema` URI names, if it is one of ours.
  public init?(metaschemaURI uri: String) {
    var normalized = uri
    if normalized.hasSuffix("#") { normalized.removeLast() }
    switch normalized {
    case "https://json-schema.org/draft/2020-12/schema": self = .draft202012
    case "http://json-schema.org/draft-07/schema", "https://json-schema.org/draft-07/schema": self = .draft7
    default: return nil
    }
  }
}

/// One failed assertion, as a JSON Schema output unit.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
  /// JSON pointer to the instance node the error is about (`""` is the root).
  public var instanceLocation: String
  /// JSON pointer of the failing keyword along the evaluation path (through `$ref`s).
  public var keywordLocation: String
  /// Absolute URI of the failing keyword in the schema resource that holds it.
  public var absoluteKeywordLocation: String
  /// The failing keyword (`required`, `enum`, `type`, …; `false` for a false schema).
  public var keyword: String
  /// A readable sentence: "missing required property 'owner'".
  public var message: String
  /// Where the instance node is in its source text, when the instance came from text.
  public var position: SourcePosition?
  /// `enum` errors on a string: the string and the strings the enum allows, so that a caller can
  /// suggest the nearest one ("did you mean 'shipped'?"); nil otherwise.
  public var misspelling: Misspelling?

  /// A string an `enum` does not allow, and the strings it does.
  public struct Misspelling: Sendable, Hashable {
    public var value: String
    public var allowed: [String]
    public init(value: String, allowed: [String]) {
      self.value = value
      self.allowed = allowed
    }
  }

  public init(
    instanceLocation: String, keywordLocation: String, absoluteKeywordLocation: String, keyword: String,
    message: String, position: SourcePosition? = nil
  ) {
    self.instanceLocation = instanceLocation
    self.keywordLocation = keywordLocation
    self.absoluteKeywordLocation = absoluteKeywordLocation
    self.keyword = keyword
    self.message = message
    self.position = position
  }

  public var description: String {
    let at = position.map { "\($0.line):\($0.column): " } ?? ""
    return "\(at)\(instanceLocation.isEmpty ? "/" : instanceLocation): \(message) [\(keywordLocation)]"
  }
}

/// A schema that cannot be used: invalid against its meta-schema, an unresolvable `$ref`, a bad
/// regular expression, an unreadable file. `location` is a JSON pointer into the schema named by `uri`.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  public var location: String
  public var position: SourcePosition?
  public var uri: String?
  /// For an invalid schema: what its meta-schema reported (positions are in the schema text).
  public var metaschemaErrors: [ValidationError]

  public init(
    message: String, location: String = "", position: SourcePosition? = nil, uri: String? = nil,
    metaschemaErrors: [ValidationError] = []
  ) {
    self.message = message
    self.location = location
    self.position = position
    self.uri = uri
    self.metaschemaErrors = metaschemaErrors
  }

  public var description: String {
    var text = ""
    if let uri, !uri.isEmpty { text += uri + ":" }
    if let position { text += "\(position.line):\(position.column):" }
    if !text.isEmpty { text += " " }
    text += message
    if !location.isEmpty { text += " (at \(location))" }
    return text
  }
}
