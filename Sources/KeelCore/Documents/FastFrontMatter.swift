import JSONSchema

/// A fast path for the front matter of typical specs: one pass over the UTF-8
/// bytes, no Yams node tree (whose allocations and reference counting made
/// YAML the largest single cost of `keel check` on big repositories).
///
/// It reads a strict subset only: a block mapping at indent 0 of plain keys,
/// each with a one-line plain, single- or double-quoted scalar, a one-line
/// flow sequence of such scalars, an indented (or indentless) block sequence
/// of such scalars, an indented block mapping of plain keys with such scalars
/// (`milestone:` then `  beta: "v1.25"`), or nothing; plus comments and blank
/// lines. For anything
/// else it returns nil and the caller runs `YAMLReading.read`, so the result,
/// when there is one, is exactly what that would produce: the same values
/// (YAML 1.2 core schema), the same source map and the same diagnostics
/// (duplicate keys). `FastFrontMatterTests` checks this differentially.
enum FastFrontMatter {
  /// Reads the YAML in `bytes[range]`; nil when it is outside the subset.
  static func read(
    _ bytes: [UInt8], range: Range<Int>, path: String, lineOffset: Int, limits: ParseLimits
  ) -> (LocatedJSON?, [Diagnostic])? {
    // The converter fails past `maxDepth`; items of a sequence sit at depth 2.
    guard min(limits.maxDepth, YAMLReader.hardMaxDepth) >= 2 else { return nil }
    var scanner = FastFrontMatterScanner(bytes: bytes, range: range, path: path, lineOffset: lineOffset)
    guard scanner.run(), scanner.nodeCount <= limits.maxNodes else { return nil }
    return scanner.result
  }

  static func read(_ text: String, path: String, lineOffset: Int, limits: ParseLimits) -> (LocatedJSON?, [Diagnostic])?
  {
    let bytes = Array(text.utf8)
    return read(bytes, range: 0..<bytes.count, path: path, lineOffset: lineOffset, limits: limits)
  }
}

/// The scanner behind `FastFrontMatter`. Every `run` step either consumes
/// what it understands or gives up (returns false / nil).
struct FastFrontMatterScanner {
  private let bytes: [UInt8]
  private let end: Int
  private let path: String
  private let lineOffset: Int

  /// The current line: its number (1-based, relative to the YAML text), the
  /// offset of its first byte and of the end of its content (before `\r\n`).
  private var line = 0
  private var lineStart = 0
  private var contentEnd = 0
  private var lineIsASCII = true

  private var object = JSONObject()
  private var sourceMap = SourceMap()
  private var diagnostics: [Diagnostic] = []
  /// Nodes as `YAMLConverter` counts them, against `ParseLimits.maxNodes`.
  private(set) var nodeCount = 1

  /// A key whose value is on the following lines: a block sequence or nothing.
  private struct OpenKey {
    var name: String
    var pointer: String
    var isDuplicate: Bool
    /// Where Yams puts the empty (null) value: right after the colon.
    var emptyValuePosition: SourcePosition
    /// Column (0-based) of the `-` of the sequence's items once one is seen.
    var sequenceIndent: Int? = nil
    var sequencePosition = SourcePosition(line: 0, column: 0)
    var items: [JSONValue] = []
    /// Column (0-based) of the keys of a nested block mapping once one is seen.
    var mappingIndent: Int? = nil
    var mapping = JSONObject()
  }
  private var openKey: OpenKey?

  init(bytes: [UInt8], range: Range<Int>, path: String, lineOffset: Int) {
    self.bytes = bytes
    self.end = range.upperBound
    self.path = path
    self.lineOffset = lineOffset
    self.lineStart = range.lowerBound
    sourceMap.values.reserveCapacity(16)
    sourceMap.keys.reserveCapacity(16)
  }

  var result: (LocatedJSON?, [Diagnostic]) {
    if sourceMap.keys.isEmpty {
      // Only comments and blank lines: Yams sees no document at all.
      var map = SourceMap()
      map.values[""] = SourcePosition(line: 1 + lineOffset, column: 1)
      return (LocatedJSON(value: .null, sourceMap: map), [])
    }
    return (LocatedJSON(value: .object(object), sourceMap: sourceMap), diagnostics)
  }

