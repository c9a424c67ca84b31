/// What subschemas evaluated at one instance location, for `unevaluatedProperties`/`unevaluatedItems`.
struct Annotations {
  var allProperties = false
  var properties: Set<String> = []
  var allItems = false
  /// Items `0..<itemPrefix` were evaluated.
  var itemPrefix = 0
  /// Items evaluated by `contains`.
  var items: Set<Int> = []

  mutating func merge(_ other: Annotations) {
    allProperties = allProperties || other.allProperties
    if !other.properties.isEmpty { properties.formUnion(other.properties) }
    allItems = allItems || other.allItems
    itemPrefix = max(itemPrefix, other.itemPrefix)
    if !other.items.isEmpty { items.formUnion(other.items) }
  }
}

/// Evaluates a `Program` against one instance.
///
/// Two modes share this code: the fast mode (`recording == false`) only answers valid/invalid,
/// stops at the first failure and builds no strings; the recording mode, run only for invalid
/// instances, keeps the instance and keyword paths and produces `ValidationError`s.
struct Evaluator {
  enum PathToken {
    case key(String)
    case index(Int)
  }

  let program: Program
  let sourceMap: SourceMap?
  let maxDepth: Int
  var depth = 0
  /// Resources entered, outermost first (the dynamic scope of `$dynamicRef`).
  var scope: [Int] = []
  var recording = false
  var errors: [ValidationError] = []
  var instancePath: [PathToken] = []
  var keywordPath: [String] = []
  /// Absolute location of the node being evaluated and where its keywords start in `keywordPath`.
  var nodeLocation = ""
  var nodeKeywordStart = 0

  init(program: Program, sourceMap: SourceMap?, maxDepth: Int) {
    self.program = program
    self.sourceMap = sourceMap
    self.maxDepth = maxDepth
  }

  // MARK: Nodes

  mutating func evaluate(_ index: Int, _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool) -> Bool {
    let node = program.nodes[index]
    if node.alwaysFalse {
      if recording {
        let saved = (nodeLocation, nodeKeywordStart)
        (nodeLocation, nodeKeywordStart) = (node.location, keywordPath.count)
        report("false", falseSchemaMessage())
        (nodeLocation, nodeKeywordStart) = saved
      }
      return false
    }
    if node.keywords.isEmpty { return true }
    depth += 1
    defer { depth -= 1 }
    if depth > maxDepth {
      if recording {
        report(
          "$ref", "validation nested deeper than \(maxDepth) levels (instance too deep or schema recursion too deep)")
      }
      return false
    }
    let entersResource = scope.last != node.resource
    if entersResource { scope.append(node.resource) }
    defer { if entersResource { scope.removeLast() } }
    var saved = ("", 0)
    if recording {
      saved = (nodeLocation, nodeKeywordStart)
      (nodeLocation, nodeKeywordStart) = (node.location, keywordPath.count)
    }
    defer { if recording { (nodeLocation, nodeKeywordStart) = saved } }
    if node.needsAnnotations {
      var local = Annotations()
      let valid = evaluateKeywords(node.keywords, instance, &local)
      if valid && collect { annotations.merge(local) }
      return valid
    }
    if collect { return evaluateKeywords(node.keywords, instance, &annotations) }
    var ignored = Annotations()
    return evaluateKeywordsWithoutAnnotations(node.keywords, instance, &ignored)
  }

  /// Evaluates keywords, collecting annotations (the node or an ancestor has `unevaluated*`).
  mutating func evaluateKeywords(_ keywords: [Keyword], _ instance: JSONValue, _ annotations: inout Annotations)
    -> Bool
  {
    var valid = true
    for keyword in keywords {
      if !evaluateKeyword(keyword, instance, &annotations, collect: true) {
        valid = false
        if !recording { return false }
      }
    }
    return valid
  }

  mutating func evaluateKeywordsWithoutAnnotations(
    _ keywords: [Keyword], _ instance: JSONValue, _ annotations: inout Annotations
  ) -> Bool {
    var valid = true
    for keyword in keywords {
      if !evaluateKeyword(keyword, instance, &annotations, collect: false) {
        valid = false
        if !recording { return false }
      }
    }
    return valid
  }

