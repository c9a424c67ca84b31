import Foundation

/// A JSON text that could not be parsed, with the 1-based position of the problem.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  public var position: SourcePosition
  public var description: String { "\(position.line):\(position.column): \(message)" }
}

/// A member name that appears a second time in one JSON object, at the second name.
public struct JSONDuplicateKey: Sendable, Hashable {
  public var key: String
  public var position: SourcePosition
  /// Where the kept, first member's name is.
  public var firstPosition: SourcePosition?
}

/// A strict RFC 8259 JSON parser that records the source position of every node.
///
/// The parser is iterative (an explicit stack, no recursion), so deep input cannot overflow
/// the thread stack; `maxDepth` still caps nesting because other code that walks a
/// `JSONValue` (equality, deallocation, validation) is recursive.
public enum JSONParser {
  /// Default nesting limit: deep enough for any real document, shallow enough that
  /// recursive consumers of the value stay well inside a 512 KB thread stack.
  public static let defaultMaxDepth = 512

  /// Parses UTF-8 JSON text (a leading byte-order mark is skipped).
  public static func parse(_ data: Data, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> LocatedJSON {
    let bytes = [UInt8](data)
    var parser = Parser(bytes: bytes, maxDepth: maxDepth)
    return try parser.parseDocument()
  }

  /// Parses UTF-8 JSON text and reports member names repeated in one object, where JSON leaves
  /// the meaning open: the first member is kept (as keel reads YAML), each later one is reported
  /// at its name and left out, with its positions.
  public static func parse(
    _ data: Data, maxDepth: Int = defaultMaxDepth, duplicateKeys: inout [JSONDuplicateKey]
  ) throws(JSONParseError) -> LocatedJSON {
    var parser = Parser(bytes: [UInt8](data), maxDepth: maxDepth)
    parser.keepsFirstDuplicate = true
    let result = try parser.parseDocument()
    duplicateKeys = parser.duplicates
    return result
  }

  /// Parses JSON text given as a string.
  public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> LocatedJSON {
    var parser = Parser(bytes: Array(text.utf8), maxDepth: maxDepth)
    return try parser.parseDocument()
  }
}

private struct Parser {
  let bytes: [UInt8]
  let maxDepth: Int
  var index = 0
  var line = 1
  var lineStart = 0
  /// Column bookkeeping: the column of `columnCheckpoint`, so columns are computed incrementally.
  var columnCheckpoint = 0
  var columnAtCheckpoint = 1
  var sourceMap = SourceMap()
  /// Keep the first of repeated member names and list the others in `duplicates` (else the last wins).
  var keepsFirstDuplicate = false
  var duplicates: [JSONDuplicateKey] = []
  /// Pointer prefix under which a left-out duplicate member's positions are recorded, then dropped.
  static let discarded = "/\u{0}"

