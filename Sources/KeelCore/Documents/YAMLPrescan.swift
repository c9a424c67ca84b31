import JSONSchema

/// A quick look at YAML text before Yams sees it, for the two inputs that
/// would make Yams itself misbehave:
/// - very deep nesting: Yams composes nodes recursively, so 10,000 nested
///   levels can overflow the stack. The scan computes an upper bound of the
///   nesting depth from indentation, block indicators and flow brackets; when
///   it exceeds the guard the text is refused before parsing. (The exact depth
///   is checked again while converting, against `ParseLimits.maxDepth`.)
/// - aliases inside complex (non-scalar) mapping keys: Yams hashes every
///   mapping key to detect duplicates, and hashing an aliased "billion laughs"
///   structure takes exponential time before any budget can stop it.
struct YAMLPrescan {
  enum Finding {
    case tooDeep(SourcePosition)
    case aliasInComplexKey(SourcePosition)
  }

  /// Depth estimate above which the text is refused unseen. The estimate is
  /// at most about twice the real depth, so documents within
  /// `limits.maxDepth` always pass; Yams never sees more than this many levels.
  static func guardDepth(for limits: ParseLimits) -> Int {
    2 * min(max(limits.maxDepth, 1), YAMLReader.hardMaxDepth) + 8
  }

  private let bytes: [UInt8]
  private let limit: Int
  private var index = 0
  private var line = 1
  private var lineStart = 0
  /// Columns (0-based) of the block collections that may be open.
  private var blockColumns: [Int] = []
  private var flowDepth = 0
  private var quote: UInt8? = nil
  private var sawAlias = false
  private var complexKey: SourcePosition? = nil

  static func scan(_ bytes: [UInt8], limits: ParseLimits) -> Finding? {
    var scanner = YAMLPrescan(bytes: bytes, limit: guardDepth(for: limits))
    return scanner.run()
  }

  private init(bytes: [UInt8], limit: Int) {
    self.bytes = bytes
    self.limit = limit
  }

  private var position: SourcePosition {
    var column = 1
    var cursor = lineStart
    while cursor < index && cursor < bytes.count {
      if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
      cursor += 1
    }
    return SourcePosition(line: line, column: column)
  }

