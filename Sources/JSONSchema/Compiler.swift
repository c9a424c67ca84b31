/// JSON Schema vocabularies a dialect enables (draft 2020-12 `$vocabulary`; draft-07 has them all).
struct Vocabularies: OptionSet, Sendable, Hashable {
  let rawValue: UInt8
  static let core = Vocabularies(rawValue: 1)
  static let applicator = Vocabularies(rawValue: 2)
  static let unevaluated = Vocabularies(rawValue: 4)
  static let validation = Vocabularies(rawValue: 8)
  static let formatAnnotation = Vocabularies(rawValue: 16)
  static let formatAssertion = Vocabularies(rawValue: 32)
  static let content = Vocabularies(rawValue: 64)
  static let metaData = Vocabularies(rawValue: 128)
  static let standard: Vocabularies = [
    .core, .applicator, .unevaluated, .validation, .formatAnnotation, .content, .metaData,
  ]

  static let byURI: [String: Vocabularies] = [
    "https://json-schema.org/draft/2020-12/vocab/core": .core,
    "https://json-schema.org/draft/2020-12/vocab/applicator": .applicator,
    "https://json-schema.org/draft/2020-12/vocab/unevaluated": .unevaluated,
    "https://json-schema.org/draft/2020-12/vocab/validation": .validation,
    "https://json-schema.org/draft/2020-12/vocab/format-annotation": .formatAnnotation,
    "https://json-schema.org/draft/2020-12/vocab/format-assertion": .formatAssertion,
    "https://json-schema.org/draft/2020-12/vocab/content": .content,
    "https://json-schema.org/draft/2020-12/vocab/meta-data": .metaData,
  ]
}

/// The draft and vocabularies that give a schema's keywords their meaning.
struct Dialect: Sendable, Hashable {
  var draft: JSONSchemaDraft
  var vocabularies: Vocabularies
  /// The meta-schema a schema of this dialect is validated against.
  var metaschemaURI: String

  static func standard(_ draft: JSONSchemaDraft) -> Dialect {
    Dialect(draft: draft, vocabularies: .standard, metaschemaURI: draft.metaschemaURI)
  }
}

/// Builds a `Program` from a root schema and the registry; one instance per compilation.
final class Compilation {
  struct Location: Hashable {
    var document: Int
    var pointer: String
  }

  /// Base URI, resource and dialect in effect at a schema location.
  struct Scope {
    var base: URIReference
    var baseText: String
    var resourcePointer: String
    var dialect: Dialect
  }

  struct Document {
    var json: LocatedJSON
    var uri: String
    var indexed = false
  }

  let registry: SchemaRegistry
  let assertFormat: Bool
  let defaultDialect: Dialect

  var documents: [Document] = []
  var documentByURI: [String: Int] = [:]
  var resources: [String: Location] = [:]
  var anchors: [String: Location] = [:]
  var dynamicAnchorLocations: [String: [String: Location]] = [:]
  var scopes: [Location: Scope] = [:]

  var program = Program()
  var nodeByLocation: [Location: Int] = [:]
  var resourceIndexByURI: [String: Int] = [:]
  var worklist: [(Int, Location)] = []
  /// For each node, the location it was compiled from (for error messages).
  var nodeLocations: [Location] = []

  static let maxSchemaDepth = 1_000

  init(registry: SchemaRegistry, defaultDialect: Dialect, assertFormat: Bool) {
    self.registry = registry
    self.defaultDialect = defaultDialect
    self.assertFormat = assertFormat
  }

  // MARK: Entry point

  func compileRoot(_ schema: LocatedJSON, uri: String) throws(SchemaError) -> Program {
    let document = addDocument(schema, uri: uri)
    try indexDocument(document)
    program.root = try node(for: Location(document: document, pointer: ""))
    while let (index, location) = worklist.popLast() {
      try compileNode(index, at: location)
    }
    try checkForInPlaceCycles()
    return program
  }

  func addDocument(_ json: LocatedJSON, uri: String) -> Int {
    documents.append(Document(json: json, uri: uri))
    documentByURI[uri] = documents.count - 1
    return documents.count - 1
  }