  init(bytes: [UInt8], maxDepth: Int) {
    self.bytes = bytes
    self.maxDepth = maxDepth
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      index = 3
      lineStart = 3
      columnCheckpoint = 3
    }
    // Every value but the first follows a `,` or an opening bracket (outside strings), every key a
    // `:`: sizing the source map once saves growing it (and hashing every pointer again) about 18
    // times for 200,000 values. At most 2^18 entries ahead, so that `,,,,…` reserves little.
    var separators = 0
    var colons = 0
    var inString = false
    var escaped = false
    for byte in bytes {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"): separators += 1
      case UInt8(ascii: ":"): colons += 1
      default: break
      }
    }
    sourceMap.values.reserveCapacity(min(separators + 1, 1 << 18))
    sourceMap.keys.reserveCapacity(min(colons, 1 << 18))
  }

  /// An open array or object. Mutated in place on the stack (`stack[last]`): a
  /// copy popped and pushed back would copy its elements on every append, which
  /// made a 200,000-element array quadratic.
  private struct Container {
    var isArray: Bool
    var elements: [JSONValue] = []
    var object = JSONObject()
    var pointer: String
    /// The member being read, for an object.
    var key = ""
  }

  /// The position of byte offset `offset` (which must be on the current line, at or after earlier queries).
  mutating func position(at offset: Int) -> SourcePosition {
    if columnCheckpoint < lineStart || columnCheckpoint > offset {
      columnCheckpoint = lineStart
      columnAtCheckpoint = 1
    }
    var column = columnAtCheckpoint
    var cursor = columnCheckpoint
    while cursor < offset {
      if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
      cursor += 1
    }
    columnCheckpoint = offset
    columnAtCheckpoint = column
    return SourcePosition(line: line, column: column)
  }

  mutating func fail(_ message: String, at offset: Int? = nil) -> JSONParseError {
    JSONParseError(message: message, position: position(at: min(offset ?? index, bytes.count)))
  }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0D: index += 1
      case 0x0A:
        index += 1
        line += 1
        lineStart = index
      default: return
      }
    }
  }

  mutating func parseDocument() throws(JSONParseError) -> LocatedJSON {
    let value = try parseValueTree()
    skipWhitespace()
    if index < bytes.count { throw fail("unexpected \(describeByte(at: index)) after the JSON value") }
    if !duplicates.isEmpty {
      sourceMap.values = sourceMap.values.filter { !$0.key.contains(Self.discarded) }
      sourceMap.keys = sourceMap.keys.filter { !$0.key.contains(Self.discarded) }
    }
    return LocatedJSON(value: value, sourceMap: sourceMap)
  }

  func describeByte(at offset: Int) -> String {
    guard offset < bytes.count else { return "end of input" }
    let byte = bytes[offset]
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return String(format: "byte 0x%02X", byte)
  }

  mutating func parseValueTree() throws(JSONParseError) -> JSONValue {
    var stack: [Container] = []
    var currentPointer = ""
    while true {
      skipWhitespace()
      guard index < bytes.count else { throw fail("unexpected end of input, expected a value") }
      sourceMap.values[currentPointer] = position(at: index)
      var completed: JSONValue
      switch bytes[index] {
      case UInt8(ascii: "["):
        if try opensEmpty(closedBy: UInt8(ascii: "]"), depth: stack.count) {
          completed = .array([])
        } else {
          stack.append(Container(isArray: true, pointer: currentPointer))
          currentPointer += "/0"
          continue
        }
      case UInt8(ascii: "{"):
        if try opensEmpty(closedBy: UInt8(ascii: "}"), depth: stack.count) {
          completed = .object(JSONObject())
        } else {
          let key = try parseKey(parentPointer: currentPointer)
          stack.append(Container(isArray: false, pointer: currentPointer, key: key))
          currentPointer += "/" + JSONValue.escapePointerToken(key)
          continue
        }
      case UInt8(ascii: "\""): completed = .string(try parseString())
      case UInt8(ascii: "t"): try expectLiteral("true"); completed = .bool(true)
      case UInt8(ascii: "f"): try expectLiteral("false"); completed = .bool(false)
      case UInt8(ascii: "n"): try expectLiteral("null"); completed = .null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): completed = try parseNumber()
      default: throw fail("unexpected \(describeByte(at: index)), expected a value")
      }
      // Attach the completed value to its parent; close as many containers as end here.
      while true {
        guard !stack.isEmpty else { return completed }
        let top = stack.count - 1
        skipWhitespace()
        let pointer = stack[top].pointer
        if stack[top].isArray {
          stack[top].elements.append(completed)
          guard index < bytes.count else { throw fail("unexpected end of input, expected ',' or ']'") }
          if bytes[index] == UInt8(ascii: ",") {
            index += 1
            currentPointer = pointer + "/" + String(stack[top].elements.count)
          } else if bytes[index] == UInt8(ascii: "]") {
            index += 1
            completed = .array(stack.removeLast().elements)
            continue
          } else {
            throw fail("unexpected \(describeByte(at: index)), expected ',' or ']'")
          }
        } else {
          if !keepsFirstDuplicate || stack[top].object[stack[top].key] == nil {
            stack[top].object[stack[top].key] = completed
          }
          guard index < bytes.count else { throw fail("unexpected end of input, expected ',' or '}'") }
          if bytes[index] == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            let keyPosition = position(at: index)
            let nextKey = try parseKey(parentPointer: pointer, keeping: stack[top].object)
            if keepsFirstDuplicate, stack[top].object[nextKey] != nil {
              duplicates.append(
                JSONDuplicateKey(
                  key: nextKey, position: keyPosition,
                  firstPosition: sourceMap.keys[pointer + "/" + JSONValue.escapePointerToken(nextKey)]))
              currentPointer = pointer + Self.discarded + String(duplicates.count)
            } else {
              currentPointer = pointer + "/" + JSONValue.escapePointerToken(nextKey)
            }
            stack[top].key = nextKey
          } else if bytes[index] == UInt8(ascii: "}") {
            index += 1
            completed = .object(stack.removeLast().object)
            continue
          } else {
            throw fail("unexpected \(describeByte(at: index)), expected ',' or '}'")
          }
        }
        break
      }
    }
  }

  /// Steps past the `[` or `{` at `index`, opening level `depth` + 1 (refused past `maxDepth`);
  /// true, and past the closing bracket too, when the container is empty.
  mutating func opensEmpty(closedBy closing: UInt8, depth: Int) throws(JSONParseError) -> Bool {
    index += 1
    if depth >= maxDepth { throw fail("nesting deeper than \(maxDepth) levels", at: index - 1) }
    skipWhitespace()
    guard index < bytes.count && bytes[index] == closing else { return false }
    index += 1
    return true
  }

  /// Parses `"key" :` and records the key's position.
  /// A name `keeping` holds already is not recorded when the first duplicate is kept.
  mutating func parseKey(parentPointer: String, keeping: JSONObject? = nil) throws(JSONParseError) -> String {
    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
      throw fail("unexpected \(describeByte(at: index)), expected a property name in double quotes")
    }
    let keyPosition = position(at: index)
    let key = try parseString()
    if !keepsFirstDuplicate || keeping?[key] == nil {
      sourceMap.keys[parentPointer + "/" + JSONValue.escapePointerToken(key)] = keyPosition
    }
    skipWhitespace()
    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
      throw fail("unexpected \(describeByte(at: index)), expected ':' after a property name")
    }
    index += 1
    return key
  }

  mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
    let count = literal.utf8CodeUnitCount
    let matches = literal.withUTF8Buffer { expected in
      index + count <= bytes.count && bytes[index..<(index + count)].elementsEqual(expected)
    }
    guard matches else { throw fail("invalid literal, expected '\(literal)'") }
    index += count
  }

  mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = index
    var isInteger = true
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number: expected a digit") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < bytes.count, isDigit(bytes[index]) { throw fail("invalid number: leading zero") }
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number: expected a digit after '.'") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      isInteger = false
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("invalid number: expected an exponent") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    if isInteger, let integer = Int(text) { return .integer(integer) }
    guard let double = Double(text) else { throw fail("invalid number", at: start) }
    return .number(double)
  }

  func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  mutating func parseString() throws(JSONParseError) -> String {
    let openQuote = index
    index += 1
    let contentStart = index
    // Fast path: no escapes.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let text = try decodeUTF8(contentStart..<index, quote: openQuote)
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw fail("control character in string (must be escaped)") }
      index += 1
    }
    var result = try decodeUTF8(contentStart..<index, quote: openQuote)
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return result
      }
      if byte < 0x20 { throw fail("control character in string (must be escaped)") }
      if byte != UInt8(ascii: "\\") {
        let runStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
          bytes[index] >= 0x20
        {
          index += 1
        }
        result += try decodeUTF8(runStart..<index, quote: openQuote)
        continue
      }
      index += 1
      guard index < bytes.count else { break }
      let escape = bytes[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""): result.append("\"")
      case UInt8(ascii: "\\"): result.append("\\")
      case UInt8(ascii: "/"): result.append("/")
      case UInt8(ascii: "b"): result.append("\u{08}")
      case UInt8(ascii: "f"): result.append("\u{0C}")
      case UInt8(ascii: "n"): result.append("\n")
      case UInt8(ascii: "r"): result.append("\r")
      case UInt8(ascii: "t"): result.append("\t")
      case UInt8(ascii: "u"):
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          let save = index
          index += 2
          let low = try parseHex4()
          if (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else {
            index = save
          }
        }
        // Lone surrogates cannot live in a Swift string: they become U+FFFD.
        result.unicodeScalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")
      default: throw fail("invalid escape '\\\(Character(Unicode.Scalar(escape)))' in string", at: index - 2)
      }
    }
    throw fail("unterminated string", at: openQuote)
  }

  mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw fail("invalid \\u escape: expected 4 hex digits") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw fail("invalid \\u escape: expected 4 hex digits")
      }
      value = value * 16 + digit
      index += 1
    }
    return value
  }

  mutating func decodeUTF8(_ range: Range<Int>, quote: Int) throws(JSONParseError) -> String {
    let decoded = bytes.withUnsafeBufferPointer { buffer in
      String(validating: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }
    guard let decoded else { throw fail("invalid UTF-8 in string", at: quote) }
    return decoded
  }
}

