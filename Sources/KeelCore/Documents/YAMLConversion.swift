import Foundation
import JSONSchema
import Yams

/// The YAML half of `YAMLReader`: runs Yams, maps its errors to located
/// diagnostics, and converts the composed nodes to JSON with YAML 1.2
/// core-schema meaning.
enum YAMLReading {
  static func read(_ text: String, path: String, lineOffset: Int, limits: ParseLimits) -> (LocatedJSON?, [Diagnostic]) {
    var bytes = Array(text.utf8)
    if let finding = YAMLPrescan.scan(bytes, limits: limits) {
      switch finding {
      case .tooDeep(let position):
        let limit = min(limits.maxDepth, YAMLReader.hardMaxDepth)
        return (
          nil,
          [diagnostic(ReaderRules.tooDeep, "YAML is nested deeper than \(limit) levels", path, position, lineOffset)]
        )
      case .aliasInComplexKey(let position):
        let message = "complex (non-scalar or alias) mapping keys cannot be combined with aliases; use plain keys"
        return (nil, [diagnostic(ReaderRules.yaml, message, path, position, lineOffset)])
      }
    }
    // Keys Yams reported as duplicates get a private-use first character so
    // Yams accepts them; the converter restores them and reports the second
    // occurrence itself, where Yams would only point at the first.
    var renamedKeys: [SourcePosition: String] = [:]
    var source = text
    for round in 0..<maxDuplicateRounds {
      do {
        // `.utf8` explicitly: Yams' default reads the process environment on every call.
        let parser = try Parser(yaml: source, resolver: .basic, encoding: .utf8)
        guard let root = try parser.nextRoot() else {
          var map = SourceMap()
          map.values[""] = SourcePosition(line: 1 + lineOffset, column: 1)
          return (LocatedJSON(value: .null, sourceMap: map), [])
        }
        var diagnostics: [Diagnostic] = []
        if let second = secondDocumentPosition(parser, bytes: bytes) {
          diagnostics.append(
            diagnostic(
              ReaderRules.multipleDocuments, "a second YAML document starts here; only one document per file is read",
              path, second,
              lineOffset))
        }
        var converter = YAMLConverter(
          path: path, lineOffset: lineOffset, limits: limits, renamedKeys: renamedKeys, source: bytes)
        let value = converter.convertRoot(root)
        diagnostics.append(contentsOf: converter.diagnostics)
        guard let value else { return (nil, diagnostics) }
        return (LocatedJSON(value: value, sourceMap: converter.sourceMap), diagnostics)
      } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
        let first = SourcePosition(line: context.mark.line, column: context.mark.column)
        let key = duplicates.first ?? ""
        if let edited = renameKey(in: bytes, at: first, round: round) {
          bytes = edited
          source = String(decoding: bytes, as: UTF8.self)
          renamedKeys[first] = key
          continue
        }
        let message = "duplicate key '\(key)' in a mapping (this is its first occurrence)"
        return (nil, [diagnostic(ReaderRules.duplicateKey, message, path, first, lineOffset)])
      } catch let error as YamlError {
        return (nil, [yamlErrorDiagnostic(error, bytes: bytes, path: path, lineOffset: lineOffset)])
      } catch {
        return (nil, [diagnostic(ReaderRules.yaml, "\(error)", path, nil, lineOffset)])
      }
    }
    return (nil, [diagnostic(ReaderRules.duplicateKey, "too many duplicate keys", path, nil, lineOffset)])
  }

  private static let maxDuplicateRounds = 64

  static func diagnostic(
    _ rule: RuleDescriptor, _ message: String, _ path: String, _ position: SourcePosition?, _ lineOffset: Int
  ) -> Diagnostic {
    let shifted = position.map { SourcePosition(line: $0.line + lineOffset, column: $0.column) }
    return rule.finding(message, path: path, at: shifted ?? SourcePosition(line: 1 + lineOffset, column: 1))
  }

  /// Where a second document starts, if the stream has one: the `---` line
  /// before its root node when there is one, else the node itself.
  private static func secondDocumentPosition(_ parser: Parser, bytes: [UInt8]) -> SourcePosition? {
    let nodeLine: Int?
    do {
      guard let second = try parser.nextRoot() else { return nil }
      nodeLine = second.mark?.line
    } catch let error as YamlError {
      nodeLine = mark(of: error)?.line
    } catch {
      nodeLine = nil
    }
    let table = LineTable(bytes)
    var line = min(nodeLine ?? table.lineCount, table.lineCount)
    while line >= 1 {
      let range = table.contentRange(ofLine: line)
      if range.count >= 3 {
        let first = bytes[range.lowerBound]
        if (first == UInt8(ascii: "-") || first == UInt8(ascii: ".")) && bytes[range.lowerBound + 1] == first
          && bytes[range.lowerBound + 2] == first
          && (range.count == 3 || bytes[range.lowerBound + 3] == 0x20 || bytes[range.lowerBound + 3] == 0x09)
        {
          // `...` ends the first document; the next one starts after it.
          return SourcePosition(line: first == UInt8(ascii: ".") ? line + 1 : line, column: 1)
        }
      }
      line -= 1
    }
    return nodeLine.map { SourcePosition(line: $0, column: 1) }
  }

  /// Replaces the first character of the key at `position` with a private-use
  /// character (same length in scalars, so every other position holds).
  private static func renameKey(in bytes: [UInt8], at position: SourcePosition, round: Int) -> [UInt8]? {
    let table = LineTable(bytes)
    guard let offsetInLine = table.byteOffset(line: position.line, scalarColumn: position.column) else { return nil }
    let lineRange = table.contentRange(ofLine: position.line)
    var index = lineRange.lowerBound + offsetInLine
    // Skip node properties (`&anchor`, `!tag`) before the key's text.
    while index < lineRange.upperBound, bytes[index] == UInt8(ascii: "&") || bytes[index] == UInt8(ascii: "!") {
      while index < lineRange.upperBound, bytes[index] != 0x20, bytes[index] != 0x09 { index += 1 }
      while index < lineRange.upperBound, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }
    guard index < lineRange.upperBound else { return nil }
    let opening = bytes[index]
    if opening == UInt8(ascii: "\"") || opening == UInt8(ascii: "'") {
      index += 1
      guard index < lineRange.upperBound, bytes[index] != opening, bytes[index] != UInt8(ascii: "\\") else {
        return nil
      }
    }
    let scalarStart = bytes[index]
    guard scalarStart != 0x20, scalarStart != 0x09, scalarStart != 0x0D else { return nil }
    var scalarEnd = index + 1
    while scalarEnd < bytes.count, bytes[scalarEnd] & 0xC0 == 0x80 { scalarEnd += 1 }
    guard let replacement = Unicode.Scalar(0xE000 + UInt32(round)) else { return nil }
    var edited = bytes
    edited.replaceSubrange(index..<scalarEnd, with: Array(String(Character(replacement)).utf8))
    return edited
  }

  private static func mark(of error: YamlError) -> Mark? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark
    case .duplicatedKeysInMapping(_, let context): context.mark
    default: nil
    }
  }

  static func yamlErrorDiagnostic(_ error: YamlError, bytes: [UInt8], path: String, lineOffset: Int) -> Diagnostic {
    let table = LineTable(bytes)
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      if let tab = indentationTab(near: mark.line, table: table) {
        return diagnostic(
          ReaderRules.yaml, "tab character used for indentation; YAML indentation must use spaces", path, tab,
          lineOffset)
      }
      var message = problem
      if let context, !context.text.isEmpty {
        message += " (\(context.text) at line \(context.mark.line + lineOffset), column \(context.mark.column))"
      }
      return diagnostic(
        ReaderRules.yaml, message, path, SourcePosition(line: mark.line, column: mark.column), lineOffset)
    case .reader(let problem, _, _, _):
      return diagnostic(ReaderRules.yaml, problem, path, firstNonPrintable(table), lineOffset)
    default:
      return diagnostic(ReaderRules.yaml, "\(error)", path, nil, lineOffset)
    }
  }

  /// A tab in the leading whitespace of the error's line or the line before
  /// (libyaml reports some tab errors on the next token).
  private static func indentationTab(near line: Int, table: LineTable) -> SourcePosition? {
    for candidate in [line, line - 1] where candidate >= 1 && candidate <= table.lineCount {
      let range = table.contentRange(ofLine: candidate)
      var column = 1
      for index in range {
        let byte = table.bytes[index]
        if byte == 0x09 {
          // Tabs before the first key are indentation; a blank line of tabs is harmless.
          let rest = table.bytes[(index + 1)..<range.upperBound]
          if rest.contains(where: { $0 != 0x09 && $0 != 0x20 }) {
            return SourcePosition(line: candidate, column: column)
          }
          break
        }
        guard byte == 0x20 else { break }
        column += 1
      }
    }
    return nil
  }

  /// The first character YAML does not allow in a stream (control characters).
  private static func firstNonPrintable(_ table: LineTable) -> SourcePosition? {
    let text = String(decoding: table.bytes, as: UTF8.self)
    var line = 1
    var column = 1
    for scalar in text.unicodeScalars {
      let value = scalar.value
      let printable =
        value == 0x09 || value == 0x0A || value == 0x0D || (0x20...0x7E).contains(value) || value == 0x85
        || (0xA0...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
      if !printable { return SourcePosition(line: line, column: column) }
      if value == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return nil
  }
}

/// Converts composed Yams nodes to JSON, expanding aliases and merge keys
/// under a node budget, checking depth and duplicate keys, and recording the
/// position of every value and key.
struct YAMLConverter {
  let path: String
  let lineOffset: Int
  let maxDepth: Int
  let maxNodes: Int
  let renamedKeys: [SourcePosition: String]
  var sourceMap = SourceMap()
  var diagnostics: [Diagnostic] = []
  private var nodeCount = 0
  /// The furthest position converted so far: aliases point back to their
  /// anchors, so this is the best place to blame when expansion explodes.
  private var furthest = SourcePosition(line: 1, column: 1)
  private var failed = false
  private var reportedDuplicates = Set<SourcePosition>()
  /// The YAML text, to find a tag after a node's anchor.
  private let source: [UInt8]
  private var sourceLines: LineTable?
  private var reportedTags = Set<SourcePosition>()

  init(
    path: String, lineOffset: Int, limits: ParseLimits, renamedKeys: [SourcePosition: String], source: [UInt8] = []
  ) {
    self.path = path
    self.lineOffset = lineOffset
    self.maxDepth = min(limits.maxDepth, YAMLReader.hardMaxDepth)
    self.maxNodes = limits.maxNodes
    self.renamedKeys = renamedKeys
    self.source = source
  }

  mutating func convertRoot(_ node: Node) -> JSONValue? {
    sourceMap.values.reserveCapacity(32)
    sourceMap.keys.reserveCapacity(32)
    let value = convert(node, pointer: "", depth: 0)
    return failed ? nil : value
  }

  private func located(_ mark: Mark?) -> SourcePosition? {
    mark.map { SourcePosition(line: $0.line + lineOffset, column: $0.column) }
  }

  private mutating func fail(_ rule: RuleDescriptor, _ message: String, at mark: Mark?) {
    fail(rule, message, atPosition: mark.map { SourcePosition(line: $0.line, column: $0.column) })
  }

  /// `position` is relative to the YAML text (before `lineOffset`).
  private mutating func fail(_ rule: RuleDescriptor, _ message: String, atPosition position: SourcePosition?) {
    if failed && (rule == ReaderRules.aliasBomb || rule == ReaderRules.tooDeep) { return }
    failed = true
    let shifted = position.map { SourcePosition(line: $0.line + lineOffset, column: $0.column) }
    diagnostics.append(
      rule.finding(message, path: path, at: shifted ?? SourcePosition(line: 1 + lineOffset, column: 1)))
  }

  /// Counts a produced node; false once the budget is spent.
  private mutating func spend(_ mark: Mark?) -> Bool {
    if failed { return false }
    nodeCount += 1
    if let mark {
      let position = SourcePosition(line: mark.line, column: mark.column)
      if furthest < position { furthest = position }
    }
    if nodeCount > maxNodes {
      fail(
        ReaderRules.aliasBomb,
        "YAML expands to more than \(maxNodes) nodes (aliases expanding into a huge document?); it was not read",
        atPosition: furthest)
      return false
    }
    return true
  }

  private mutating func convert(_ node: Node, pointer: String, depth: Int) -> JSONValue {
    guard spend(node.mark) else { return .null }
    if let position = located(node.mark) { sourceMap.values[pointer] = position }
    if depth > maxDepth {
      fail(ReaderRules.tooDeep, "YAML is nested deeper than \(maxDepth) levels", at: node.mark)
      return .null
    }
    checkTag(of: node)
    switch node {
    case .scalar(let scalar):
      return scalarValue(scalar, pointer: pointer)
    case .sequence(let sequence):
      var array: [JSONValue] = []
      array.reserveCapacity(sequence.count)
      for (index, element) in sequence.enumerated() {
        array.append(convert(element, pointer: pointer + "/" + String(index), depth: depth + 1))
        if failed { return .null }
      }
      return .array(array)
    case .mapping(let mapping):
      return .object(convertMapping(mapping, pointer: pointer, depth: depth))
    case .alias:
      return .null
    }
  }

  private struct Entry {
    var key: String
    var keyMark: Mark?
    var value: Node
  }

  private mutating func convertMapping(_ mapping: Node.Mapping, pointer: String, depth: Int) -> JSONObject {
    var object = JSONObject()
    if !mapping.contains(where: { isMergeKey($0.key) }) {
      // The common case, in one pass: no merged members to order.
      var firstMarks: [String: Mark?] = [:]
      for (key, value) in mapping {
        guard spend(key.mark), let name = keyString(key) else { return object }
        if let first = firstMarks[name] {
          reportDuplicate(name, first: first, second: key.mark)
          continue
        }
        firstMarks[name] = key.mark
        let memberPointer = pointer + "/" + escapedToken(name)
        if let position = located(key.mark) { sourceMap.keys[memberPointer] = position }
        object[name] = convert(value, pointer: memberPointer, depth: depth + 1)
        if failed { return object }
      }
      return object
    }
    for entry in entries(of: mapping, depth: depth) {
      if failed { return object }
      let memberPointer = pointer + "/" + escapedToken(entry.key)
      if object[entry.key] != nil {
        continue  // a merged key overridden by an explicit one, or a duplicate already reported
      }
      if let position = located(entry.keyMark) { sourceMap.keys[memberPointer] = position }
      object[entry.key] = convert(entry.value, pointer: memberPointer, depth: depth + 1)
    }
    return object
  }

  /// The mapping's members in order, merge keys (`<<`) expanded in place:
  /// explicit keys win over merged ones, earlier merged mappings over later.
  /// Duplicate explicit keys are reported here, at the second occurrence.
  private mutating func entries(of mapping: Node.Mapping, depth: Int) -> [Entry] {
    if !mapping.contains(where: { isMergeKey($0.key) }) { return plainEntries(of: mapping) }
    var explicit: [String: Mark?] = [:]
    for (key, _) in mapping {
      if isMergeKey(key) { continue }
      guard spend(key.mark), let name = keyString(key) else { return [] }
      if let first = explicit[name] {
        reportDuplicate(name, first: first ?? nil, second: key.mark)
      } else {
        explicit[name] = key.mark
      }
    }
    var result: [Entry] = []
    result.reserveCapacity(mapping.count)
    var seen = Set<String>()
    for (key, value) in mapping {
      if isMergeKey(key) {
        guard depth < maxDepth else {
          fail(ReaderRules.tooDeep, "merge keys nested deeper than \(maxDepth) levels", at: key.mark)
          return []
        }
        let sources: [Node]
        switch value {
        case .mapping: sources = [value]
        case .sequence(let sequence): sources = Array(sequence)
        default:
          fail(
            ReaderRules.yaml, "the value of a merge key '<<' must be a mapping or a list of mappings", at: value.mark)
          return []
        }
        for source in sources {
          guard case .mapping(let merged) = source else {
            fail(
              ReaderRules.yaml, "the value of a merge key '<<' must be a mapping or a list of mappings", at: source.mark
            )
            return []
          }
          for entry in entries(of: merged, depth: depth + 1) {
            guard spend(entry.keyMark) else { return [] }
            if explicit[entry.key] == nil && seen.insert(entry.key).inserted { result.append(entry) }
          }
        }
      } else if let name = keyString(key) {
        result.append(Entry(key: name, keyMark: key.mark, value: value))
      }
    }
    return result
  }

  /// `entries(of:depth:)` for a mapping without merge keys: one pass.
  private mutating func plainEntries(of mapping: Node.Mapping) -> [Entry] {
    var result: [Entry] = []
    result.reserveCapacity(mapping.count)
    var firstMarks: [String: Mark?] = [:]
    for (key, value) in mapping {
      guard spend(key.mark), let name = keyString(key) else { return [] }
      if let first = firstMarks[name] {
        reportDuplicate(name, first: first, second: key.mark)
      } else {
        firstMarks[name] = key.mark
      }
      result.append(Entry(key: name, keyMark: key.mark, value: value))
    }
    return result
  }

  private mutating func reportDuplicate(_ name: String, first: Mark?, second: Mark?) {
    let secondPosition = located(second) ?? SourcePosition(line: 1, column: 1)
    // Aliases and merges visit the same mapping again: report it once.
    guard reportedDuplicates.insert(secondPosition).inserted else { return }
    let related =
      located(first).map {
        [RelatedLocation(path: path, line: $0.line, column: $0.column, message: "first occurrence of '\(name)'")]
      } ?? []
    diagnostics.append(
      ReaderRules.duplicateKey.finding(
        "duplicate key '\(name)' in a mapping", path: path, at: secondPosition, related: related))
  }

  /// `JSONValue.escapePointerToken` without a Foundation search for the common key.
  private func escapedToken(_ key: String) -> String {
    key.utf8.contains { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") } ? JSONValue.escapePointerToken(key) : key
  }

  /// Yams keeps a tag's name internal; its raw value is public.
  private func tagName(_ tag: Tag) -> Tag.Name { Tag.Name(rawValue: tag.rawValue) }

  /// `<<` as a plain key (or tagged `!!merge`) is a merge key (a YAML 1.1
  /// feature Keel keeps because shared defaults in front matter rely on it).
  private func isMergeKey(_ key: Node) -> Bool {
    guard case .scalar(let scalar) = key else { return false }
    let tag = tagName(scalar.tag)
    if tag == .merge { return true }
    // Yams resolves key tags in place while checking for duplicates, so a
    // plain `<<` key arrives tagged `!!str`.
    return (tag == .implicit || tag == .str) && scalar.style == .plain && scalar.string == "<<"
  }

  /// Tags other tools may act on (`!!python/object:os.system`) are not
  /// Keel's: the value is read as plain YAML, with a `parse/unknown-tag`
  /// warning at the tag. The core-schema tags, `!` and merge keys' `!!merge`
  /// stay silent.
  static let silentTags: Set<Tag.Name> = [
    .implicit, .nonSpecific, .str, .int, .float, .bool, .null, .seq, .map, .merge,
  ]
  /// Unknown tags reported per file; more are not (a flow list of 100,000 tags).
  static let maximumTagWarnings = 20

  private mutating func checkTag(of node: Node) {
    // Not `node.tag`: that resolves the tag in place (Yams' `Tag` is a class).
    let tag: Tag
    switch node {
    case .scalar(let scalar): tag = scalar.tag
    case .sequence(let sequence): tag = sequence.tag
    case .mapping(let mapping): tag = mapping.tag
    case .alias: return
    }
    let name = tagName(tag)
    let mark = node.mark
    guard !Self.silentTags.contains(name), reportedTags.count < Self.maximumTagWarnings else { return }
    let position = tagPosition(after: mark) ?? SourcePosition(line: 1, column: 1)
    // Aliases visit the same node again: report it once.
    guard reportedTags.insert(position).inserted else { return }
    let shown = Self.displayName(name)
    diagnostics.append(
      ReaderRules.unknownTag.finding(
        "unknown YAML tag '\(shown)'; the value is read as plain YAML (other tools may act on the tag)",
        path: path, line: position.line + lineOffset, column: position.column))
  }

  /// `!!name` for the `tag:yaml.org,2002:` prefix; characters a terminal
  /// could act on (a tag may spell them `%1B`) as `\u{…}`.
  static func displayName(_ name: Tag.Name) -> String {
    let raw = name.rawValue
    let text = raw.hasPrefix("tag:yaml.org,2002:") ? "!!" + raw.dropFirst("tag:yaml.org,2002:".count) : raw
    var shown = ""
    for scalar in text.unicodeScalars {
      if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
        shown += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        shown.unicodeScalars.append(scalar)
      }
    }
    return shown
  }

  /// The node's tag: its mark is where its properties start, and an anchor
  /// may come before the tag (`&a !tag value`).
  private mutating func tagPosition(after mark: Mark?) -> SourcePosition? {
    guard let mark else { return nil }
    let position = SourcePosition(line: mark.line, column: mark.column)
    if sourceLines == nil { sourceLines = LineTable(source) }
    guard let table = sourceLines, let offset = table.byteOffset(line: mark.line, scalarColumn: mark.column) else {
      return position
    }
    let range = table.contentRange(ofLine: mark.line)
    var index = range.lowerBound + offset
    guard index < range.upperBound, source[index] == UInt8(ascii: "&") else { return position }
    while index < range.upperBound, source[index] != 0x20, source[index] != 0x09 { index += 1 }
    while index < range.upperBound, source[index] == 0x20 || source[index] == 0x09 { index += 1 }
    guard index < range.upperBound, source[index] == UInt8(ascii: "!") else { return position }
    return SourcePosition(
      line: mark.line, column: table.scalarColumn(line: mark.line, byteOffsetInLine: index - range.lowerBound))
  }

  /// A key as a JSON member name: scalars by their text; other keys are errors.
  private mutating func keyString(_ key: Node) -> String? {
    checkTag(of: key)
    guard case .scalar(let scalar) = key else {
      fail(ReaderRules.yaml, "mapping keys must be scalars (a list or mapping cannot be a key)", at: key.mark)
      return nil
    }
    if let mark = scalar.mark, let original = renamedKeys[SourcePosition(line: mark.line, column: mark.column)] {
      return original
    }
    return scalar.string
  }

  private mutating func scalarValue(_ scalar: Node.Scalar, pointer: String) -> JSONValue {
    let text = scalar.string
    switch tagName(scalar.tag) {
    case .implicit:
      return scalar.style == .plain || scalar.style == .any ? CoreSchema.resolve(text) : .string(text)
    case .str, .nonSpecific, .binary, .timestamp:
      return .string(text)
    case .null:
      if CoreSchema.resolve(text) == .null { return .null }
    case .bool:
      if case .bool(let value) = CoreSchema.resolve(text) { return .bool(value) }
    case .int:
      if let value = CoreSchema.integer(text) { return value }
    case .float:
      switch CoreSchema.resolve(text) {
      case .integer(let value): return .number(Double(value))
      case .number(let value): return .number(value)
      default: break
      }
    default:
      // Local or unknown tags (`!thing`): the text is kept as a string.
      return .string(text)
    }
    let tag = tagName(scalar.tag).rawValue.replacingOccurrences(of: "tag:yaml.org,2002:", with: "!!")
    fail(ReaderRules.yaml, "'\(text)' is not a valid \(tag)", at: scalar.mark)
    return .string(text)
  }
}

/// YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
/// for plain scalars, written out by hand: no regular expressions, no Foundation.
enum CoreSchema {
  static func resolve(_ text: String) -> JSONValue {
    let utf8 = text.utf8
    guard let first = utf8.first else { return .null }
    switch text {
    case "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(.infinity)
    case "-.inf", "-.Inf", "-.INF": return .number(-.infinity)
    case ".nan", ".NaN", ".NAN": return .number(.nan)
    default: break
    }
    // Only digits, signs, dots, exponents and hex letters can start a number.
    guard
      first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
    else { return .string(text) }
    if let integer = integer(text) { return integer }
    if isFloat(utf8), let value = Double(text) { return .number(value) }
    return .string(text)
  }

  /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; decimals too large for Int become numbers.
  static func integer(_ text: String) -> JSONValue? {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty else { return nil }
    if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "o") || bytes[1] == UInt8(ascii: "x") {
      let radix = bytes[1] == UInt8(ascii: "o") ? 8 : 16
      guard let value = Int(text.dropFirst(2), radix: radix) else { return nil }
      return .integer(value)
    }
    var start = 0
    if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { start = 1 }
    guard start < bytes.count, bytes[start...].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return nil }
    if let value = Int(text) { return .integer(value) }
    return Double(text).map { .number($0) }
  }

  /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
  static func isFloat(_ utf8: String.UTF8View) -> Bool {
    let bytes = Array(utf8)
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
      return index - start
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard digits() > 0 else { return false }
    } else {
      guard digits() > 0 else { return false }
      if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
        index += 1
        _ = digits()
      }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }
}