  mutating func run() -> Bool {
    var next = lineStart
    while next < end {
      line += 1
      lineStart = next
      guard let newline = scanLine() else { return false }
      next = newline + 1
      guard processLine() else { return false }
    }
    closeOpenKey()
    return true
  }

  // MARK: Lines

  /// Finds the end of the current line and refuses characters whose YAML
  /// meaning this scanner does not model: tabs, control characters, a lone
  /// `\r`, and the non-ASCII line breaks, BOM and non-characters of YAML 1.1
  /// (which libyaml follows). Returns the offset of the `\n` (or `end`).
  private mutating func scanLine() -> Int? {
    var index = lineStart
    var ascii = true
    while index < end {
      let byte = bytes[index]
      if byte == 0x0A { break }
      if byte < 0x20 {
        guard byte == 0x0D, index + 1 < end, bytes[index + 1] == 0x0A else { return nil }
      } else if byte == 0x7F {
        return nil
      } else if byte >= 0x80 {
        ascii = false
        if byte >= 0xC0 && !isOrdinaryNonASCII(at: index) { return nil }
      }
      index += 1
    }
    contentEnd = index > lineStart && bytes[index - 1] == 0x0D ? index - 1 : index
    lineIsASCII = ascii
    return index
  }

  /// False for C1 controls (with NEL), U+2028/U+2029, U+FEFF and U+FFFE/U+FFFF.
  private func isOrdinaryNonASCII(at index: Int) -> Bool {
    func byte(_ offset: Int) -> UInt8 { index + offset < end ? bytes[index + offset] : 0 }
    switch bytes[index] {
    case 0xC2: return byte(1) >= 0xA0
    case 0xE2: return !(byte(1) == 0x80 && (byte(2) == 0xA8 || byte(2) == 0xA9))
    case 0xEF: return !(byte(1) == 0xBB && byte(2) == 0xBF) && !(byte(1) == 0xBF && byte(2) >= 0xBE)
    default: return true
    }
  }

  private mutating func processLine() -> Bool {
    var first = lineStart
    while first < contentEnd && bytes[first] == 0x20 { first += 1 }
    if first == contentEnd || bytes[first] == UInt8(ascii: "#") { return true }  // blank or comment
    let indent = first - lineStart
    let isEntry = bytes[first] == UInt8(ascii: "-") && isBlankOrEnd(first + 1)
    if var open = openKey, isEntry {
      guard open.mappingIndent == nil else { return false }
      if let sequenceIndent = open.sequenceIndent {
        guard indent == sequenceIndent else { return false }
      } else {
        open.sequenceIndent = indent
        open.sequencePosition = position(of: first)
      }
      guard let item = sequenceItem(after: first + 1, open: open) else { return false }
      open.items.append(item)
      openKey = open
      return true
    }
    if indent > 0, var open = openKey, open.sequenceIndent == nil, !open.isDuplicate {
      // A member of a nested block mapping, all at one indent.
      if let mappingIndent = open.mappingIndent {
        guard indent == mappingIndent else { return false }
      } else {
        open.mappingIndent = indent
        // The mapping starts at its first key.
        sourceMap.values[open.pointer] = position(of: first)
      }
      guard nestedMember(at: first, open: &open) else { return false }
      openKey = open
      return true
    }
    // Anything else indented continues a scalar or opens a deeper collection.
    guard indent == 0 else { return false }
    closeOpenKey()
    return keyLine()
  }

  /// `key: scalar` of a nested mapping; a duplicate key, an empty value or a collection is left to Yams.
  private mutating func nestedMember(at start: Int, open: inout OpenKey) -> Bool {
    guard let colon = keyColon(from: start) else { return false }
    let name = keyName(from: start, colon: colon)
    guard name != "<<", open.mapping[name] == nil else { return false }
    var valueStart = colon + 1
    skipSpaces(&valueStart)
    guard valueStart < contentEnd, bytes[valueStart] != UInt8(ascii: "#"), bytes[valueStart] != UInt8(ascii: "["),
      let (value, after) = scalar(at: valueStart, inFlow: false), isRestOfLineEmpty(from: after)
    else { return false }
    nodeCount += 2
    let pointer = open.pointer + "/" + JSONValue.escapePointerToken(name)
    sourceMap.keys[pointer] = position(of: start)
    sourceMap.values[pointer] = position(of: valueStart)
    open.mapping[name] = value
    return true
  }