  /// Evaluates a subschema at a child instance location (no annotations flow back).
  mutating func evaluateChild(
    _ index: Int, _ instance: JSONValue, _ token: PathToken, keyword: String, _ detail: PathToken? = nil
  ) -> Bool {
    var ignored = Annotations()
    if !recording { return evaluate(index, instance, &ignored, collect: false) }
    instancePath.append(token)
    let pushed = pushKeyword(keyword, detail)
    defer {
      instancePath.removeLast()
      keywordPath.removeLast(pushed)
    }
    return evaluate(index, instance, &ignored, collect: false)
  }

  /// Pushes keyword path tokens (only in recording mode); returns how many were pushed.
  mutating func pushKeyword(_ keyword: String, _ detail: PathToken?) -> Int {
    keywordPath.append(keyword)
    switch detail {
    case .key(let key)?: keywordPath.append(key)
    case .index(let index)?: keywordPath.append(String(index))
    case nil: return 1
    }
    return 2
  }

  /// Evaluates a subschema in place (same instance location).
  mutating func evaluateInPlace(
    _ index: Int, _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool, keyword: String,
    _ detail: PathToken? = nil
  ) -> Bool {
    if !recording { return evaluate(index, instance, &annotations, collect: collect) }
    let pushed = pushKeyword(keyword, detail)
    defer { keywordPath.removeLast(pushed) }
    return evaluate(index, instance, &annotations, collect: collect)
  }

  /// Evaluates a subschema only for its outcome: nothing recorded (for `not`, `if`, branches, `contains`).
  mutating func probe(_ index: Int, _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool) -> Bool {
    let wasRecording = recording
    recording = false
    defer { recording = wasRecording }
    return evaluate(index, instance, &annotations, collect: collect)
  }

  // MARK: Keywords