  private func byte(at offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

  private func isBlankOrEnd(_ offset: Int) -> Bool {
    guard let value = byte(at: offset) else { return true }
    return value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D
  }

  private func isFlowIndicator(_ value: UInt8) -> Bool {
    value == UInt8(ascii: ",") || value == UInt8(ascii: "[") || value == UInt8(ascii: "]")
      || value == UInt8(ascii: "{") || value == UInt8(ascii: "}")
  }

  private var estimate: Int { 2 * blockColumns.count + flowDepth + 1 }

  private mutating func run() -> Finding? {
    var blockScalarParent: Int? = nil
    while index < bytes.count {
      lineStart = index
      var lineEnd = index
      while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
      defer {
        index = lineEnd + 1
        line += 1
      }
      var indent = 0
      while index + indent < lineEnd && bytes[index + indent] == 0x20 { indent += 1 }
      let firstContent = index + indent
      let isBlank = firstContent >= lineEnd || bytes[firstContent] == 0x0D || bytes[firstContent] == 0x09
      if let parent = blockScalarParent {
        if isBlank || indent > parent { continue }
        blockScalarParent = nil
      }
      if quote == nil && flowDepth == 0 {
        if isBlank || bytes[firstContent] == UInt8(ascii: "#") { continue }
        if indent == 0 && startsDocumentMarker(at: index) {
          blockColumns.removeAll()
          continue
        }
        while let last = blockColumns.last, last > indent { blockColumns.removeLast() }
        if blockColumns.last != indent { blockColumns.append(indent) }
        index = firstContent
      }
      if let finding = scanLine(end: lineEnd, lineIndent: indent, blockScalarParent: &blockScalarParent) {
        return finding
      }
      if estimate > limit { return .tooDeep(position) }
    }
    if sawAlias, let complexKey { return .aliasInComplexKey(complexKey) }
    return nil
  }

  private func startsDocumentMarker(at offset: Int) -> Bool {
    guard offset + 3 <= bytes.count else { return false }
    let first = bytes[offset]
    guard first == UInt8(ascii: "-") || first == UInt8(ascii: ".") else { return false }
    return bytes[offset + 1] == first && bytes[offset + 2] == first && isBlankOrEnd(offset + 3)
  }

  /// Scans from `index` to `end` (exclusive), tracking quotes, flow brackets,
  /// block indicators, aliases and complex keys.
  private mutating func scanLine(end: Int, lineIndent: Int, blockScalarParent: inout Int?) -> Finding? {
    var atLineStart = flowDepth == 0 && quote == nil
    while index < end {
      if let open = quote {
        if !skipQuoted(open, end: end) { return nil }
        continue
      }
      let current = bytes[index]
      if current == 0x20 || current == 0x09 || current == 0x0D {
        index += 1
        continue
      }
      if current == UInt8(ascii: "#") && (index == lineStart || bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09) {
        return nil
      }
      // A quote inside a plain scalar (`l'équipe`) is just a character.
      if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'"), startsToken(at: index) {
        quote = current
        index += 1
        continue
      }
      if current == UInt8(ascii: "[") || current == UInt8(ascii: "{") {
        flowDepth += 1
        index += 1
        atLineStart = false
        if estimate > limit { return .tooDeep(position) }
        continue
      }
      if flowDepth > 0 {
        if current == UInt8(ascii: "]") || current == UInt8(ascii: "}") {
          flowDepth -= 1
          let closing = position
          index += 1
          if flowDepth == 0 && nextNonBlankIsColon(end: end) { complexKey = complexKey ?? closing }
          continue
        }
        if current == UInt8(ascii: "*") {
          noteAlias(end: end)
          continue
        }
        if current == UInt8(ascii: "?") && isBlankOrEnd(index + 1) { complexKey = complexKey ?? position }
        index += 1
        continue
      }
      // Block context.
      if (current == UInt8(ascii: "-") || current == UInt8(ascii: "?") || current == UInt8(ascii: ":"))
        && isBlankOrEnd(index + 1)
      {
        if current == UInt8(ascii: "?") { complexKey = complexKey ?? position }
        index += 1
        if atLineStart && current != UInt8(ascii: ":") {
          var next = index
          while next < end && bytes[next] == 0x20 { next += 1 }
          blockColumns.append(next - lineStart)
          if estimate > limit { return .tooDeep(position) }
        }
        continue
      }
      atLineStart = false
      if current == UInt8(ascii: "*") {
        noteAlias(end: end)
        continue
      }
      if current == UInt8(ascii: "&") || current == UInt8(ascii: "!") {
        while index < end && !isBlankOrEnd(index) { index += 1 }
        continue
      }
      if current == UInt8(ascii: "|") || current == UInt8(ascii: ">") {
        blockScalarParent = lineIndent
        return nil
      }
      // A plain scalar: runs to `: ` (then a value follows) or to the end.
      while index < end {
        if bytes[index] == UInt8(ascii: ":") && isBlankOrEnd(index + 1) { break }
        if bytes[index] == UInt8(ascii: "#") && (bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09) { return nil }
        index += 1
      }
    }
    return nil
  }

  /// Skips quoted text; returns false when the quote continues on the next line.
  private mutating func skipQuoted(_ open: UInt8, end: Int) -> Bool {
    while index < end {
      let current = bytes[index]
      if open == UInt8(ascii: "\"") && current == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if current == open {
        if open == UInt8(ascii: "'") && byte(at: index + 1) == open {
          index += 2
          continue
        }
        quote = nil
        index += 1
        return true
      }
      index += 1
    }
    index = end
    return false
  }

  private func startsToken(at offset: Int) -> Bool {
    guard offset > lineStart else { return true }
    let previous = bytes[offset - 1]
    return previous == 0x20 || previous == 0x09 || previous == UInt8(ascii: ":") || isFlowIndicator(previous)
      || previous == UInt8(ascii: "-") || previous == UInt8(ascii: "?")
  }

  private mutating func noteAlias(end: Int) {
    sawAlias = true
    let start = position
    index += 1
    while index < end && !isBlankOrEnd(index) && !isFlowIndicator(bytes[index]) && bytes[index] != UInt8(ascii: ":") {
      index += 1
    }
    if nextNonBlankIsColon(end: end) { complexKey = complexKey ?? start }
  }

  private func nextNonBlankIsColon(end: Int) -> Bool {
    var next = index
    while next < end && (bytes[next] == 0x20 || bytes[next] == 0x09) { next += 1 }
    guard next < end, bytes[next] == UInt8(ascii: ":") else { return false }
    return isBlankOrEnd(next + 1) || (flowDepth > 0 && isFlowIndicator(bytes[next + 1]))
  }
}