  // MARK: Keys

  /// `key: value`, `key:` (value on the next lines) at indent 0.
  private mutating func keyLine() -> Bool {
    let start = lineStart
    guard let colon = keyColon(from: start) else { return false }
    let name = keyName(from: start, colon: colon)
    guard name != "<<" else { return false }  // a merge key
    let keyPosition = SourcePosition(line: line + lineOffset, column: 1)
    let pointer = "/" + JSONValue.escapePointerToken(name)
    var isDuplicate = false
    nodeCount += 1
    // `keys` holds the first occurrence of each key (pointers are one-to-one with names).
    if let first = sourceMap.keys[pointer] {
      isDuplicate = true
      diagnostics.append(
        ReaderRules.duplicateKey.finding(
          "duplicate key '\(name)' in a mapping", path: path, at: keyPosition,
          related: [
            RelatedLocation(
              path: path, line: first.line, column: first.column, message: "first occurrence of '\(name)'")
          ]))
    } else {
      if sourceMap.keys.isEmpty { sourceMap.values[""] = keyPosition }  // the mapping starts at its first key
      sourceMap.keys[pointer] = keyPosition
    }

    var valueStart = colon + 1
    while valueStart < contentEnd && bytes[valueStart] == 0x20 { valueStart += 1 }
    if valueStart == contentEnd || bytes[valueStart] == UInt8(ascii: "#") {
      openKey = OpenKey(
        name: name, pointer: pointer, isDuplicate: isDuplicate, emptyValuePosition: position(of: colon + 1))
      return true
    }
    let valuePosition = position(of: valueStart)
    let value: JSONValue
    var afterValue: Int
    if bytes[valueStart] == UInt8(ascii: "[") {
      guard let (array, after) = flowSequence(at: valueStart, pointer: isDuplicate ? nil : pointer) else {
        return false
      }
      value = .array(array)
      afterValue = after
    } else {
      guard let (scalar, after) = scalar(at: valueStart, inFlow: false) else { return false }
      value = scalar
      afterValue = after
    }
    guard isRestOfLineEmpty(from: afterValue) else { return false }
    nodeCount += 1
    if !isDuplicate {
      sourceMap.values[pointer] = valuePosition
      object[name] = value
    }
    return true
  }

  /// The `:` after a plain key starting at `start` (not an indicator, not `...`), or nil.
  private func keyColon(from start: Int) -> Int? {
    guard !isIndicator(bytes[start]) else { return nil }
    // `---` and `...` at the start of a line are document markers.
    if start + 2 < contentEnd, bytes[start] == UInt8(ascii: "."), bytes[start + 1] == UInt8(ascii: "."),
      bytes[start + 2] == UInt8(ascii: ".")
    {
      return nil
    }
    var colon = start
    while true {
      guard colon < contentEnd else { return nil }
      let byte = bytes[colon]
      if byte == UInt8(ascii: "#") { return nil }
      if byte == UInt8(ascii: ":") && isBlankOrEnd(colon + 1) { break }
      colon += 1
    }
    // libyaml caps simple keys at 1024 characters.
    guard colon - start < 1000 else { return nil }
    return colon
  }

  private func keyName(from start: Int, colon: Int) -> String {
    var keyEnd = colon
    while bytes[keyEnd - 1] == 0x20 { keyEnd -= 1 }
    return String(decoding: bytes[start..<keyEnd], as: UTF8.self)
  }

  /// Stores the value of a `key:` line: its block sequence or mapping, or null.
  private mutating func closeOpenKey() {
    guard let open = openKey else { return }
    openKey = nil
    nodeCount += 1
    guard !open.isDuplicate else { return }
    if open.sequenceIndent != nil {
      sourceMap.values[open.pointer] = open.sequencePosition
      object[open.name] = .array(open.items)
    } else if open.mappingIndent != nil {
      object[open.name] = .object(open.mapping)
    } else {
      sourceMap.values[open.pointer] = open.emptyValuePosition
      object[open.name] = .null
    }
  }