extension JSONValue {
  /// Serializes the value as compact JSON text (keys in their stored order).
  public func jsonText() -> String {
    var output = ""
    JSONValue.write(self, into: &output)
    return output
  }

  private static func write(_ value: JSONValue, into output: inout String) {
    switch value {
    case .null: output += "null"
    case .bool(let bool): output += bool ? "true" : "false"
    case .integer(let integer): output += String(integer)
    case .number(let number):
      if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
        output += String(Int(number)) + ".0"
      } else if number.isFinite {
        output += "\(number)"
      } else {
        output += "null"
      }
    case .string(let string): writeString(string, into: &output)
    case .array(let elements):
      output += "["
      for (offset, element) in elements.enumerated() {
        if offset > 0 { output += "," }
        write(element, into: &output)
      }
      output += "]"
    case .object(let object):
      output += "{"
      var first = true
      for (key, member) in object {
        if !first { output += "," }
        first = false
        writeString(key, into: &output)
        output += ":"
        write(member, into: &output)
      }
      output += "}"
    }
  }

  static func writeString(_ string: String, into output: inout String) { output += quotedString(string) }

  /// A JSON string literal: `"` and `\` escaped, control characters (C0, DEL and C1, which a
  /// terminal showing the JSON would act on) as short escapes or `\u00XX`; everything else
  /// (including non-ASCII) as is. The one JSON string writer (KeelCore's `TextKit.json` is this).
  public static func quotedString(_ string: String) -> String {
    // Fast path (large exports): nothing to escape, so the UTF-8 goes out as is. (0xE2 leads
    // U+2028/2029 and 0xC2 the C1 controls, escaped below; other characters they lead take the slow path too.)
    let needsEscaping = string.utf8.contains { byte in
      byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F || byte == 0xC2
        || byte == 0xE2
    }
    if !needsEscaping { return "\"" + string + "\"" }
    var output = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      // U+2028/2029 are valid JSON but end lines in JavaScript; escaping them is harmless.
      case "\u{2028}", "\u{2029}":
        output += "\\u" + String(scalar.value, radix: 16)
      default:
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
          let hex = String(scalar.value, radix: 16, uppercase: true)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    return output + "\""
  }

}