  func error(_ message: String, at location: Location) -> SchemaError {
    let document = documents[location.document]
    return SchemaError(
      message: message, location: location.pointer,
      position: document.json.sourceMap.values[location.pointer]
        ?? document.json.sourceMap.position(for: location.pointer),
      uri: document.uri)
  }

  func value(at location: Location) -> JSONValue? {
    guard let tokens = JSONPointer.tokens(location.pointer) else { return nil }
    return JSONPointer.resolve(tokens, in: documents[location.document].json.value)
  }

  // MARK: Dialects

  /// The dialect named by a `$schema` URI.
  func dialect(forMetaschema uri: String, at location: Location, depth: Int = 0) throws(SchemaError) -> Dialect {
    if let draft = JSONSchemaDraft(metaschemaURI: uri) { return .standard(draft) }
    let normalized = URIReference(uri).withoutFragment.text
    switch normalized {
    case "https://json-schema.org/draft/2019-09/schema": return .standard(.draft202012)
    case "http://json-schema.org/draft-06/schema", "http://json-schema.org/draft-04/schema": return .standard(.draft7)
    default: break
    }
    guard depth < 8, let metaschema = try registry.document(for: normalized),
      case .object(let object) = metaschema.value
    else {
      throw error("unknown meta-schema '\(uri)' in $schema (only registered schemas can be used)", at: location)
    }
    var dialect = defaultDialect
    if case .string(let parent)? = object["$schema"], parent != uri {
      dialect = try self.dialect(forMetaschema: parent, at: location, depth: depth + 1)
    }
    dialect.metaschemaURI = normalized
    if case .object(let vocabularies)? = object["$vocabulary"] {
      var enabled: Vocabularies = []
      for (vocabularyURI, required) in vocabularies {
        if let known = Vocabularies.byURI[vocabularyURI] {
          enabled.insert(known)
        } else if required == .bool(true) {
          throw error("meta-schema '\(uri)' requires the unsupported vocabulary '\(vocabularyURI)'", at: location)
        }
      }
      dialect.vocabularies = enabled.union(.core)
    }
    return dialect
  }

  // MARK: Indexing ($id, $anchor, $dynamicAnchor)

  func indexDocument(_ document: Int) throws(SchemaError) {
    guard !documents[document].indexed else { return }
    documents[document].indexed = true
    let root = Location(document: document, pointer: "")
    var dialect = defaultDialect
    if case .object(let object) = documents[document].json.value, case .string(let metaschema)? = object["$schema"] {
      dialect = try self.dialect(forMetaschema: metaschema, at: root)
    }
    let base = URIReference(documents[document].uri)
    resources[base.text] = resources[base.text] ?? root
    let scope = Scope(base: base, baseText: base.text, resourcePointer: "", dialect: dialect)
    try walk(documents[document].json.value, at: root, scope: scope, depth: 0)
  }