  // MARK: Values

  /// The scalar after a `-` of a block sequence (and the rest of its line).
  private mutating func sequenceItem(after dash: Int, open: OpenKey) -> JSONValue? {
    var start = dash
    while start < contentEnd && bytes[start] == 0x20 { start += 1 }
    // `-` alone (an empty item) or a comment instead of an item: leave it to Yams.
    guard start < contentEnd, bytes[start] != UInt8(ascii: "#") else { return nil }
    guard let (value, after) = scalar(at: start, inFlow: false), isRestOfLineEmpty(from: after) else { return nil }
    nodeCount += 1
    if !open.isDuplicate {
      sourceMap.values[open.pointer + "/" + String(open.items.count)] = position(of: start)
    }
    return value
  }

  /// `[a, "b c", 3]` or `[]` on one line; returns the items and the offset after `]`.
  private mutating func flowSequence(at open: Int, pointer: String?) -> ([JSONValue], Int)? {
    var index = open + 1
    skipSpaces(&index)
    guard index < contentEnd else { return nil }
    if bytes[index] == UInt8(ascii: "]") { return ([], index + 1) }
    var items: [JSONValue] = []
    while true {
      let itemStart = index
      guard let (item, after) = scalar(at: itemStart, inFlow: true) else { return nil }
      if let pointer { sourceMap.values[pointer + "/" + String(items.count)] = position(of: itemStart) }
      items.append(item)
      nodeCount += 1
      index = after
      skipSpaces(&index)
      guard index < contentEnd else { return nil }
      if bytes[index] == UInt8(ascii: "]") { return (items, index + 1) }
      guard bytes[index] == UInt8(ascii: ",") else { return nil }
      index += 1
      skipSpaces(&index)
      // A trailing comma (`[a, ]`) is left to Yams.
      guard index < contentEnd, bytes[index] != UInt8(ascii: "]") else { return nil }
    }
  }

  /// A one-line scalar starting at `start`; returns its value and the offset
  /// after it (for plain scalars, after the text before trailing blanks).
  private func scalar(at start: Int, inFlow: Bool) -> (JSONValue, Int)? {
    switch bytes[start] {
    case UInt8(ascii: "\""): return doubleQuoted(at: start)
    case UInt8(ascii: "'"): return singleQuoted(at: start)
    default: return plain(at: start, inFlow: inFlow)
    }
  }

  private func plain(at start: Int, inFlow: Bool) -> (JSONValue, Int)? {
    let first = bytes[start]
    if first == UInt8(ascii: "-") {
      // `-x` is text; `- x` is a sequence entry, `-,` in a flow sequence is unclear.
      guard start + 1 < contentEnd else { return nil }
      let next = bytes[start + 1]
      guard next != 0x20, !(inFlow && (next == UInt8(ascii: ",") || next == UInt8(ascii: "]"))) else { return nil }
    } else if isIndicator(first) {
      return nil
    }
    var index = start
    while index < contentEnd {
      let byte = bytes[index]
      if byte == UInt8(ascii: ":") {
        // `: ` would make a mapping; in flow context any colon is left to Yams.
        if inFlow || isBlankOrEnd(index + 1) { return nil }
      } else if byte == UInt8(ascii: "#") {
        if inFlow { return nil }
        if bytes[index - 1] == 0x20 { break }  // a comment
      } else if inFlow {
        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") { break }
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") { return nil }
      }
      index += 1
    }
    var textEnd = index
    while bytes[textEnd - 1] == 0x20 { textEnd -= 1 }
    guard textEnd > start else { return nil }
    let text = String(decoding: bytes[start..<textEnd], as: UTF8.self)
    return (CoreSchema.resolve(text), textEnd)
  }

  private func singleQuoted(at start: Int) -> (JSONValue, Int)? {
    let quote = UInt8(ascii: "'")
    var index = start + 1
    var text: [UInt8] = []
    var segmentStart = index
    while index < contentEnd {
      if bytes[index] == quote {
        text.append(contentsOf: bytes[segmentStart..<index])
        guard index + 1 < contentEnd, bytes[index + 1] == quote else {
          return (.string(String(decoding: text, as: UTF8.self)), index + 1)
        }
        index += 2  // `''` is one quote
        segmentStart = index - 1
        continue
      }
      index += 1
    }
    return nil  // continues on the next line
  }

