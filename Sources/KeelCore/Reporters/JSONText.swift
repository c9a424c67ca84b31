import JSONSchema

/// Writes a `JSONValue` as JSON text, keeping the key order of each object (so
/// reports have a stable, readable layout).
enum JSONText {
  /// Compact when `indent` is nil, otherwise pretty with that many spaces per level.
  static func render(_ value: JSONValue, indent: Int? = 2) -> String {
    var output = ""
    write(value, indent: indent, level: 0, into: &output)
    return output
  }

  private static func write(_ value: JSONValue, indent: Int?, level: Int, into output: inout String) {
    switch value {
    case .null: output += "null"
    case .bool(let bool): output += bool ? "true" : "false"
    case .integer(let integer): output += String(integer)
    case .number(let number): output += format(number)
    case .string(let string): output += quoted(string)
    case .array(let elements):
      guard !elements.isEmpty else {
        output += "[]"
        return
      }
      output += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { output += "," }
        newline(indent: indent, level: level + 1, into: &output)
        write(element, indent: indent, level: level + 1, into: &output)
      }
      newline(indent: indent, level: level, into: &output)
      output += "]"
    case .object(let object):
      guard !object.isEmpty else {
        output += "{}"
        return
      }
      output += "{"
      for (index, member) in object.enumerated() {
        if index > 0 { output += "," }
        newline(indent: indent, level: level + 1, into: &output)
        output += quoted(member.key) + (indent == nil ? ":" : ": ")
        write(member.value, indent: indent, level: level + 1, into: &output)
      }
      newline(indent: indent, level: level, into: &output)
      output += "}"
    }
  }

  private static func newline(indent: Int?, level: Int, into output: inout String) {
    guard let indent else { return }
    output += "\n" + String(repeating: " ", count: indent * level)
  }

  /// JSON has no NaN or infinity; they become `null`.
  private static func format(_ number: Double) -> String {
    guard number.isFinite else { return "null" }
    if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) + ".0" }
    return "\(number)"
  }

  /// A JSON string literal: `"` and `\` escaped, control characters as short
  /// escapes or `\u00XX`; everything else (including non-ASCII) as is, in UTF-8.
  static func quoted(_ string: String) -> String {
    // Fast path (large exports): nothing to escape, so the UTF-8 goes out as is.
    // (0xE2 leads U+2028/2029, escaped below; other characters it leads take the slow path too.)
    let needsEscaping = string.utf8.contains { byte in
      byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2
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
        if scalar.value < 0x20 {
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
