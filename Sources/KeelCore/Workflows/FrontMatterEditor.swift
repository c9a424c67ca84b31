import Foundation
import JSONSchema

/// Changes one scalar value among a document's fields and leaves every other byte as it was:
/// comments, key order, spacing, quotes, line endings, a byte-order mark. The fields are the
/// front matter of a Markdown file, its `- Key: value` header list, or a whole YAML or JSON file.
public enum FrontMatterEditor {
  /// Replaces the value of the top-level `field` with `newValue`, keeping the
  /// value's quoting style (a plain value that would change meaning or type
  /// is written double-quoted; in JSON, always a JSON string; in a header
  /// list, as plain text).
  ///
  /// - Parameter format: where the fields are; nil: from the path's extension.
  /// - Throws: `KeelError` when the field is missing, is not a one-line
  ///   scalar, or the edit would not read back as intended.
  public static func replacingValue(
    of field: String, with newValue: String, in data: Data, path: String, format: DocumentFormat? = nil
  ) throws -> Data {
    let format = format ?? .of(path: path)
    let document = DocumentParser.parse(path: path, data: data, format: format)
    let fieldsName = format.fieldsName
    guard let frontMatter = document.frontMatter else {
      throw KeelError("\(path) has no \(fieldsName) to edit", path: path)
    }
    let pointer = "/" + JSONValue.escapePointerToken(field)
    guard frontMatter.value.objectValue?[field] != nil, let position = frontMatter.content.sourceMap.values[pointer]
    else { throw KeelError("the \(fieldsName) has no '\(field)' field", path: path) }

    let bytes = [UInt8](data)
    guard let start = offset(of: position, in: bytes) else {
      throw KeelError("cannot find the value of '\(field)'", path: path, position: position)
    }
    let replacement: String
    let end: Int
    switch format {
    case .headerList:
      guard !newValue.contains(where: \.isNewline) else {
        throw KeelError("a header list value is one line", path: path, position: position)
      }
      end = lineContentEnd(from: start, in: bytes)
      // `- Status:` with no value: the new one goes after a space.
      replacement = (start == end && start > 0 && bytes[start - 1] == UInt8(ascii: ":") ? " " : "") + newValue
    case .json:
      (end, _) = try extent(ofScalarAt: start, in: bytes, field: field, path: path, position: position, inFlow: true)
      replacement = JSONValue.quotedString(newValue)
    case .frontMatter, .yaml, .folder:
      let style: Style
      (end, style) = try extent(ofScalarAt: start, in: bytes, field: field, path: path, position: position)
      replacement = render(newValue, style: style)
    }
    var edited = Array(bytes[..<start])
    edited += Array(replacement.utf8)
    edited += bytes[end...]
    let result = Data(edited)

    // Read it back: the field holds the new value and nothing else changed meaning.
    let check = DocumentParser.parse(path: path, data: result, format: format)
    guard var expected = frontMatter.value.objectValue, let actual = check.frontMatter?.value.objectValue else {
      throw KeelError("editing '\(field)' would break the \(fieldsName)", path: path, position: position)
    }
    expected[field] = .string(newValue)
    guard actual == expected else {
      throw KeelError("editing '\(field)' would change more than its value", path: path, position: position)
    }
    return result
  }

  /// The end of the line's content from `start` on, trailing blanks and `\r` excluded.
  static func lineContentEnd(from start: Int, in bytes: [UInt8]) -> Int {
    var end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    while end > start, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(bytes[end - 1]) {
      end -= 1
    }
    return end
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
    ofScalarAt start: Int, in bytes: [UInt8], field: String, path: String, position: SourcePosition,
    inFlow flow: Bool = false
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
      let inFlow = flow || bytes[lineStart..<start].contains { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }
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