  private func doubleQuoted(at start: Int) -> (JSONValue, Int)? {
    var index = start + 1
    var text: [UInt8] = []
    var segmentStart = index
    while index < contentEnd {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        text.append(contentsOf: bytes[segmentStart..<index])
        return (.string(String(decoding: text, as: UTF8.self)), index + 1)
      }
      guard byte == UInt8(ascii: "\\") else {
        index += 1
        continue
      }
      text.append(contentsOf: bytes[segmentStart..<index])
      guard index + 1 < contentEnd, let (scalar, length) = escape(at: index + 1) else { return nil }
      text.append(contentsOf: String(Character(scalar)).utf8)
      index += 1 + length
      segmentStart = index
    }
    return nil  // continues on the next line
  }

  /// The character of the escape whose letter is at `index`, and how many
  /// bytes it takes after the backslash. The escapes of YAML 1.2 (and libyaml).
  private func escape(at index: Int) -> (Unicode.Scalar, Int)? {
    let simple: UInt32
    switch bytes[index] {
    case UInt8(ascii: "0"): simple = 0
    case UInt8(ascii: "a"): simple = 0x07
    case UInt8(ascii: "b"): simple = 0x08
    case UInt8(ascii: "t"): simple = 0x09
    case UInt8(ascii: "n"): simple = 0x0A
    case UInt8(ascii: "v"): simple = 0x0B
    case UInt8(ascii: "f"): simple = 0x0C
    case UInt8(ascii: "r"): simple = 0x0D
    case UInt8(ascii: "e"): simple = 0x1B
    case UInt8(ascii: " "): simple = 0x20
    case UInt8(ascii: "\""): simple = 0x22
    case UInt8(ascii: "/"): simple = 0x2F
    case UInt8(ascii: "\\"): simple = 0x5C
    case UInt8(ascii: "N"): simple = 0x85
    case UInt8(ascii: "_"): simple = 0xA0
    case UInt8(ascii: "L"): simple = 0x2028
    case UInt8(ascii: "P"): simple = 0x2029
    case UInt8(ascii: "x"): return hexEscape(at: index + 1, digits: 2)
    case UInt8(ascii: "u"): return hexEscape(at: index + 1, digits: 4)
    case UInt8(ascii: "U"): return hexEscape(at: index + 1, digits: 8)
    default: return nil
    }
    return Unicode.Scalar(simple).map { ($0, 1) }
  }

  private func hexEscape(at index: Int, digits: Int) -> (Unicode.Scalar, Int)? {
    guard index + digits <= contentEnd else { return nil }
    var value: UInt32 = 0
    for offset in 0..<digits {
      let byte = bytes[index + offset]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
    }
    // Surrogates and values past U+10FFFF are errors for Yams to report.
    return Unicode.Scalar(value).map { ($0, 1 + digits) }
  }

  // MARK: Helpers

  /// Only blanks, then optionally a comment, remain on the line.
  private func isRestOfLineEmpty(from start: Int) -> Bool {
    var index = start
    skipSpaces(&index)
    if index == contentEnd { return true }
    return bytes[index] == UInt8(ascii: "#") && index > start
  }

  private func skipSpaces(_ index: inout Int) {
    while index < contentEnd && bytes[index] == 0x20 { index += 1 }
  }

  private func isBlankOrEnd(_ index: Int) -> Bool {
    index >= contentEnd || bytes[index] == 0x20
  }

  /// Characters that cannot start a plain scalar (or start something else).
  private func isIndicator(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
      UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
      UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
      UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), 0x20:
      return true
    default:
      return false
    }
  }

  /// The absolute position of a byte of the current line; columns count scalars.
  private func position(of index: Int) -> SourcePosition {
    var column = 1
    if lineIsASCII {
      column += index - lineStart
    } else {
      for offset in lineStart..<index where bytes[offset] & 0xC0 != 0x80 { column += 1 }
    }
    return SourcePosition(line: line + lineOffset, column: column)
  }
}
