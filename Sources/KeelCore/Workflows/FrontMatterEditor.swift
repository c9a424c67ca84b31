import Foundation
import JSONSchema

/// Changes one scalar value in a Markdown file's front matter and leaves every
/// other byte as it was: comments, key order, spacing, quotes, line endings,
/// a byte-order mark.
public enum FrontMatterEditor {
  /// Replaces the value of the top-level `field` with `newValue`, keeping the
  /// value's quoting style (a plain value that would change meaning or type
  /// is written double-quoted).
  ///
  /// - Throws: `KeelError` when the field is missing, is not a one-line
  ///   scalar, or the edit would not read back as intended.
  public static func replacingValue(of field: String, with newValue: String, in data: Data, path: String) throws
    -> Data
  {
    let document = DocumentParser.parse(path: path, data: data)
    guard let frontMatter = document.frontMatter else {
      throw KeelError("\(path) has no front matter to edit", path: path)
    }
    let pointer = "/" + JSONValue.escapePointerToken(field)
    guard frontMatter.value.objectValue?[field] != nil, let position = frontMatter.content.sourceMap.values[pointer]
    else { throw KeelError("the front matter has no '\(field)' field", path: path) }

    let bytes = [UInt8](data)
    guard let start = offset(of: position, in: bytes) else {
      throw KeelError("cannot find the value of '\(field)'", path: path, position: position)
    }
    let (end, style) = try extent(ofScalarAt: start, in: bytes, field: field, path: path, position: position)
    var edited = Array(bytes[..<start])
    edited += Array(render(newValue, style: style).utf8)
    edited += bytes[end...]
    let result = Data(edited)

    // Read it back: the field holds the new value and nothing else changed meaning.
    let check = DocumentParser.parse(path: path, data: result)
    guard var expected = frontMatter.value.objectValue, let actual = check.frontMatter?.value.objectValue else {
      throw KeelError("editing '\(field)' would break the front matter", path: path, position: position)
    }
    expected[field] = .string(newValue)
    guard actual == expected else {
      throw KeelError("editing '\(field)' would change more than its value", path: path, position: position)
    }
    return result
  }

  enum Style { case plain, singleQuoted, doubleQuoted }

  /// Byte offset of a 1-based line and column (columns in Unicode scalars, a
  /// leading byte-order mark not counted, as the parser reports them).
  static func offset(of position: SourcePosition, in bytes: [UInt8]) -> Int? {
    var index = 0
    var line = 1
    while line < position.line {
      guard let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
      index = newline + 1
      line += 1
    }
    if index == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    var column = 1
    while column < position.column {
      guard index < bytes.count, bytes[index] != UInt8(ascii: "\n") else { return nil }
      index += scalarLength(leadByte: bytes[index])
      column += 1
    }
    return index <= bytes.count ? index : nil
  }

  static func scalarLength(leadByte: UInt8) -> Int {
    switch leadByte {
    case 0xF0...: 4
    case 0xE0...: 3
    case 0xC0...: 2
    default: 1
    }
  }

  /// Where the scalar starting at `start` ends (exclusive), and how it is written.
  static func extent(
    ofScalarAt start: Int, in bytes: [UInt8], field: String, path: String, position: SourcePosition
  ) throws -> (Int, Style) {
    let lineEnd = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    func notOneLine() -> KeelError {
      KeelError("'\(field)' is not a one-line text value; edit it by hand", path: path, position: position)
    }
    guard start < lineEnd else { throw notOneLine() }
    switch bytes[start] {
    case UInt8(ascii: "\""):
      var index = start + 1
      while index < lineEnd {
        if bytes[index] == UInt8(ascii: "\\") {
          index += 2
          continue
        }
        if bytes[index] == UInt8(ascii: "\"") { return (index + 1, .doubleQuoted) }
        index += 1
      }
      throw notOneLine()
    case UInt8(ascii: "'"):
      var index = start + 1
      while index < lineEnd {
        if bytes[index] == UInt8(ascii: "'") {
          if index + 1 < lineEnd, bytes[index + 1] == UInt8(ascii: "'") {
            index += 2
            continue
          }
          return (index + 1, .singleQuoted)
        }
        index += 1
      }
      throw notOneLine()
    case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "&"),
      UInt8(ascii: "*"), UInt8(ascii: "!"):
      throw notOneLine()
    default:
      // A plain scalar runs to a comment (` #`) or the end of the line, trailing
      // blanks excluded; inside a flow collection (`{title: A, status: draft}`)
      // also to the next `,`, `}` or `]`. The read-back check catches a misjudgement.
      let lineStart = (bytes[..<start].lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
      let inFlow = bytes[lineStart..<start].contains { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }
      let blanks: [UInt8] = [UInt8(ascii: " "), UInt8(ascii: "\t")]
      let flowEnds: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")]
      var end = start
      while end < lineEnd {
        if bytes[end] == UInt8(ascii: "#"), end > start, blanks.contains(bytes[end - 1]) { break }
        if inFlow, flowEnds.contains(bytes[end]) { break }
        end += 1
      }
      while end > start, (blanks + [UInt8(ascii: "\r")]).contains(bytes[end - 1]) {
        end -= 1
      }
      return (end, .plain)
    }
  }

  static func render(_ value: String, style: Style) -> String {
    switch style {
    case .singleQuoted where !value.contains(where: { $0.isNewline }):
      return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    case .plain where isSafePlain(value):
      return value
    default:
      return doubleQuoted(value)
    }
  }

  /// A YAML double-quoted scalar holding exactly `value`.
  public static func doubleQuoted(_ value: String) -> String {
    let escaped = TextKit.replacingScalars(value) { scalar in
      yamlEscapes[scalar]
        ?? (scalar.value < 0x20 || scalar.value == 0x7F ? String(format: "\\x%02X", scalar.value) : nil)
    }
    return "\"" + escaped + "\""
  }

  private static let yamlEscapes: [Unicode.Scalar: String] = [
    "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
  ]

  /// Plain text that YAML 1.2 reads back as the same string: a word of
  /// letters, digits, `-`, `_`, `.`, `/`, starting with a letter, and not a
  /// core-schema boolean or null.
  static func isSafePlain(_ value: String) -> Bool {
    guard let first = value.unicodeScalars.first, CharacterSet.letters.contains(first) else { return false }
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./"))
    guard value.unicodeScalars.allSatisfy({ allowed.contains($0) }) else { return false }
    return !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(value.lowercased())
  }
}