  private func walk(_ value: JSONValue, at location: Location, scope: Scope, depth: Int) throws(SchemaError) {
    guard depth < Self.maxSchemaDepth else { throw error("schema nested too deeply", at: location) }
    guard case .object(let object) = value else {
      scopes[location] = scope
      return
    }
    var scope = scope
    let draft = scope.dialect.draft
    if case .string(let id)? = object["$id"], draft == .draft202012 || object["$ref"] == nil {
      if location.pointer != "", case .string(let metaschema)? = object["$schema"] {
        scope.dialect = try dialect(forMetaschema: metaschema, at: location)
      }
      let resolved = scope.base.resolving(id)
      if draft == .draft7 && id.hasPrefix("#") {
        anchors[scope.baseText + id] = location
      } else {
        scope.base = resolved.withoutFragment
        scope.baseText = scope.base.text
        scope.resourcePointer = location.pointer
        if resources[scope.baseText] == nil { resources[scope.baseText] = location }
        if let fragment = resolved.fragment, !fragment.isEmpty, !fragment.hasPrefix("/") {
          anchors[scope.baseText + "#" + fragment] = location
        }
      }
    }
    if draft == .draft202012 {
      if case .string(let anchor)? = object["$anchor"] { anchors[scope.baseText + "#" + anchor] = location }
      if case .string(let anchor)? = object["$dynamicAnchor"] {
        anchors[scope.baseText + "#" + anchor] = anchors[scope.baseText + "#" + anchor] ?? location
        dynamicAnchorLocations[scope.baseText, default: [:]][anchor] = location
      }
    }
    scopes[location] = scope
    let keywords = Self.subschemaKeywords(scope.dialect.draft)
    for (keyword, member) in object {
      guard let shape = keywords[keyword] else { continue }
      let keywordPointer = location.pointer + "/" + JSONValue.escapePointerToken(keyword)
      switch (shape, member) {
      case (.single, _), (.singleOrArray, .object), (.singleOrArray, .bool):
        try walk(
          member, at: Location(document: location.document, pointer: keywordPointer), scope: scope, depth: depth + 1)
      case (.array, .array(let elements)), (.singleOrArray, .array(let elements)):
        for (offset, element) in elements.enumerated() {
          try walk(
            element, at: Location(document: location.document, pointer: keywordPointer + "/\(offset)"), scope: scope,
            depth: depth + 1)
        }
      case (.map, .object(let members)):
        for (name, element) in members {
          if case .array = element { continue }  // draft-07 `dependencies` with a property list
          try walk(
            element,
            at: Location(
              document: location.document, pointer: keywordPointer + "/" + JSONValue.escapePointerToken(name)),
            scope: scope, depth: depth + 1)
        }
      default: continue
      }
    }
  }

  enum Shape { case single, array, map, singleOrArray }

  static func subschemaKeywords(_ draft: JSONSchemaDraft) -> [String: Shape] {
    switch draft {
    case .draft202012:
      return [
        "additionalProperties": .single, "propertyNames": .single, "items": .single, "contains": .single,
        "not": .single, "if": .single, "then": .single, "else": .single, "unevaluatedItems": .single,
        "unevaluatedProperties": .single, "allOf": .array, "anyOf": .array, "oneOf": .array, "prefixItems": .array,
        "$defs": .map, "definitions": .map, "properties": .map, "patternProperties": .map, "dependentSchemas": .map,
        "dependencies": .map,
      ]
    case .draft7:
      return [
        "additionalProperties": .single, "propertyNames": .single, "items": .singleOrArray, "contains": .single,
        "not": .single, "if": .single, "then": .single, "else": .single, "additionalItems": .single,
        "allOf": .array, "anyOf": .array, "oneOf": .array, "definitions": .map, "properties": .map,
        "patternProperties": .map, "dependencies": .map,
      ]
    }
  }

  /// The scope at `location`: recorded by the walk, else that of the nearest recorded ancestor.
  func scope(at location: Location) -> Scope {
    var pointer = location.pointer
    while true {
      if let scope = scopes[Location(document: location.document, pointer: pointer)] { return scope }
      guard let slash = pointer.lastIndex(of: "/") else { break }
      pointer = String(pointer[..<slash])
    }
    let base = URIReference(documents[location.document].uri)
    return Scope(base: base, baseText: base.text, resourcePointer: "", dialect: defaultDialect)
  }

  // MARK: References

  /// The document that defines resource `uri`, loading and indexing it if needed.
  func resourceLocation(_ uri: String) throws(SchemaError) -> Location? {
    if let location = resources[uri] { return location }
    if documentByURI[uri] == nil, let document = try registry.document(for: uri) {
      let index = addDocument(document, uri: uri)
      try indexDocument(index)
      if let location = resources[uri] { return location }
    }
    // An `$id` embedded somewhere inside a registered document.
    for registered in registry.registeredURIs where documentByURI[registered] == nil {
      if let document = try registry.document(for: registered) {
        try indexDocument(addDocument(document, uri: registered))
        if let location = resources[uri] { return location }
      }
    }
    return resources[uri]
  }