  mutating func evaluateKeyword(
    _ keyword: Keyword, _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool
  ) -> Bool {
    switch keyword {
    case .ref(let target):
      return evaluateInPlace(target, instance, &annotations, collect: collect, keyword: "$ref")

    case .dynamicRef(let target, let anchor):
      var resolved = target
      if let anchor {
        for resource in scope {
          if let found = program.dynamicAnchors[resource][anchor] {
            resolved = found
            break
          }
        }
      }
      return evaluateInPlace(resolved, instance, &annotations, collect: collect, keyword: "$dynamicRef")

    case .type(let types):
      if types.matches(instance) { return true }
      if recording {
        report("type", "expected \(types.nameList.joined(separator: " or ")), got \(instance.typeName)")
      }
      return false

    case .enumeration(let values, let strings):
      if let strings, case .string(let string) = instance {
        // The set finds canonically equivalent strings; JSON equality is by code point.
        if strings.contains(string), values.contains(where: { $0.schemaEquals(instance) }) { return true }
      } else if values.contains(where: { $0.schemaEquals(instance) }) {
        return true
      }
      if recording {
        let list = values.map { value -> String in
          if case .string(let string) = value { return string }
          return value.jsonText()
        }
        report("enum", "\(describe(instance)) is not one of \(list.joined(separator: ", "))")
      }
      return false

    case .constant(let value):
      if value.schemaEquals(instance) { return true }
      if recording { report("const", "expected \(describe(value)), got \(describe(instance))") }
      return false

    case .multipleOf(let divisor):
      guard NumberValue.double(instance) != nil else { return true }
      if NumberValue.isMultiple(instance, of: divisor) { return true }
      if recording { report("multipleOf", "\(instance.jsonText()) is not a multiple of \(divisor.jsonText())") }
      return false

    case .comparison(let kind, let limit):
      guard let order = NumberValue.compare(instance, limit) else { return true }
      let valid: Bool
      let relation: String
      switch kind {
      case .minimum: (valid, relation) = (order >= 0, "less than the minimum of")
      case .maximum: (valid, relation) = (order <= 0, "greater than the maximum of")
      case .exclusiveMinimum: (valid, relation) = (order > 0, "not greater than the exclusive minimum of")
      case .exclusiveMaximum: (valid, relation) = (order < 0, "not less than the exclusive maximum of")
      }
      if !valid && recording { report(kind.keyword, "\(instance.jsonText()) is \(relation) \(limit.jsonText())") }
      return valid

    case .size(let kind, let limit):
      return evaluateSize(kind, limit, instance)

    case .pattern(let regex):
      guard case .string(let string) = instance else { return true }
      switch regex.firstMatch(in: string) {
      case .match: return true
      case .noMatch:
        if recording { report("pattern", "\(describe(instance)) does not match pattern '\(regex.source)'") }
      case .tooComplex:
        if recording {
          report("pattern", "pattern '\(regex.source)' is too costly to match against this string; treated as no match")
        }
      }
      return false

    case .uniqueItems:
      guard case .array(let elements) = instance, elements.count > 1 else { return true }
      guard let (first, second) = firstDuplicate(elements) else { return true }
      if recording { report("uniqueItems", "items \(first) and \(second) are equal; items must be unique") }
      return false

    case .required(let names):
      guard case .object(let object) = instance else { return true }
      var valid = true
      for name in names where object[name] == nil {
        valid = false
        guard recording else { return false }
        report("required", "missing required property '\(name)'")
      }
      return valid

    case .dependentRequired(let dependencies, let keywordName):
      guard case .object(let object) = instance else { return true }
      var valid = true
      for (name, requirements) in dependencies where object[name] != nil {
        for requirement in requirements where object[requirement] == nil {
          valid = false
          guard recording else { return false }
          keywordPath += [keywordName, name]
          report(keywordName, "property '\(name)' requires property '\(requirement)'", skipKeyword: true)
          keywordPath.removeLast(2)
        }
      }
      return valid

    case .format(let name, let check):
      guard case .string(let string) = instance else { return true }
      if check(string) { return true }
      if recording { report("format", "\(describe(instance)) is not a valid \(name)") }
      return false

    case .allOf(let members):
      var valid = true
      for (offset, member) in members.enumerated() {
        if !evaluateInPlace(member, instance, &annotations, collect: collect, keyword: "allOf", .index(offset)) {
          valid = false
          if !recording { return false }
        }
      }
      return valid

    case .anyOf(let members):
      var valid = false
      for member in members {
        var branch = Annotations()
        if probe(member, instance, &branch, collect: collect) {
          valid = true
          if !collect { break }
          annotations.merge(branch)
        }
      }
      if !valid && recording {
        report("anyOf", "\(describe(instance)) does not match any of the \(members.count) alternatives in anyOf")
      }
      return valid

    case .oneOf(let members):
      var matches: [Int] = []
      for (offset, member) in members.enumerated() {
        var branch = Annotations()
        if probe(member, instance, &branch, collect: collect) {
          matches.append(offset)
          if matches.count > 1 && !recording { return false }
          if collect { annotations.merge(branch) }
        }
      }
      if matches.count == 1 { return true }
      if recording {
        if matches.isEmpty {
          report("oneOf", "\(describe(instance)) does not match any of the \(members.count) alternatives in oneOf")
        } else {
          let list = matches.map(String.init).joined(separator: ", ")
          report("oneOf", "\(describe(instance)) matches more than one alternative in oneOf (\(list))")
        }
      }
      return false

    case .not(let member):
      var ignored = Annotations()
      if !probe(member, instance, &ignored, collect: false) { return true }
      if recording { report("not", "\(describe(instance)) must not match the schema in 'not'") }
      return false

    case .conditional(let condition, let then, let otherwise):
      var branch = Annotations()
      if probe(condition, instance, &branch, collect: collect) {
        if collect { annotations.merge(branch) }
        guard let then else { return true }
        return evaluateInPlace(then, instance, &annotations, collect: collect, keyword: "then")
      }
      guard let otherwise else { return true }
      return evaluateInPlace(otherwise, instance, &annotations, collect: collect, keyword: "else")

    case .dependentSchemas(let dependencies, let keywordName):
      guard case .object(let object) = instance else { return true }
      var valid = true
      for (name, member) in dependencies where object[name] != nil {
        if !evaluateInPlace(member, instance, &annotations, collect: collect, keyword: keywordName, .key(name)) {
          valid = false
          if !recording { return false }
        }
      }
      return valid

    case .properties(let members):
      guard case .object(let object) = instance else { return true }
      var valid = true
      for (name, member) in members {
        guard let value = object[name] else { continue }
        if collect { annotations.properties.insert(name) }
        if !evaluateChild(member, value, .key(name), keyword: "properties", .key(name)) {
          valid = false
          if !recording { return false }
        }
      }
      return valid

    case .patternProperties(let patterns):
      guard case .object(let object) = instance else { return true }
      var valid = true
      for (name, value) in object {
        for (regex, member) in patterns where regex.firstMatch(in: name) == .match {
          if collect { annotations.properties.insert(name) }
          if !evaluateChild(member, value, .key(name), keyword: "patternProperties", .key(regex.source)) {
            valid = false
            if !recording { return false }
          }
        }
      }
      return valid

    case .additionalProperties(let member, let known, let patterns):
      guard case .object(let object) = instance else { return true }
      var valid = true
      for (name, value) in object where !known.contains(name) {
        if patterns.contains(where: { $0.firstMatch(in: name) == .match }) { continue }
        if !evaluateMember(member, value, name, keyword: "additionalProperties", adjective: "additional") {
          valid = false
          if !recording { return false }
        }
      }
      if collect { annotations.allProperties = true }
      return valid

    case .propertyNames(let member):
      guard case .object(let object) = instance else { return true }
      var valid = true
      for (name, _) in object {
        var ignored = Annotations()
        if !probe(member, .string(name), &ignored, collect: false) {
          valid = false
          guard recording else { return false }
          instancePath.append(.key(name))
          report("propertyNames", "property name '\(name)' is not valid against 'propertyNames'", member: true)
          instancePath.removeLast()
        }
      }
      return valid

    case .prefixItems(let members, let keywordName):
      guard case .array(let elements) = instance else { return true }
      var valid = true
      for (offset, member) in members.enumerated() where offset < elements.count {
        if !evaluateChild(member, elements[offset], .index(offset), keyword: keywordName, .index(offset)) {
          valid = false
          if !recording { return false }
        }
      }
      if collect { annotations.itemPrefix = max(annotations.itemPrefix, min(members.count, elements.count)) }
      return valid

    case .items(let member, let start, let keywordName):
      guard case .array(let elements) = instance else { return true }
      var valid = true
      var offset = start
      while offset < elements.count {
        if !evaluateChild(member, elements[offset], .index(offset), keyword: keywordName) {
          valid = false
          if !recording { return false }
        }
        offset += 1
      }
      if collect { annotations.allItems = true }
      return valid

    case .contains(let member, let minimum, let maximum):
      guard case .array(let elements) = instance else { return true }
      var count = 0
      for (offset, element) in elements.enumerated() {
        var ignored = Annotations()
        if probe(member, element, &ignored, collect: false) {
          count += 1
          if collect { annotations.items.insert(offset) }
          if !collect && !recording && count >= minimum && maximum == nil { return true }
          if let maximum, count > maximum, !collect, !recording { return false }
        }
      }
      if count >= minimum && count <= (maximum ?? Int.max) { return true }
      if recording {
        if count < minimum {
          report(
            "contains",
            minimum == 1
              ? "no item matches the schema in 'contains'"
              : "only \(count) item(s) match the schema in 'contains', at least \(minimum) required")
        } else {
          report("contains", "\(count) items match the schema in 'contains', at most \(maximum ?? 0) allowed")
        }
      }
      return false

    case .unevaluatedProperties(let member):
      guard case .object(let object) = instance else { return true }
      var valid = true
      if !annotations.allProperties {
        for (name, value) in object where !annotations.properties.contains(name) {
          if !evaluateMember(member, value, name, keyword: "unevaluatedProperties", adjective: "unevaluated") {
            valid = false
            if !recording { return false }
          }
        }
      }
      annotations.allProperties = true
      return valid

    case .unevaluatedItems(let member):
      guard case .array(let elements) = instance else { return true }
      var valid = true
      if !annotations.allItems {
        for offset in annotations.itemPrefix..<max(annotations.itemPrefix, elements.count)
        where !annotations.items.contains(offset) {
          if !evaluateChild(member, elements[offset], .index(offset), keyword: "unevaluatedItems") {
            valid = false
            if !recording { return false }
          }
        }
      }
      annotations.allItems = true
      return valid
    }
  }

