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
    case .string(let string): output += TextKit.json(string)
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
        output += TextKit.json(member.key) + (indent == nil ? ":" : ": ")
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
}