  /// Resolves the `$ref`-like `keyword` of the schema at `location`; errors point at the keyword.
  func resolveReference(_ reference: String, from schemaLocation: Location, keyword: String) throws(SchemaError)
    -> Location
  {
    let scope = scope(at: schemaLocation)
    let location = Location(document: schemaLocation.document, pointer: schemaLocation.pointer + "/" + keyword)
    let target = scope.base.resolving(reference)
    let resourceURI = target.withoutFragment.text
    guard let resource = try resourceLocation(resourceURI) else {
      throw error(
        "cannot resolve \(keyword) '\(reference)': no schema is registered for '\(resourceURI)' "
          + "(schemas are never fetched from the network)", at: location)
    }
    let fragment = percentDecoded(target.fragment ?? "")
    if fragment.isEmpty { return resource }
    if fragment.hasPrefix("/") {
      let pointed = Location(document: resource.document, pointer: resource.pointer + fragment)
      guard value(at: pointed) != nil else {
        throw error("cannot resolve \(keyword) '\(reference)': '\(target.text)' points to nothing", at: location)
      }
      return pointed
    }
    if let anchored = anchors[resourceURI + "#" + fragment] { return anchored }
    throw error("cannot resolve \(keyword) '\(reference)': no anchor '\(fragment)' in '\(resourceURI)'", at: location)
  }

  // MARK: Nodes

  /// The node for the schema at `location`, compiled later from the worklist.
  func node(for location: Location) throws(SchemaError) -> Int {
    if let existing = nodeByLocation[location] { return existing }
    let index = program.nodes.count
    program.nodes.append(Node())
    nodeLocations.append(location)
    nodeByLocation[location] = index
    worklist.append((index, location))
    return index
  }

  func resourceIndex(_ scope: Scope) throws(SchemaError) -> Int {
    if let existing = resourceIndexByURI[scope.baseText] { return existing }
    let index = program.dynamicAnchors.count
    resourceIndexByURI[scope.baseText] = index
    program.dynamicAnchors.append([:])
    var anchorsOfResource: [String: Int] = [:]
    for (name, location) in dynamicAnchorLocations[scope.baseText] ?? [:] {
      anchorsOfResource[name] = try node(for: location)
    }
    program.dynamicAnchors[index] = anchorsOfResource
    return index
  }

  func compileNode(_ index: Int, at location: Location) throws(SchemaError) {
    guard let value = value(at: location) else { throw error("no schema at this location", at: location) }
    let scope = scope(at: location)
    var node = Node()
    node.resource = try resourceIndex(scope)
    let relative =
      location.pointer.hasPrefix(scope.resourcePointer)
      ? String(location.pointer.dropFirst(scope.resourcePointer.count)) : location.pointer
    node.location = scope.baseText + "#" + relative
    switch value {
    case .bool(let bool): node.alwaysFalse = !bool
    case .object(let object):
      var builder = KeywordBuilder(compilation: self, object: object, location: location, scope: scope)
      node.keywords = try builder.build()
      node.needsAnnotations = node.keywords.contains {
        switch $0 {
        case .unevaluatedItems, .unevaluatedProperties: true
        default: false
        }
      }
    default:
      throw error("a schema must be an object or a boolean, not \(value.typeName)", at: location)
    }
    program.nodes[index] = node
  }

  /// Rejects schemas that apply themselves to the same instance without end
  /// (`{"$ref": "#"}`, `a → b → a`): every instance would loop forever.
  func checkForInPlaceCycles() throws(SchemaError) {
    var state = [UInt8](repeating: 0, count: program.nodes.count)  // 0 new, 1 on stack, 2 done
    for start in program.nodes.indices where state[start] == 0 {
      var stack: [(node: Int, edges: [Int], next: Int)] = [(start, inPlaceEdges(start), 0)]
      state[start] = 1
      while !stack.isEmpty {
        let top = stack.count - 1
        if stack[top].next < stack[top].edges.count {
          let target = stack[top].edges[stack[top].next]
          stack[top].next += 1
          if state[target] == 1 {
            let from = nodeLocations[stack[top].node]
            throw error(
              "schema reference loop: '\(program.nodes[stack[top].node].location)' applies "
                + "'\(program.nodes[target].location)' to the same value, which applies it again", at: from)
          }
          if state[target] == 0 {
            state[target] = 1
            stack.append((target, inPlaceEdges(target), 0))
          }
        } else {
          state[stack[top].node] = 2
          stack.removeLast()
        }
      }
    }
  }

