import Foundation
import JSONSchema

enum DocumentParsing {
  /// A document whose content could not be read as text, with the reason.
  static func unreadable(
    path: String, kind: String?, blobID: String?, _ diagnostic: Diagnostic, text: String = "",
    format: DocumentFormat = .frontMatter
  ) -> Document {
    Document(
      path: path, kind: kind, text: text, frontMatter: nil, bodyStartLine: 1, body: MarkdownTree(),
      diagnostics: [diagnostic], blobID: blobID, format: format)
  }

  static func parse(
    path: String, data: Data, kind: String?, blobID: String?, limits: ParseLimits, format: DocumentFormat
  ) -> Document {
    func unreadable(_ diagnostic: Diagnostic, text: String = "") -> Document {
      Self.unreadable(path: path, kind: kind, blobID: blobID, diagnostic, text: text, format: format)
    }
    let decoded: TextDecoding.Decoded
    switch TextDecoding.decode(data, path: path, limits: limits) {
    case .failure(let diagnostic): return unreadable(diagnostic)
    case .success(let value): decoded = value
    }
    let bytes = decoded.bytes
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
      return unreadable(
        ReaderRules.empty.finding("document is empty", path: path),
        text: decoded.text)
    }
    let table = LineTable(bytes)
    if format.isData {
      return parseData(
        path: path, decoded: decoded, table: table, kind: kind, blobID: blobID, limits: limits, format: format)
    }
    var diagnostics = ConflictMarkers.find(in: table, path: path, skippingCodeFences: true)
    var frontMatter: FrontMatter?
    var bodyStartLine = 1
    if format == .headerList {
      if let header = HeaderList.read(table, path: path) {
        diagnostics += header.diagnostics
        frontMatter = header.fields
        bodyStartLine = header.fields.closingLine
      }
    } else if isFence(table, line: 1, allowDots: false) {
      if let closing = (2...max(2, table.lineCount)).first(where: {
        $0 <= table.lineCount && isFence(table, line: $0, allowDots: true)
      }) {
        let yamlStart = table.lineStarts[1]
        let yamlEnd = table.lineStarts[closing - 1]
        let (content, yamlDiagnostics) =
          FastFrontMatter.read(bytes, range: yamlStart..<yamlEnd, path: path, lineOffset: 1, limits: limits)
          ?? YAMLReading.read(
            String(decoding: bytes[yamlStart..<yamlEnd], as: UTF8.self), path: path, lineOffset: 1, limits: limits)
        diagnostics += yamlDiagnostics
        if var content {
          if content.value == .null { content.value = .object(JSONObject()) }
          frontMatter = FrontMatter(content: content, openingLine: 1, closingLine: closing)
        }
        bodyStartLine = closing + 1
      } else {
        diagnostics.append(
          ReaderRules.frontMatterUnterminated.finding(
            "front matter opened with '---' is never closed (no '---' or '...' line follows)", path: path))
      }
    }
    let bodyStart = bodyStartLine <= table.lineCount ? table.lineStarts[bodyStartLine - 1] : bytes.count
    let wideRow = WideTableRows.first(in: table, from: bodyStartLine, maxColumns: limits.maxTableColumns)
    if let wideRow {
      diagnostics.append(
        ReaderRules.tooComplex.finding(
          "table row with more than \(limits.maxTableColumns) columns (limits.max-table-columns); "
            + "the body was read without tables",
          path: path, line: wideRow, column: 1))
    }
    var bodyEnd = bytes.count
    if let costly = MarkdownCost.firstLineOver(in: table, from: bodyStartLine, maxNodes: limits.maxMarkdownNodes) {
      bodyEnd = table.lineStarts[costly - 1]
      diagnostics.append(
        ReaderRules.tooComplex.finding(
          "the body has more Markdown (lines, emphasis, links, code, entities) than \(limits.maxMarkdownNodes) nodes "
            + "by this line (limits.max-markdown-nodes); the body was read up to the line before",
          path: path, line: costly, column: 1))
    }
    let body = MarkdownTreeBuilder.build(
      LineTable(bodyStart..<max(bodyStart, bodyEnd), of: table), firstLine: bodyStartLine, tables: wideRow == nil)
    diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
    return Document(
      path: path, kind: kind, text: decoded.text, frontMatter: frontMatter, bodyStartLine: bodyStartLine, body: body,
      diagnostics: diagnostics, blobID: blobID, format: format)
  }

  /// A YAML or JSON document: the whole file is its fields, read as front matter is (the same
  /// findings: `parse/yaml`, `parse/duplicate-key`, a second YAML document, …); it has no body.
  private static func parseData(
    path: String, decoded: TextDecoding.Decoded, table: LineTable, kind: String?, blobID: String?,
    limits: ParseLimits, format: DocumentFormat
  ) -> Document {
    let bytes = decoded.bytes
    var diagnostics = ConflictMarkers.find(in: table, path: path, skippingCodeFences: false)
    let (content, problems) =
      format == .json
      ? StructuredFile.json(Data(bytes), path: path)
      : FastFrontMatter.read(bytes, range: 0..<bytes.count, path: path, lineOffset: 0, limits: limits)
        ?? YAMLReading.read(decoded.text, path: path, lineOffset: 0, limits: limits)
    diagnostics += problems
    diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
    var frontMatter: FrontMatter?
    if var content {
      // A file of comments only reads as no fields, as empty front matter does.
      if content.value == .null { content.value = .object(JSONObject()) }
      let end = table.lineCount + 1
      frontMatter = FrontMatter(
        content: content, openingLine: 1, closingLine: end, yamlLines: format == .yaml ? 1..<end : 1..<1)
    }
    return Document(
      path: path, kind: kind, text: decoded.text, frontMatter: frontMatter, bodyStartLine: table.lineCount + 1,
      body: MarkdownTree(), diagnostics: diagnostics, blobID: blobID, format: format)
  }

  /// A line that is exactly `---` (or `...` when closing), trailing blanks allowed.
  private static func isFence(_ table: LineTable, line: Int, allowDots: Bool) -> Bool {
    let range = table.contentRange(ofLine: line)
    guard range.count >= 3 else { return false }
    let first = table.bytes[range.lowerBound]
    guard first == UInt8(ascii: "-") || (allowDots && first == UInt8(ascii: ".")) else { return false }
    guard table.bytes[range.lowerBound + 1] == first, table.bytes[range.lowerBound + 2] == first else { return false }
    return table.bytes[(range.lowerBound + 3)..<range.upperBound].allSatisfy { $0 == 0x20 || $0 == 0x09 }
  }
}

