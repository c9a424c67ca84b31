/// The compiled form of a schema and everything it references: a flat table of nodes that refer to
/// each other by index (so `$ref` cycles need no reference cycles), immutable once built.
struct Program: Sendable {
  var nodes: [Node] = []
  /// Per schema resource (index = `Node.resource`): its `$dynamicAnchor`s, name → node.
  var dynamicAnchors: [[String: Int]] = []
  var root = 0
}

/// One schema object (or boolean) with its keywords compiled in evaluation order;
/// `unevaluatedProperties`/`unevaluatedItems` always come last.
struct Node: Sendable {
  var keywords: [Keyword] = []
  var alwaysFalse = false
  /// The schema resource this node belongs to (for the dynamic scope of `$dynamicRef`).
  var resource = 0
  /// Absolute URI of this schema, `base#/pointer` (prefix of `absoluteKeywordLocation`).
  var location = ""
  /// True when a keyword of this node reads the annotations of its siblings.
  var needsAnnotations = false
}

/// JSON types as a bit set, for `type`.
struct TypeSet: OptionSet, Sendable {
  let rawValue: UInt8
  static let null = TypeSet(rawValue: 1)
  static let boolean = TypeSet(rawValue: 2)
  static let object = TypeSet(rawValue: 4)
  static let array = TypeSet(rawValue: 8)
  static let number = TypeSet(rawValue: 16)
  static let string = TypeSet(rawValue: 32)
  static let integer = TypeSet(rawValue: 64)

  static let names: [(String, TypeSet)] = [
    ("null", .null), ("boolean", .boolean), ("object", .object), ("array", .array), ("number", .number),
    ("string", .string), ("integer", .integer),
  ]

  init(rawValue: UInt8) { self.rawValue = rawValue }

  init?(name: String) {
    guard let match = TypeSet.names.first(where: { $0.0 == name }) else { return nil }
    self = match.1
  }

  var nameList: [String] { TypeSet.names.filter { contains($0.1) }.map(\.0) }

  /// Whether `value` is of one of these types (an integral number counts as an integer).
  func matches(_ value: JSONValue) -> Bool {
    switch value {
    case .null: return contains(.null)
    case .bool: return contains(.boolean)
    case .object: return contains(.object)
    case .array: return contains(.array)
    case .string: return contains(.string)
    case .integer: return contains(.integer) || contains(.number)
    case .number(let number):
      return contains(.number) || (contains(.integer) && number.isFinite && number == number.rounded(.towardZero))
    }
  }
}

enum Comparison: Sendable {
  case minimum, maximum, exclusiveMinimum, exclusiveMaximum

  var keyword: String {
    switch self {
    case .minimum: "minimum"
    case .maximum: "maximum"
    case .exclusiveMinimum: "exclusiveMinimum"
    case .exclusiveMaximum: "exclusiveMaximum"
    }
  }
}

enum SizeLimit: Sendable {
  case minLength, maxLength, minItems, maxItems, minProperties, maxProperties

  var keyword: String {
    switch self {
    case .minLength: "minLength"
    case .maxLength: "maxLength"
    case .minItems: "minItems"
    case .maxItems: "maxItems"
    case .minProperties: "minProperties"
    case .maxProperties: "maxProperties"
    }
  }
}

/// A compiled keyword. Subschemas are node indices into `Program.nodes`.
enum Keyword: Sendable {
  case ref(Int)
  /// `$dynamicRef`: `anchor` is set when the reference is dynamic (its initial target has a
  /// matching `$dynamicAnchor`); otherwise it behaves like `$ref`.
  case dynamicRef(Int, anchor: String?)
  case type(TypeSet)
  case enumeration([JSONValue], strings: Set<String>?)
  case constant(JSONValue)
  case multipleOf(JSONValue)
  case comparison(Comparison, JSONValue)
  case size(SizeLimit, Int)
  case pattern(ECMARegex)
  case uniqueItems
  case required([String])
  /// `dependentRequired` (and draft-07 `dependencies` with array values).
  case dependentRequired([(String, [String])], keyword: String)
  case format(String, @Sendable (String) -> Bool)
  case allOf([Int])
  case anyOf([Int])
  case oneOf([Int])
  case not(Int)
  case conditional(if: Int, then: Int?, else: Int?)
  /// `dependentSchemas` (and draft-07 `dependencies` with schema values).
  case dependentSchemas([(String, Int)], keyword: String)
  case properties([(String, Int)])
  case patternProperties([(ECMARegex, Int)])
  case additionalProperties(Int, known: Set<String>, patterns: [ECMARegex])
  case propertyNames(Int)
  /// `prefixItems` (and draft-07 `items` in array form).
  case prefixItems([Int], keyword: String)
  /// `items` applied from index `from` on (2020-12 `items`, draft-07 `items`/`additionalItems`).
  case items(Int, from: Int, keyword: String)
  case contains(Int, min: Int, max: Int?)
  case unevaluatedProperties(Int)
  case unevaluatedItems(Int)
}