  func inPlaceEdges(_ index: Int) -> [Int] {
    var edges: [Int] = []
    for keyword in program.nodes[index].keywords {
      switch keyword {
      case .ref(let target), .dynamicRef(let target, _), .not(let target): edges.append(target)
      case .allOf(let targets), .anyOf(let targets), .oneOf(let targets): edges += targets
      case .conditional(let condition, let then, let otherwise):
        edges += [condition, then, otherwise].compactMap { $0 }
      case .dependentSchemas(let members, _): edges += members.map(\.1)
      default: break
      }
    }
    return edges
  }
}

extension JSONValue {
  var typeName: String {
    switch self {
    case .null: "null"
    case .bool: "boolean"
    case .integer: "integer"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }
}

/// Compiles the keywords of one schema object.
private struct KeywordBuilder {
  let compilation: Compilation
  let object: JSONObject
  let location: Compilation.Location
  let scope: Compilation.Scope

  var draft: JSONSchemaDraft { scope.dialect.draft }
  var vocabularies: Vocabularies { scope.dialect.vocabularies }

  func at(_ tokens: String...) -> Compilation.Location {
    var pointer = location.pointer
    for token in tokens { pointer += "/" + JSONValue.escapePointerToken(token) }
    return Compilation.Location(document: location.document, pointer: pointer)
  }

  func error(_ message: String, _ keyword: String) -> SchemaError {
    compilation.error(message, at: at(keyword))
  }

  func subschema(_ tokens: String...) throws(SchemaError) -> Int {
    var pointer = location.pointer
    for token in tokens { pointer += "/" + JSONValue.escapePointerToken(token) }
    return try compilation.node(for: Compilation.Location(document: location.document, pointer: pointer))
  }

  func schemaArray(_ keyword: String) throws(SchemaError) -> [Int]? {
    guard let value = object[keyword] else { return nil }
    guard case .array(let elements) = value else { throw error("'\(keyword)' must be an array of schemas", keyword) }
    var result: [Int] = []
    for offset in elements.indices { result.append(try subschema(keyword, String(offset))) }
    return result
  }

  func schemaMap(_ keyword: String) throws(SchemaError) -> [(String, Int)]? {
    guard let value = object[keyword] else { return nil }
    guard case .object(let members) = value else { throw error("'\(keyword)' must be an object of schemas", keyword) }
    var result: [(String, Int)] = []
    for (name, _) in members { result.append((name, try subschema(keyword, name))) }
    return result
  }

  func nonNegativeInteger(_ keyword: String) throws(SchemaError) -> Int? {
    guard let value = object[keyword] else { return nil }
    switch value {
    case .integer(let integer) where integer >= 0: return integer
    case .number(let number) where number >= 0 && number == number.rounded() && number < 9e18: return Int(number)
    default: throw error("'\(keyword)' must be a non-negative integer", keyword)
    }
  }

  func number(_ keyword: String) throws(SchemaError) -> JSONValue? {
    guard let value = object[keyword] else { return nil }
    switch value {
    case .integer, .number: return value
    default: throw error("'\(keyword)' must be a number", keyword)
    }
  }

  func stringArray(_ value: JSONValue, _ keyword: String) throws(SchemaError) -> [String] {
    guard case .array(let elements) = value else { throw error("'\(keyword)' must be an array of strings", keyword) }
    var result: [String] = []
    for element in elements {
      guard case .string(let string) = element else { throw error("'\(keyword)' must be an array of strings", keyword) }
      result.append(string)
    }
    return result
  }

  func regex(_ pattern: String, _ pointer: Compilation.Location) throws(SchemaError) -> ECMARegex {
    do {
      return try ECMARegex(pattern)
    } catch {
      throw compilation.error(error.message, at: pointer)
    }
  }