/// Git merge-conflict markers left in a file.
enum ConflictMarkers {
  static func find(in table: LineTable, path: String, skippingCodeFences: Bool) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var fence: (byte: UInt8, length: Int)?
    var inConflict = false
    let bytes = table.bytes
    for line in 1...table.lineCount {
      let range = table.contentRange(ofLine: line)
      guard let first = range.first.map({ bytes[$0] }) else { continue }
      if skippingCodeFences, let opening = codeFence(bytes, range) {
        if let open = fence {
          if opening.byte == open.byte && opening.length >= open.length && opening.isBare { fence = nil }
        } else {
          fence = (opening.byte, opening.length)
        }
        continue
      }
      if fence != nil { continue }
      guard
        first == UInt8(ascii: "<") || first == UInt8(ascii: "=") || first == UInt8(ascii: ">")
          || first == UInt8(ascii: "|")
      else { continue }
      guard range.count >= 7, bytes[range.lowerBound..<(range.lowerBound + 7)].allSatisfy({ $0 == first }) else {
        continue
      }
      let rest = bytes[(range.lowerBound + 7)..<range.upperBound]
      let marker: String
      switch first {
      case UInt8(ascii: "<"):
        guard rest.first.map({ $0 == 0x20 }) ?? true else { continue }
        inConflict = true
        marker = "<<<<<<<"
      case UInt8(ascii: ">"):
        guard rest.first.map({ $0 == 0x20 }) ?? true else { continue }
        inConflict = false
        marker = ">>>>>>>"
      case UInt8(ascii: "|"):
        guard inConflict, rest.first.map({ $0 == 0x20 }) ?? true else { continue }
        marker = "|||||||"
      default:
        // `=======` alone is also a setext underline; only inside a conflict is it a marker.
        guard inConflict, rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { continue }
        marker = "======="
      }
      diagnostics.append(
        ReaderRules.conflictMarker.finding(
          "merge-conflict marker '\(marker)' left in the file; resolve the conflict", path: path, line: line))
    }
    return diagnostics
  }

  /// A fenced-code-block fence line: up to 3 spaces, then 3+ backticks or tildes.
  private static func codeFence(_ bytes: [UInt8], _ range: Range<Int>) -> (byte: UInt8, length: Int, isBare: Bool)? {
    var index = range.lowerBound
    while index < range.upperBound, index - range.lowerBound < 3, bytes[index] == 0x20 { index += 1 }
    guard index < range.upperBound else { return nil }
    let byte = bytes[index]
    guard byte == UInt8(ascii: "`") || byte == UInt8(ascii: "~") else { return nil }
    var end = index
    while end < range.upperBound, bytes[end] == byte { end += 1 }
    guard end - index >= 3 else { return nil }
    let isBare = bytes[end..<range.upperBound].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    return (byte, end - index, isBare)
  }
}