  /// An object member checked by `additionalProperties`/`unevaluatedProperties`: a `false`
  /// subschema gets one clear error pointing at the member's key.
  mutating func evaluateMember(_ member: Int, _ value: JSONValue, _ name: String, keyword: String, adjective: String)
    -> Bool
  {
    if program.nodes[member].alwaysFalse {
      if recording {
        instancePath.append(.key(name))
        report(keyword, "\(adjective) property '\(name)' is not allowed", member: true)
        instancePath.removeLast()
      }
      return false
    }
    return evaluateChild(member, value, .key(name), keyword: keyword)
  }

  mutating func evaluateSize(_ kind: SizeLimit, _ limit: Int, _ instance: JSONValue) -> Bool {
    let count: Int
    let noun: String
    switch (kind, instance) {
    case (.minLength, .string(let string)), (.maxLength, .string(let string)):
      // Fast path: the UTF-8 length bounds the scalar count from above, a quarter of it from below.
      let bytes = string.utf8.count
      if kind == .minLength && bytes / 4 >= limit { return true }
      if kind == .maxLength && bytes <= limit { return true }
      count = string.unicodeScalars.count
      noun = "character"
    case (.minItems, .array(let elements)), (.maxItems, .array(let elements)):
      count = elements.count
      noun = "item"
    case (.minProperties, .object(let object)), (.maxProperties, .object(let object)):
      count = object.count
      noun = "propert"
    default: return true
    }
    let isMinimum = kind == .minLength || kind == .minItems || kind == .minProperties
    let valid = isMinimum ? count >= limit : count <= limit
    if !valid && recording {
      let plural = noun == "propert" ? (limit == 1 ? "property" : "properties") : (limit == 1 ? noun : noun + "s")
      let subject = instance.typeName == "string" ? describe(instance) : "\(instance.typeName) of \(count)"
      report(kind.keyword, "\(subject) has \(isMinimum ? "fewer" : "more") than \(limit) \(plural)")
    }
    return valid
  }