  mutating func build() throws(SchemaError) -> [Keyword] {
    var keywords: [Keyword] = []
    // Core.
    if case .string(let reference)? = object["$ref"] {
      let target = try compilation.resolveReference(reference, from: location, keyword: "$ref")
      keywords.append(.ref(try compilation.node(for: target)))
      // In draft-07, `$ref` makes every sibling keyword ignored.
      if draft == .draft7 { return keywords }
    }
    if draft == .draft202012, case .string(let reference)? = object["$dynamicRef"] {
      let target = try compilation.resolveReference(reference, from: location, keyword: "$dynamicRef")
      var dynamicAnchor: String?
      let fragment = URIReference(reference).fragment ?? ""
      if !fragment.isEmpty, !fragment.hasPrefix("/"), case .object(let targetObject)? = compilation.value(at: target),
        targetObject["$dynamicAnchor"] == .string(fragment)
      {
        dynamicAnchor = fragment
      }
      keywords.append(.dynamicRef(try compilation.node(for: target), anchor: dynamicAnchor))
    }
    if draft == .draft7 || vocabularies.contains(.validation) { try buildValidation(into: &keywords) }
    if draft == .draft7 || vocabularies.contains(.applicator) { try buildApplicators(into: &keywords) }
    let formatAsserted = compilation.assertFormat || vocabularies.contains(.formatAssertion)
    if formatAsserted, case .string(let name)? = object["format"], let check = Formats.checker(for: name) {
      keywords.append(.format(name, check))
    }
    if draft == .draft202012 && vocabularies.contains(.unevaluated) {
      if object["unevaluatedItems"] != nil { keywords.append(.unevaluatedItems(try subschema("unevaluatedItems"))) }
      if object["unevaluatedProperties"] != nil {
        keywords.append(.unevaluatedProperties(try subschema("unevaluatedProperties")))
      }
    }
    return keywords
  }

  func buildValidation(into keywords: inout [Keyword]) throws(SchemaError) {
    if let type = object["type"] {
      var set: TypeSet = []
      let names: [JSONValue]
      if case .array(let elements) = type { names = elements } else { names = [type] }
      for name in names {
        guard case .string(let string) = name, let member = TypeSet(name: string) else {
          throw error("'type' must name JSON types", "type")
        }
        set.insert(member)
      }
      keywords.append(.type(set))
    }
    if let values = object["enum"] {
      guard case .array(let elements) = values else { throw error("'enum' must be an array", "enum") }
      var strings: Set<String>? = Set()
      for element in elements {
        if case .string(let string) = element { strings?.insert(string) } else { strings = nil }
      }
      keywords.append(.enumeration(elements, strings: strings))
    }
    if let constant = object["const"] { keywords.append(.constant(constant)) }
    if let divisor = try number("multipleOf") {
      guard let value = NumberValue.double(divisor), value > 0 else {
        throw error("'multipleOf' must be greater than 0", "multipleOf")
      }
      keywords.append(.multipleOf(divisor))
    }
    if let limit = try number("minimum") { keywords.append(.comparison(.minimum, limit)) }
    if let limit = try number("maximum") { keywords.append(.comparison(.maximum, limit)) }
    if let limit = try number("exclusiveMinimum") { keywords.append(.comparison(.exclusiveMinimum, limit)) }
    if let limit = try number("exclusiveMaximum") { keywords.append(.comparison(.exclusiveMaximum, limit)) }
    let sizes: [(String, SizeLimit)] = [
      ("minLength", .minLength), ("maxLength", .maxLength), ("minItems", .minItems), ("maxItems", .maxItems),
      ("minProperties", .minProperties), ("maxProperties", .maxProperties),
    ]
    for (keyword, kind) in sizes {
      if let limit = try nonNegativeInteger(keyword) { keywords.append(.size(kind, limit)) }
    }
    if let pattern = object["pattern"] {
      guard case .string(let source) = pattern else { throw error("'pattern' must be a string", "pattern") }
      keywords.append(.pattern(try regex(source, at("pattern"))))
    }
    if object["uniqueItems"] == .bool(true) { keywords.append(.uniqueItems) }
    if let required = object["required"] { keywords.append(.required(try stringArray(required, "required"))) }
    // `dependencies` (draft-07, and accepted in 2020-12 for compatibility) holds property lists and schemas.
    for dependencyKeyword in draft == .draft7 ? ["dependencies"] : ["dependentRequired", "dependencies"] {
      guard case .object(let dependencies)? = object[dependencyKeyword] else { continue }
      var lists: [(String, [String])] = []
      for (name, value) in dependencies {
        if dependencyKeyword == "dependentRequired" {
          lists.append((name, try stringArray(value, dependencyKeyword)))
        } else if case .array = value {
          lists.append((name, try stringArray(value, dependencyKeyword)))
        }
      }
      if !lists.isEmpty { keywords.append(.dependentRequired(lists, keyword: dependencyKeyword)) }
    }
  }

