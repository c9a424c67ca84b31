import JSONSchema

/// The fields of a `header: list` document: the Markdown list it opens with, one `- Key: value`
/// item a line (`- Feature Name: fn_traits`, `- Start Date: 2014-09-30`), as RFC processes write
/// them. Keys become lower-kebab-case (`Feature Name` → `feature-name`); values are typed as YAML
/// 1.2 core-schema plain scalars (`CoreSchema`, as front matter's are: `2014-09-30` and `no` stay
/// text, `42` is a number, nothing is null). Every key and value keeps its line and column.
enum HeaderList {
  struct Header {
    var fields: FrontMatter
    var diagnostics: [Diagnostic]
  }

  /// The list at the start of the file (after blank lines); nil when the file does not open with one.
  /// The list ends at the first line that is not an item; the body starts there.
  static func read(_ table: LineTable, path: String) -> Header? {
    var line = 1
    while line <= table.lineCount, table.contentRange(ofLine: line).allSatisfy({ isBlank(table.bytes[$0]) }) {
      line += 1
    }
    let first = line
    var object = JSONObject()
    var sourceMap = SourceMap()
    var diagnostics: [Diagnostic] = []
    while line <= table.lineCount, let item = item(table, line: line) {
      defer { line += 1 }
      func position(_ offset: Int) -> SourcePosition {
        SourcePosition(
          line: line, column: table.scalarColumn(line: line, byteOffsetInLine: offset - table.lineStarts[line - 1]))
      }
      guard let (key, keyStart, valueStart, valueEnd) = split(table.bytes, item) else {
        diagnostics.append(
          ReaderRules.headerList.finding(
            "a header list item reads '- Key: value'", path: path, at: position(item.lowerBound)))
        continue
      }
      let pointer = "/" + JSONValue.escapePointerToken(key)
      if object[key] != nil {
        diagnostics.append(
          ReaderRules.duplicateKey.finding(
            "duplicate key '\(key)' in a mapping", path: path, at: position(keyStart)))
        continue
      }
      object[key] = CoreSchema.resolve(String(decoding: table.bytes[valueStart..<valueEnd], as: UTF8.self))
      sourceMap.keys[pointer] = position(keyStart)
      sourceMap.values[pointer] = position(valueStart)
    }
    guard line > first else { return nil }
    sourceMap.values[""] = SourcePosition(line: first, column: 1)
    return Header(
      fields: FrontMatter(
        content: LocatedJSON(value: .object(object), sourceMap: sourceMap), openingLine: first, closingLine: line,
        yamlLines: first..<first),
      diagnostics: diagnostics)
  }

  /// `Feature Name` → `feature-name`: lower case, every run of other characters than letters and
  /// digits one `-`, none at either end (`**RFC PR**` → `rfc-pr`).
  static func key(_ text: String) -> String {
    var key = ""
    var pendingDash = false
    for character in text.lowercased() {
      if character.isLetter || character.isNumber {
        if pendingDash, !key.isEmpty { key += "-" }
        pendingDash = false
        key.append(character)
      } else {
        pendingDash = true
      }
    }
    return key
  }

  /// The bytes after the marker of a list item line (`- `, `* ` or `+ `, up to three spaces before).
  private static func item(_ table: LineTable, line: Int) -> Range<Int>? {
    let range = table.contentRange(ofLine: line)
    var index = range.lowerBound
    while index < range.upperBound, index - range.lowerBound < 3, table.bytes[index] == 0x20 { index += 1 }
    guard index + 1 < range.upperBound,
      [UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+")].contains(table.bytes[index]),
      isBlank(table.bytes[index + 1])
    else { return nil }
    index += 1
    while index < range.upperBound, isBlank(table.bytes[index]) { index += 1 }
    return index..<range.upperBound
  }

  /// The key, where its text starts, and the value's bytes (blanks around it excluded): the key
  /// ends at the first `:` followed by a blank or the end of the line.
  private static func split(_ bytes: [UInt8], _ item: Range<Int>) -> (String, Int, Int, Int)? {
    var colon = item.lowerBound
    while colon < item.upperBound {
      if bytes[colon] == UInt8(ascii: ":"), colon + 1 == item.upperBound || isBlank(bytes[colon + 1]) { break }
      colon += 1
    }
    guard colon < item.upperBound else { return nil }
    let key = key(String(decoding: bytes[item.lowerBound..<colon], as: UTF8.self))
    guard !key.isEmpty else { return nil }
    var start = colon + 1
    while start < item.upperBound, isBlank(bytes[start]) { start += 1 }
    var end = item.upperBound
    while end > start, isBlank(bytes[end - 1]) { end -= 1 }
    return (key, item.lowerBound, start, end)
  }

  private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