  func firstDuplicate(_ elements: [JSONValue]) -> (Int, Int)? {
    if elements.count <= 16 {
      for i in elements.indices {
        for j in (i + 1)..<elements.count where elements[i].schemaEquals(elements[j]) { return (i, j) }
      }
      return nil
    }
    var buckets: [Int: [Int]] = [:]
    for (offset, element) in elements.enumerated() {
      var hasher = Hasher()
      element.schemaHash(into: &hasher)
      let hash = hasher.finalize()
      for previous in buckets[hash] ?? [] where elements[previous].schemaEquals(element) { return (previous, offset) }
      buckets[hash, default: []].append(offset)
    }
    return nil
  }

  // MARK: Reporting

  func describe(_ value: JSONValue) -> String {
    switch value {
    case .string(let string):
      let shown = string.count > 60 ? String(string.prefix(57)) + "…" : string
      return "'\(shown)'"
    case .array: return "array"
    case .object: return "object"
    default: return value.jsonText()
    }
  }

  func falseSchemaMessage() -> String {
    "no value is allowed here (the schema is false)"
  }

  var currentInstanceLocation: String {
    var pointer = ""
    for token in instancePath {
      switch token {
      case .key(let key): pointer += "/" + JSONValue.escapePointerToken(key)
      case .index(let index): pointer += "/" + String(index)
      }
    }
    return pointer
  }

  /// Records an error for `keyword` at the current locations. `member` points the position at
  /// the member's key; `skipKeyword` means the caller already pushed the keyword path.
  mutating func report(_ keyword: String, _ message: String, member: Bool = false, skipKeyword: Bool = false) {
    let instanceLocation = currentInstanceLocation
    var tokens = keywordPath
    if !skipKeyword && keyword != "false" { tokens.append(keyword) }
    let keywordLocation = tokens.map { "/" + JSONValue.escapePointerToken($0) }.joined()
    let relative = tokens[min(nodeKeywordStart, tokens.count)...].map { "/" + JSONValue.escapePointerToken($0) }
      .joined()
    var position: SourcePosition?
    if let sourceMap {
      position = member ? (sourceMap.keys[instanceLocation] ?? sourceMap.values[instanceLocation]) : nil
      position = position ?? sourceMap.values[instanceLocation] ?? sourceMap.position(for: instanceLocation)
    }
    errors.append(
      ValidationError(
        instanceLocation: instanceLocation, keywordLocation: keywordLocation,
        absoluteKeywordLocation: nodeLocation + relative, keyword: keyword, message: message, position: position))
  }
}