  func buildApplicators(into keywords: inout [Keyword]) throws(SchemaError) {
    if let members = try schemaArray("allOf") { keywords.append(.allOf(members)) }
    if let members = try schemaArray("anyOf") { keywords.append(.anyOf(members)) }
    if let members = try schemaArray("oneOf") { keywords.append(.oneOf(members)) }
    if object["not"] != nil { keywords.append(.not(try subschema("not"))) }
    if object["if"] != nil {
      keywords.append(
        .conditional(
          if: try subschema("if"), then: object["then"] != nil ? try subschema("then") : nil,
          else: object["else"] != nil ? try subschema("else") : nil))
    }
    for dependencyKeyword in draft == .draft7 ? ["dependencies"] : ["dependentSchemas", "dependencies"] {
      guard case .object(let dependencies)? = object[dependencyKeyword] else { continue }
      var schemas: [(String, Int)] = []
      for (name, value) in dependencies {
        if case .array = value, dependencyKeyword == "dependencies" { continue }
        schemas.append((name, try subschema(dependencyKeyword, name)))
      }
      if !schemas.isEmpty { keywords.append(.dependentSchemas(schemas, keyword: dependencyKeyword)) }
    }
    // Objects.
    let properties = try schemaMap("properties") ?? []
    if !properties.isEmpty { keywords.append(.properties(properties)) }
    var patterns: [(ECMARegex, Int)] = []
    if case .object(let members)? = object["patternProperties"] {
      for (source, _) in members {
        patterns.append(
          (try regex(source, at("patternProperties", source)), try subschema("patternProperties", source)))
      }
      keywords.append(.patternProperties(patterns))
    }
    if object["additionalProperties"] != nil {
      keywords.append(
        .additionalProperties(
          try subschema("additionalProperties"), known: Set(properties.map(\.0)), patterns: patterns.map(\.0)))
    }
    if object["propertyNames"] != nil { keywords.append(.propertyNames(try subschema("propertyNames"))) }
    // Arrays.
    switch draft {
    case .draft202012:
      let prefix = try schemaArray("prefixItems") ?? []
      if !prefix.isEmpty { keywords.append(.prefixItems(prefix, keyword: "prefixItems")) }
      if object["items"] != nil {
        keywords.append(.items(try subschema("items"), from: prefix.count, keyword: "items"))
      }
    case .draft7:
      if case .array = object["items"] {
        let tuple = try schemaArray("items") ?? []
        keywords.append(.prefixItems(tuple, keyword: "items"))
        if object["additionalItems"] != nil {
          keywords.append(.items(try subschema("additionalItems"), from: tuple.count, keyword: "additionalItems"))
        }
      } else if object["items"] != nil {
        keywords.append(.items(try subschema("items"), from: 0, keyword: "items"))
      }
    }
    if object["contains"] != nil {
      var minimum = 1
      var maximum: Int?
      if draft == .draft202012 && vocabularies.contains(.validation) {
        minimum = try nonNegativeInteger("minContains") ?? 1
        maximum = try nonNegativeInteger("maxContains")
      }
      keywords.append(.contains(try subschema("contains"), min: minimum, max: maximum))
    }
  }
}
