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
      if recording { reportFalseSchema(node.location) }
      return false
    }
    if node.keywords.isEmpty { return true }
    depth += 1
    defer { depth -= 1 }
    if depth > maxDepth {
      if recording { reportTooDeep() }
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
      let valid = evaluateKeywords(node.keywords, instance, &local, collect: true)
      if valid && collect { annotations.merge(local) }
      return valid
    }
    return evaluateKeywords(node.keywords, instance, &annotations, collect: collect)
  }

  /// Evaluates keywords in order; `collect` when the node or an ancestor reads annotations
  /// (`unevaluated*`). Stops at the first failure unless recording.
  mutating func evaluateKeywords(
    _ keywords: [Keyword], _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool
  ) -> Bool {
    var valid = true
    for keyword in keywords {
      if !evaluateKeyword(keyword, instance, &annotations, collect: collect) {
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

  /// Dispatches one keyword. Every case body lives in its own function, and error messages are
  /// built in separate non-inlined functions, so the frames on the recursive path stay small
  /// (deep instances must not exhaust a 512 KB thread stack, even in debug builds).
  mutating func evaluateKeyword(
    _ keyword: Keyword, _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool
  ) -> Bool {
    switch keyword {
    case .ref(let target):
      return evaluateInPlace(target, instance, &annotations, collect: collect, keyword: "$ref")
    case .dynamicRef(let target, let anchor):
      return evaluateDynamicRef(target, anchor, instance, &annotations, collect: collect)
    case .type(let types):
      return types.matches(instance) || fail(recording ? reportType(types, instance) : ())
    case .enumeration(let values, let strings):
      return checkEnum(values, strings, instance)
    case .constant(let value):
      return value.schemaEquals(instance) || fail(recording ? reportConst(value, instance) : ())
    case .multipleOf(let divisor):
      return checkMultipleOf(divisor, instance)
    case .comparison(let kind, let limit):
      return checkComparison(kind, limit, instance)
    case .size(let kind, let limit):
      return evaluateSize(kind, limit, instance)
    case .pattern(let regex):
      return checkPattern(regex, instance)
    case .uniqueItems:
      return checkUniqueItems(instance)
    case .required(let names):
      return checkRequired(names, instance)
    case .dependentRequired(let dependencies, let keywordName):
      return checkDependentRequired(dependencies, keywordName, instance)
    case .format(let name, let check):
      return checkFormat(name, check, instance)
    case .allOf(let members):
      return evaluateAllOf(members, instance, &annotations, collect: collect)
    case .anyOf(let members):
      return evaluateAnyOf(members, instance, &annotations, collect: collect)
    case .oneOf(let members):
      return evaluateOneOf(members, instance, &annotations, collect: collect)
    case .not(let member):
      return evaluateNot(member, instance)
    case .conditional(let condition, let then, let otherwise):
      return evaluateConditional(condition, then, otherwise, instance, &annotations, collect: collect)
    case .dependentSchemas(let dependencies, let keywordName):
      return evaluateDependentSchemas(dependencies, keywordName, instance, &annotations, collect: collect)
    case .properties(let members):
      return evaluateProperties(members, instance, &annotations, collect: collect)
    case .patternProperties(let patterns):
      return evaluatePatternProperties(patterns, instance, &annotations, collect: collect)
    case .additionalProperties(let member, let known, let patterns):
      return evaluateAdditionalProperties(member, known, patterns, instance, &annotations, collect: collect)
    case .propertyNames(let member):
      return evaluatePropertyNames(member, instance)
    case .prefixItems(let members, let keywordName):
      return evaluatePrefixItems(members, keywordName, instance, &annotations, collect: collect)
    case .items(let member, let start, let keywordName):
      return evaluateItems(member, start, keywordName, instance, &annotations, collect: collect)
    case .contains(let member, let minimum, let maximum):
      return evaluateContains(member, minimum, maximum, instance, &annotations, collect: collect)
    case .unevaluatedProperties(let member):
      return evaluateUnevaluatedProperties(member, instance, &annotations)
    case .unevaluatedItems(let member):
      return evaluateUnevaluatedItems(member, instance, &annotations)
    }
  }

  /// `false`, after the error (if any) was recorded by the argument.
  func fail(_ recorded: Void) -> Bool { false }

  // MARK: Assertions

  mutating func checkEnum(_ values: [JSONValue], _ strings: Set<String>?, _ instance: JSONValue) -> Bool {
    if let strings, case .string(let string) = instance {
      // The set finds canonically equivalent strings; JSON equality is by code point.
      if strings.contains(string), values.contains(where: { $0.schemaEquals(instance) }) { return true }
    } else if values.contains(where: { $0.schemaEquals(instance) }) {
      return true
    }
    if recording { reportEnum(values, instance) }
    return false
  }

  mutating func checkMultipleOf(_ divisor: JSONValue, _ instance: JSONValue) -> Bool {
    guard NumberValue.double(instance) != nil, !NumberValue.isMultiple(instance, of: divisor) else { return true }
    if recording { report("multipleOf", "\(instance.jsonText()) is not a multiple of \(divisor.jsonText())") }
    return false
  }

  mutating func checkComparison(_ kind: Comparison, _ limit: JSONValue, _ instance: JSONValue) -> Bool {
    guard let order = NumberValue.compare(instance, limit) else { return true }
    let valid: Bool
    switch kind {
    case .minimum: valid = order >= 0
    case .maximum: valid = order <= 0
    case .exclusiveMinimum: valid = order > 0
    case .exclusiveMaximum: valid = order < 0
    }
    if !valid && recording { reportComparison(kind, limit, instance) }
    return valid
  }

  mutating func checkPattern(_ regex: ECMARegex, _ instance: JSONValue) -> Bool {
    guard case .string(let string) = instance else { return true }
    let result = regex.firstMatch(in: string)
    if result == .match { return true }
    if recording { reportPattern(regex, result, instance) }
    return false
  }

  mutating func checkUniqueItems(_ instance: JSONValue) -> Bool {
    guard case .array(let elements) = instance, elements.count > 1,
      let duplicate = firstDuplicate(elements)
    else { return true }
    if recording { report("uniqueItems", "items \(duplicate.0) and \(duplicate.1) are equal; items must be unique") }
    return false
  }

  mutating func checkRequired(_ names: [String], _ instance: JSONValue) -> Bool {
    guard case .object(let object) = instance else { return true }
    var valid = true
    for name in names where object[name] == nil {
      valid = false
      guard recording else { return false }
      report("required", "missing required property '\(name)'")
    }
    return valid
  }

  mutating func checkDependentRequired(
    _ dependencies: [(String, [String])], _ keywordName: String, _ instance: JSONValue
  ) -> Bool {
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
  }

  mutating func checkFormat(_ name: String, _ check: @Sendable (String) -> Bool, _ instance: JSONValue) -> Bool {
    guard case .string(let string) = instance, !check(string) else { return true }
    if recording { report("format", "\(describe(instance)) is not a valid \(name)") }
    return false
  }

  // MARK: In-place applicators

  mutating func evaluateDynamicRef(
    _ target: Int, _ anchor: String?, _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool
  ) -> Bool {
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
  }

  mutating func evaluateAllOf(_ members: [Int], _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool)
    -> Bool
  {
    var valid = true
    for (offset, member) in members.enumerated() {
      if !evaluateInPlace(member, instance, &annotations, collect: collect, keyword: "allOf", .index(offset)) {
        valid = false
        if !recording { return false }
      }
    }
    return valid
  }

  mutating func evaluateAnyOf(_ members: [Int], _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool)
    -> Bool
  {
    var valid = false
    for member in members {
      var branch = Annotations()
      if probe(member, instance, &branch, collect: collect) {
        valid = true
        if !collect { break }
        annotations.merge(branch)
      }
    }
    if !valid && recording { reportAlternatives("anyOf", members.count, [], instance) }
    return valid
  }

  mutating func evaluateOneOf(_ members: [Int], _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool)
    -> Bool
  {
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
    if recording { reportAlternatives("oneOf", members.count, matches, instance) }
    return false
  }

  mutating func evaluateNot(_ member: Int, _ instance: JSONValue) -> Bool {
    var ignored = Annotations()
    if !probe(member, instance, &ignored, collect: false) { return true }
    if recording { report("not", "\(describe(instance)) must not match the schema in 'not'") }
    return false
  }

  mutating func evaluateConditional(
    _ condition: Int, _ then: Int?, _ otherwise: Int?, _ instance: JSONValue, _ annotations: inout Annotations,
    collect: Bool
  ) -> Bool {
    var branch = Annotations()
    if probe(condition, instance, &branch, collect: collect) {
      if collect { annotations.merge(branch) }
      guard let then else { return true }
      return evaluateInPlace(then, instance, &annotations, collect: collect, keyword: "then")
    }
    guard let otherwise else { return true }
    return evaluateInPlace(otherwise, instance, &annotations, collect: collect, keyword: "else")
  }

  mutating func evaluateDependentSchemas(
    _ dependencies: [(String, Int)], _ keywordName: String, _ instance: JSONValue, _ annotations: inout Annotations,
    collect: Bool
  ) -> Bool {
    guard case .object(let object) = instance else { return true }
    var valid = true
    for (name, member) in dependencies where object[name] != nil {
      if !evaluateInPlace(member, instance, &annotations, collect: collect, keyword: keywordName, .key(name)) {
        valid = false
        if !recording { return false }
      }
    }
    return valid
  }

  // MARK: Object applicators

  mutating func evaluateProperties(
    _ members: [(String, Int)], _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool
  ) -> Bool {
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
  }

  mutating func evaluatePatternProperties(
    _ patterns: [(ECMARegex, Int)], _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool
  ) -> Bool {
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
  }

  mutating func evaluateAdditionalProperties(
    _ member: Int, _ known: Set<String>, _ patterns: [ECMARegex], _ instance: JSONValue,
    _ annotations: inout Annotations, collect: Bool
  ) -> Bool {
    guard case .object(let object) = instance else { return true }
    var valid = true
    for (name, value) in object where !known.contains(name) {
      if patterns.contains(where: { $0.firstMatch(in: name) == .match }) { continue }
      if !evaluateMember(member, value, name, keyword: "additionalProperties") {
        valid = false
        if !recording { return false }
      }
    }
    if collect { annotations.allProperties = true }
    return valid
  }

  mutating func evaluatePropertyNames(_ member: Int, _ instance: JSONValue) -> Bool {
    guard case .object(let object) = instance else { return true }
    var valid = true
    for (name, _) in object {
      var ignored = Annotations()
      if !probe(member, .string(name), &ignored, collect: false) {
        valid = false
        guard recording else { return false }
        reportMember(name, "propertyNames", "property name '\(name)' is not valid against 'propertyNames'")
      }
    }
    return valid
  }

  mutating func evaluateUnevaluatedProperties(_ member: Int, _ instance: JSONValue, _ annotations: inout Annotations)
    -> Bool
  {
    guard case .object(let object) = instance else { return true }
    var valid = true
    if !annotations.allProperties {
      for (name, value) in object where !annotations.properties.contains(name) {
        if !evaluateMember(member, value, name, keyword: "unevaluatedProperties") {
          valid = false
          if !recording { return false }
        }
      }
    }
    annotations.allProperties = true
    return valid
  }

  /// An object member checked by `additionalProperties`/`unevaluatedProperties`: a `false`
  /// subschema gets one clear error pointing at the member's key.
  mutating func evaluateMember(_ member: Int, _ value: JSONValue, _ name: String, keyword: String) -> Bool {
    if program.nodes[member].alwaysFalse {
      if recording {
        let adjective = keyword == "additionalProperties" ? "additional" : "unevaluated"
        reportMember(name, keyword, "\(adjective) property '\(name)' is not allowed")
      }
      return false
    }
    return evaluateChild(member, value, .key(name), keyword: keyword)
  }

  // MARK: Array applicators

  mutating func evaluatePrefixItems(
    _ members: [Int], _ keywordName: String, _ instance: JSONValue, _ annotations: inout Annotations, collect: Bool
  ) -> Bool {
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
  }

  mutating func evaluateItems(
    _ member: Int, _ start: Int, _ keywordName: String, _ instance: JSONValue, _ annotations: inout Annotations,
    collect: Bool
  ) -> Bool {
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
  }

  mutating func evaluateContains(
    _ member: Int, _ minimum: Int, _ maximum: Int?, _ instance: JSONValue, _ annotations: inout Annotations,
    collect: Bool
  ) -> Bool {
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
    if recording { reportContains(count, minimum, maximum) }
    return false
  }

  mutating func evaluateUnevaluatedItems(_ member: Int, _ instance: JSONValue, _ annotations: inout Annotations)
    -> Bool
  {
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

  // MARK: Messages (built only when recording, outside the recursive frames)

  @inline(never) mutating func reportType(_ types: TypeSet, _ instance: JSONValue) {
    report("type", "expected \(types.nameList.joined(separator: " or ")), got \(instance.typeName)")
  }

  @inline(never) mutating func reportConst(_ value: JSONValue, _ instance: JSONValue) {
    report("const", "expected \(describe(value)), got \(describe(instance))")
  }

  @inline(never) mutating func reportEnum(_ values: [JSONValue], _ instance: JSONValue) {
    let list = values.map { value -> String in
      if case .string(let string) = value { return string }
      return value.jsonText()
    }
    report("enum", "\(describe(instance)) is not one of \(list.joined(separator: ", "))")
    if case .string(let value) = instance {
      let allowed = values.compactMap { value -> String? in
        if case .string(let string) = value { return string }
        return nil
      }
      errors[errors.count - 1].misspelling = ValidationError.Misspelling(value: value, allowed: allowed)
    }
  }

  @inline(never) mutating func reportComparison(_ kind: Comparison, _ limit: JSONValue, _ instance: JSONValue) {
    let relation =
      switch kind {
      case .minimum: "less than the minimum of"
      case .maximum: "greater than the maximum of"
      case .exclusiveMinimum: "not greater than the exclusive minimum of"
      case .exclusiveMaximum: "not less than the exclusive maximum of"
      }
    report(kind.keyword, "\(instance.jsonText()) is \(relation) \(limit.jsonText())")
  }

  @inline(never) mutating func reportPattern(_ regex: ECMARegex, _ result: ECMARegex.MatchResult, _ instance: JSONValue)
  {
    if result == .tooComplex {
      report("pattern", "pattern '\(regex.source)' is too costly to match against this string; treated as no match")
    } else {
      report("pattern", "\(describe(instance)) does not match pattern '\(regex.source)'")
    }
  }

  @inline(never) mutating func reportAlternatives(
    _ keyword: String, _ count: Int, _ matches: [Int], _ instance: JSONValue
  ) {
    if matches.isEmpty {
      report(keyword, "\(describe(instance)) does not match any of the \(count) alternatives in \(keyword)")
    } else {
      let list = matches.map(String.init).joined(separator: ", ")
      report(keyword, "\(describe(instance)) matches more than one alternative in \(keyword) (\(list))")
    }
  }

  @inline(never) mutating func reportMember(_ name: String, _ keyword: String, _ message: String) {
    instancePath.append(.key(name))
    report(keyword, message, member: true)
    instancePath.removeLast()
  }

  @inline(never) mutating func reportContains(_ count: Int, _ minimum: Int, _ maximum: Int?) {
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
      let counted = noun == "propert" ? (count == 1 ? "property" : "properties") : (count == 1 ? noun : noun + "s")
      let subject = instance.typeName == "string" ? describe(instance) : instance.typeName
      report(kind.keyword, "\(subject) has \(count) \(counted); expected at \(isMinimum ? "least" : "most") \(limit)")
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
    // The last element seen with each hash, and for each element the one before it with its hash:
    // a chain per hash in two flat tables, not an array per element.
    var lastWithHash: [Int: Int] = [:]
    lastWithHash.reserveCapacity(elements.count)
    var previousWithHash = [Int](repeating: -1, count: elements.count)
    for (offset, element) in elements.enumerated() {
      var hasher = Hasher()
      element.schemaHash(into: &hasher)
      let latest = lastWithHash.updateValue(offset, forKey: hasher.finalize()) ?? -1
      previousWithHash[offset] = latest
      var candidate = latest
      while candidate >= 0 {
        if elements[candidate].schemaEquals(element) { return (candidate, offset) }
        candidate = previousWithHash[candidate]
      }
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

  @inline(never) mutating func reportFalseSchema(_ location: String) {
    let saved = (nodeLocation, nodeKeywordStart)
    (nodeLocation, nodeKeywordStart) = (location, keywordPath.count)
    report("false", "no value is allowed here (the schema is false)")
    (nodeLocation, nodeKeywordStart) = saved
  }

  @inline(never) mutating func reportTooDeep() {
    report("$ref", "validation nested deeper than \(maxDepth) levels (instance too deep or schema recursion too deep)")
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
