import CCmarkGFM
import Foundation

/// Builds a `MarkdownTree` from cmark-gfm's tree. cmark's inline source
/// positions count bytes and are wrong on indented continuation lines, so every
/// inline position is checked against the source line and, if it does not
/// match, found again by matching the node's text forward from the previous
/// inline (backslash escapes and entities allowed).
struct MarkdownTreeBuilder {
  private let table: LineTable
  private let firstLine: Int
  private var tree = MarkdownTree()

  private var sectionBlocks: [MarkdownBlock] = []
  private var sectionHeading: MarkdownHeading?
  private var sectionStartLine: Int

  /// The flattened text (UTF-8) of the top-level block being walked; its buffer is reused block after block.
  private var blockText: [UInt8] = []
  /// Open collectors of flattened inline text (UTF-8: links, task text).
  private var collectors: [[UInt8]] = []
  private var linkStack: [(index: Int, opener: UInt8?, collector: Int)] = []
  private var taskCollector: (task: Int, collector: Int, paragraph: OpaquePointer)?
  private var itemDepth = 0
  private var proseSuppressed = 0

  /// Where the next inline node's text is searched from.
  private var cursorLine = 1
  private var cursorOffset = 0
  private var blockEndLine = 1

  /// `tables: false` leaves GFM tables out (their rows are then paragraph text). `allExtensions: true`
  /// attaches strikethrough and autolink even to a body that cannot use them (the tree is the same).
  static func build(_ bytes: [UInt8], firstLine: Int, tables: Bool = true, allExtensions: Bool = false) -> MarkdownTree
  {
    build(LineTable(bytes), firstLine: firstLine, tables: tables, allExtensions: allExtensions)
  }

  /// The tree of the text `table` holds.
  static func build(_ table: LineTable, firstLine: Int, tables: Bool = true, allExtensions: Bool = false)
    -> MarkdownTree
  {
    // The parser and its tree live in the arena and go with it: no `cmark_node_free`.
    CmarkArena.withArena { memory in
      guard let parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, memory),
        let document = table.bytes.withUnsafeBufferPointer({
          CmarkExtensions.parse(parser, body: $0, tables: tables, allExtensions: allExtensions)
        })
      else { return MarkdownTree() }
      var builder = MarkdownTreeBuilder(table: table, firstLine: firstLine)
      builder.walk(document)
      return builder.tree
    }
  }

  private init(table: LineTable, firstLine: Int) {
    self.table = table
    self.firstLine = firstLine
    self.sectionStartLine = firstLine
    // Prose is most of a body: its buffer grows once, not at every doubling.
    tree.prose.reserveCapacity(table.bytes.count)
  }

  // MARK: Walking

  private mutating func walk(_ document: OpaquePointer) {
    guard let iterator = cmark_iter_new(document) else { return }
    defer { cmark_iter_free(iterator) }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      guard let node = cmark_iter_get_node(iterator), node != document else { continue }
      let isTopLevel = cmark_node_parent(node) == document
      if event == CMARK_EVENT_ENTER {
        if isTopLevel { blockText.removeAll(keepingCapacity: true) }
        enter(node)
        // Leaf nodes get no exit event.
        if isTopLevel && isLeaf(node) { finishTopLevel(node) }
      } else if event == CMARK_EVENT_EXIT {
        exit(node)
        if isTopLevel { finishTopLevel(node) }
      }
    }
    finishSection(nextHeadingLine: lastBodyLine + 1)
  }

  /// The node types cmark's iterator visits once (no exit event).
  private func isLeaf(_ node: OpaquePointer) -> Bool {
    let type = cmark_node_get_type(node)
    return type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_HTML_INLINE
      || type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK || type == CMARK_NODE_CODE_BLOCK
      || type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_THEMATIC_BREAK
  }

  /// A node of an extension's type (`table`, `table_cell`, `strikethrough`, …), not a core one.
  private func isExtensionNode(_ node: OpaquePointer) -> Bool {
    cmark_node_get_type(node).rawValue & UInt32(CMARK_NODE_VALUE_MASK) > 0x000b
  }

  private var lastBodyLine: Int {
    var count = table.lineCount
    // A final newline does not start another line.
    if count > 1 && table.lineStarts[count - 1] == table.bytes.count { count -= 1 }
    return firstLine + count - 1
  }

  private mutating func enter(_ node: OpaquePointer) {
    let type = cmark_node_get_type(node)
    switch type {
    case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
      startInlineBlock(node)
      if let parent = cmark_node_parent(node), cmark_node_first_child(parent) == node, isTask(parent),
        let index = tree.tasks.indices.last
      {
        collectors.append([])
        taskCollector = (index, collectors.count - 1, node)
      }
    case CMARK_NODE_ITEM:
      if isTask(node) {
        let position = blockPosition(node)
        tree.tasks.append(
          MarkdownTask(
            text: "", checked: cmark_gfm_extensions_get_tasklist_item_checked(node), line: position.line,
            column: position.column, depth: itemDepth, sectionIndex: tree.sections.count))
      }
      itemDepth += 1
    case CMARK_NODE_TEXT:
      Self.withLiteral(node) { literal in
        let position = locate(literal, hint: node)
        append(literal)
        if proseSuppressed == 0, !literal.isEmpty, let position {
          appendProseRuns(literal, at: position)
        }
      }
    case CMARK_NODE_CODE:
      Self.withLiteral(node) { literal in
        _ = locate(literal, hint: node)
        append(literal)
      }
    case CMARK_NODE_HTML_INLINE:
      Self.withLiteral(node) { literal in
        if let position = locate(literal, hint: node) { recordComment(literal, at: position) }
      }
    case CMARK_NODE_SOFTBREAK:
      append(UInt8(ascii: " "))
    case CMARK_NODE_LINEBREAK:
      append(UInt8(ascii: "\n"))
    case CMARK_NODE_CODE_BLOCK:
      Self.withLiteral(node) { literal in appendWithoutLineEnds(literal) }
    case CMARK_NODE_HTML_BLOCK:
      let position = blockPosition(node)
      Self.withLiteral(node) { literal in
        appendWithoutLineEnds(literal)
        recordComment(literal, at: position)
      }
    case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
      enterLink(node, isImage: type == CMARK_NODE_IMAGE)
    default:
      if isExtensionNode(node), hasTypeName(node, "table_cell") { startInlineBlock(node) }
    }
  }

  private mutating func exit(_ node: OpaquePointer) {
    let type = cmark_node_get_type(node)
    switch type {
    case CMARK_NODE_ITEM:
      itemDepth -= 1
    case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
      if let pending = taskCollector, pending.paragraph == node {
        tree.tasks[pending.task].text = Self.trimmedString(collectors[pending.collector])
        collectors.removeLast()
        taskCollector = nil
      }
      blockText.append(UInt8(ascii: "\n"))
    case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
      exitLink()
    default:
      guard isExtensionNode(node) else { break }
      if hasTypeName(node, "table_cell") {
        blockText.append(UInt8(ascii: "\t"))
      } else if hasTypeName(node, "table_row") || hasTypeName(node, "table_header") {
        blockText.append(UInt8(ascii: "\n"))
      }
    }
  }

  private func isTask(_ node: OpaquePointer) -> Bool {
    cmark_node_get_type(node) == CMARK_NODE_ITEM && hasTypeName(node, "tasklist")
  }

  private func hasTypeName(_ node: OpaquePointer, _ name: StaticString) -> Bool {
    guard let actual = cmark_node_get_type_string(node) else { return false }
    return name.withUTF8Buffer { expected in
      expected.withMemoryRebound(to: CChar.self) { strncmp(actual, $0.baseAddress!, expected.count) == 0 }
    } && actual[name.utf8CodeUnitCount] == 0
  }

  /// Keeps raw HTML that holds a comment (`<!-- keel-disable … -->`), wherever it is nested.
  private mutating func recordComment(_ literal: UnsafeBufferPointer<UInt8>, at position: SourcePositionInBody) {
    guard Self.contains(literal, "<!--") else { return }
    tree.comments.append(
      MarkdownComment(html: String(decoding: literal, as: UTF8.self), line: position.line, column: position.column))
  }

  private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
    let count = needle.utf8CodeUnitCount
    guard bytes.count >= count else { return false }
    return needle.withUTF8Buffer { needle in
      (0...(bytes.count - count)).contains { start in
        bytes[start] == needle[0] && UnsafeBufferPointer(rebasing: bytes[start..<(start + count)]).elementsEqual(needle)
      }
    }
  }

  /// Inline text: to the block's text and to every open collector.
  private mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
    blockText.append(contentsOf: text)
    for index in collectors.indices { collectors[index].append(contentsOf: text) }
  }

  private mutating func append(_ byte: UInt8) {
    blockText.append(byte)
    for index in collectors.indices { collectors[index].append(byte) }
  }

  /// A code or HTML block's text: without its final line ends, then one `\n`.
  private mutating func appendWithoutLineEnds(_ literal: UnsafeBufferPointer<UInt8>) {
    var end = literal.count
    while end > 0, literal[end - 1] == 0x0A || literal[end - 1] == 0x0D { end -= 1 }
    blockText.append(contentsOf: UnsafeBufferPointer(rebasing: literal[..<end]))
    blockText.append(UInt8(ascii: "\n"))
  }

  // MARK: Sections and blocks

  private mutating func finishTopLevel(_ node: OpaquePointer) {
    let type = cmark_node_get_type(node)
    let position = blockPosition(node)
    let endLine = blockEndLine(of: node, startLine: position.line)
    if type == CMARK_NODE_HEADING {
      finishSection(nextHeadingLine: position.line)
      let heading = MarkdownHeading(
        level: Int(cmark_node_get_heading_level(node)), text: takeBlockText(), line: position.line,
        column: position.column, isSetext: !isATX(line: position.line - firstLine + 1))
      tree.headings.append(heading)
      sectionHeading = heading
      sectionStartLine = endLine + 1
      return
    }
    let kind: MarkdownBlockKind
    switch type {
    case CMARK_NODE_PARAGRAPH: kind = .paragraph
    case CMARK_NODE_LIST: kind = .list
    case CMARK_NODE_CODE_BLOCK: kind = .codeBlock
    case CMARK_NODE_HTML_BLOCK: kind = .htmlBlock
    case CMARK_NODE_BLOCK_QUOTE: kind = .blockQuote
    case CMARK_NODE_THEMATIC_BREAK: kind = .thematicBreak
    default: kind = isExtensionNode(node) && hasTypeName(node, "table") ? .table : .other
    }
    sectionBlocks.append(
      MarkdownBlock(
        kind: kind, text: takeBlockText(), line: position.line, column: position.column, endLine: endLine))
  }

  private mutating func finishSection(nextHeadingLine: Int) {
    // cmark can end a setext heading on the line of an ATX heading right below it: the section is
    // then empty, not one that ends before it starts.
    tree.sections.append(
      MarkdownSection(
        heading: sectionHeading, blocks: sectionBlocks, startLine: min(sectionStartLine, nextHeadingLine),
        endLine: nextHeadingLine - 1))
    sectionBlocks = []
  }

  private func isATX(line: Int) -> Bool {
    let range = table.contentRange(ofLine: line)
    var index = range.lowerBound
    while index < range.upperBound, table.bytes[index] == 0x20 { index += 1 }
    return index < range.upperBound && table.bytes[index] == UInt8(ascii: "#")
  }

  /// Absolute position of a block node (cmark block columns are byte columns).
  private func blockPosition(_ node: OpaquePointer) -> SourcePositionInBody {
    let line = max(1, Int(cmark_node_get_start_line(node)))
    let byteColumn = max(1, Int(cmark_node_get_start_column(node)))
    let column = table.scalarColumn(line: line, byteOffsetInLine: byteColumn - 1)
    return SourcePositionInBody(line: line + firstLine - 1, column: column)
  }

  private func blockEndLine(of node: OpaquePointer, startLine: Int) -> Int {
    var end = Int(cmark_node_get_end_line(node))
    // cmark reports some block ends as column 0 of the following line.
    if cmark_node_get_end_column(node) == 0 { end -= 1 }
    return max(startLine, end + firstLine - 1)
  }

  // MARK: Links

  private mutating func enterLink(_ node: OpaquePointer, isImage: Bool) {
    let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
    // A link written as `[text](…)` or `![alt](…)` starts with a bracket; an
    // autolink (`<…>` or a bare URL) does not, and its text is not prose.
    var isBare = false
    var opener: UInt8?
    var position: SourcePositionInBody?
    let linkStart: (line: Int, offset: Int)?
    if let child = cmark_node_first_child(node) {
      linkStart = Self.withLiteral(child) { findLinkStart(firstText: $0) }
    } else {
      linkStart = findLinkStart(firstText: UnsafeBufferPointer(start: nil, count: 0))
    }
    if let start = linkStart {
      let first = table.bytes[start.offset]
      isBare = first != UInt8(ascii: "[") && first != UInt8(ascii: "!")
      opener = first
      let lineStart = table.lineStarts[start.line - 1]
      position = SourcePositionInBody(
        line: start.line + firstLine - 1,
        column: table.scalarColumn(line: start.line, byteOffsetInLine: start.offset - lineStart))
      cursorLine = start.line
      if first == UInt8(ascii: "[") || first == UInt8(ascii: "<") {
        cursorOffset = start.offset + 1
      } else if first == UInt8(ascii: "!") {
        cursorOffset = start.offset + 2
      } else {
        cursorOffset = start.offset
      }
    }
    let fallback = blockPosition(node)
    let link = MarkdownLink(
      destination: destination, text: "", line: position?.line ?? fallback.line,
      column: position?.column ?? fallback.column, isImage: isImage)
    tree.links.append(link)
    collectors.append([])
    linkStack.append((tree.links.count - 1, opener, collectors.count - 1))
    if isBare { proseSuppressed += 1 }
  }

  private mutating func exitLink() {
    guard let open = linkStack.popLast() else { return }
    tree.links[open.index].text = Self.trimmedString(collectors[open.collector])
    collectors.removeLast()
    let isBare = open.opener != UInt8(ascii: "[") && open.opener != UInt8(ascii: "!")
    if isBare { proseSuppressed -= 1 }
    if let opener = open.opener { skipLinkTail(opener: opener) }
  }

  /// The first `[`, `![` or `<` from the cursor, or the start of a bare URL.
  private func findLinkStart(firstText: UnsafeBufferPointer<UInt8>) -> (line: Int, offset: Int)? {
    var line = cursorLine
    var offset = cursorOffset
    while line <= min(blockEndLine, table.lineCount) {
      let range = table.contentRange(ofLine: line)
      offset = max(offset, range.lowerBound)
      while offset < range.upperBound {
        let byte = table.bytes[offset]
        if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "<") { return (line, offset) }
        if byte == UInt8(ascii: "!") && offset + 1 < range.upperBound && table.bytes[offset + 1] == UInt8(ascii: "[") {
          return (line, offset)
        }
        if !firstText.isEmpty && byte == firstText[0]
          && matchLength(firstText, at: offset, end: range.upperBound) != nil
        {
          return (line, offset)
        }
        offset += 1
      }
      line += 1
    }
    return nil
  }

  /// Moves the cursor past `](destination "title")`, `][label]` or `]`
  /// after a bracketed link, or past `>` after `<url>`.
  private mutating func skipLinkTail(opener: UInt8) {
    let closing: UInt8
    switch opener {
    case UInt8(ascii: "["), UInt8(ascii: "!"): closing = UInt8(ascii: "]")
    case UInt8(ascii: "<"): closing = UInt8(ascii: ">")
    default: return
    }
    guard cursorLine <= table.lineCount else { return }
    let range = table.contentRange(ofLine: cursorLine)
    var offset = max(cursorOffset, range.lowerBound)
    while offset < range.upperBound, table.bytes[offset] != closing { offset += 1 }
    guard offset < range.upperBound else { return }
    let closer = table.bytes[offset]
    offset += 1
    if closer == UInt8(ascii: "]"), offset < range.upperBound {
      let next = table.bytes[offset]
      if next == UInt8(ascii: "(") || next == UInt8(ascii: "[") {
        let close = next == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
        var depth = 0
        while offset < range.upperBound {
          let byte = table.bytes[offset]
          offset += 1
          if byte == next {
            depth += 1
          } else if byte == close {
            depth -= 1
            if depth == 0 { break }
          }
        }
      }
    }
    cursorOffset = offset
  }

  // MARK: Inline positions

  private mutating func startInlineBlock(_ node: OpaquePointer) {
    let line = max(1, Int(cmark_node_get_start_line(node)))
    cursorLine = line
    cursorOffset = table.lineStarts[min(line, table.lineCount) - 1]
    blockEndLine = max(line, Int(cmark_node_get_end_line(node)))
  }

  /// Calls `body` with the node's literal text, read in place (no copy unless it holds a `\r`).
  private static func withLiteral<Result>(
    _ node: OpaquePointer, _ body: (UnsafeBufferPointer<UInt8>) -> Result
  ) -> Result {
    guard let literal = cmark_node_get_literal(node) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    let count = strlen(literal)
    let buffer = UnsafeBufferPointer(start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: count)
    // cmark keeps `\r` of CRLF line endings inside code and HTML blocks.
    guard memchr(literal, 0x0D, count) != nil else { return body(buffer) }
    return buffer.filter { $0 != 0x0D }.withUnsafeBufferPointer(body)
  }

  /// Finds `literal` in the source: at cmark's position if the text is there,
  /// else forward from the cursor within the current block. Advances the cursor.
  private mutating func locate(_ literal: UnsafeBufferPointer<UInt8>, hint node: OpaquePointer) -> SourcePositionInBody?
  {
    let hintLine = Int(cmark_node_get_start_line(node))
    let hintColumn = Int(cmark_node_get_start_column(node))
    if hintLine >= cursorLine, hintLine <= table.lineCount, hintColumn >= 1 {
      let range = table.contentRange(ofLine: hintLine)
      let offset = range.lowerBound + hintColumn - 1
      if offset >= cursorOffset, offset < range.upperBound,
        let length = matchLength(literal, at: offset, end: range.upperBound)
      {
        return found(line: hintLine, offset: offset, length: length)
      }
    }
    guard !literal.isEmpty else { return nil }
    var line = cursorLine
    while line <= min(blockEndLine, table.lineCount) {
      let range = table.contentRange(ofLine: line)
      var offset = max(cursorOffset, range.lowerBound)
      while offset < range.upperBound {
        let byte = table.bytes[offset]
        if byte == literal[0] || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "&"),
          let length = matchLength(literal, at: offset, end: range.upperBound)
        {
          return found(line: line, offset: offset, length: length)
        }
        offset += 1
      }
      line += 1
    }
    // Not found in the source (should not happen): trust cmark's position.
    guard hintLine >= 1, hintLine <= table.lineCount else { return nil }
    return SourcePositionInBody(
      line: hintLine + firstLine - 1,
      column: table.scalarColumn(line: hintLine, byteOffsetInLine: max(0, hintColumn - 1)))
  }

  private mutating func found(line: Int, offset: Int, length: Int) -> SourcePositionInBody {
    cursorLine = line
    cursorOffset = offset + length
    let lineStart = table.lineStarts[line - 1]
    return SourcePositionInBody(
      line: line + firstLine - 1, column: table.scalarColumn(line: line, byteOffsetInLine: offset - lineStart),
      source: (line: line, offset: offset, length: length))
  }

  /// The prose runs of one text node. When the source spells the text with
  /// entities or backslash escapes (`Fish &amp; chips`), the decoded text is
  /// shorter than its source, so the text is cut at each of them: every run
  /// then maps character for character onto its source columns.
  private mutating func appendProseRuns(_ literal: UnsafeBufferPointer<UInt8>, at position: SourcePositionInBody) {
    guard let source = position.source, source.length != literal.count,
      let runs = proseRuns(literal, source: source)
    else {
      tree.prose.append(literal, line: position.line, column: position.column)
      return
    }
    for run in runs {
      tree.prose.append(UnsafeBufferPointer(rebasing: literal[run.text]), line: position.line, column: run.column)
    }
  }

  /// The runs of `literal` (byte ranges) and their columns; nil when the source does not spell the
  /// text as expected (the text is then one run).
  private func proseRuns(
    _ literal: UnsafeBufferPointer<UInt8>, source: (line: Int, offset: Int, length: Int)
  ) -> [(text: Range<Int>, column: Int)]? {
    let bytes = table.bytes
    let end = source.offset + source.length
    let lineStart = table.lineStarts[source.line - 1]
    var runs: [(text: Range<Int>, column: Int)] = []
    var runStart: (literal: Int, source: Int)? = nil
    var index = 0
    var offset = source.offset
    func closeRun() {
      guard let start = runStart, index > start.literal else { return }
      runs.append(
        (start.literal..<index, table.scalarColumn(line: source.line, byteOffsetInLine: start.source - lineStart)))
      runStart = nil
    }
    while index < literal.count, offset < end {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "&"), literal[index] != UInt8(ascii: "&"), let entityEnd = entityEnd(at: offset, end: end)
      {
        closeRun()
        index += 1
        while index < literal.count, literal[index] & 0xC0 == 0x80 { index += 1 }
        offset = entityEnd
      } else if byte == UInt8(ascii: "\\"), offset + 1 < end, bytes[offset + 1] == literal[index],
        literal[index] != UInt8(ascii: "\\")
      {
        closeRun()
        runStart = (index, offset + 1)
        index += 1
        offset += 2
      } else if byte == literal[index] {
        if runStart == nil { runStart = (index, offset) }
        index += 1
        offset += 1
      } else {
        return nil
      }
    }
    closeRun()
    return runs
  }

  /// Source bytes that spell `literal` from `start`, or nil. A backslash
  /// escape spells the punctuation it escapes; an entity (`&amp;`, `&#233;`)
  /// spells one character.
  private func matchLength(_ literal: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> Int? {
    // Most text is spelled as it reads: without a `&` in it, equal bytes can only match byte for byte.
    if let base = literal.baseAddress, literal.count <= end - start,
      memchr(base, Int32(UInt8(ascii: "&")), literal.count) == nil,
      table.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress! + start, base, literal.count) == 0 })
    {
      return literal.count
    }
    return matchRest(literal, from: 0, source: start, end: end).map { $0 - start }
  }

  private func matchRest(
    _ literal: UnsafeBufferPointer<UInt8>, from startIndex: Int, source startSource: Int, end: Int
  ) -> Int? {
    let bytes = table.bytes
    var source = startSource
    var index = startIndex
    while index < literal.count {
      guard source < end else { return nil }
      let byte = bytes[source]
      if byte == UInt8(ascii: "&"), let entityEnd = entityEnd(at: source, end: end) {
        var next = index + 1
        while next < literal.count, literal[next] & 0xC0 == 0x80 { next += 1 }
        if let matched = matchRest(literal, from: next, source: entityEnd, end: end) { return matched }
      }
      if byte == literal[index] {
        source += 1
        index += 1
      } else if byte == UInt8(ascii: "\\"), source + 1 < end, bytes[source + 1] == literal[index] {
        source += 2
        index += 1
      } else {
        return nil
      }
    }
    return source
  }

  /// The offset after `;` when `&…;` at `start` looks like an entity reference.
  private func entityEnd(at start: Int, end: Int) -> Int? {
    let bytes = table.bytes
    var index = start + 1
    if index < end, bytes[index] == UInt8(ascii: "#") { index += 1 }
    let nameStart = index
    while index < end, index - nameStart < 32 {
      let byte = bytes[index]
      let isAlphanumeric =
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      guard isAlphanumeric else { break }
      index += 1
    }
    guard index > nameStart, index < end, bytes[index] == UInt8(ascii: ";") else { return nil }
    return index + 1
  }

  // MARK: Text helpers

  /// The block's text, trimmed as `trimmedString` does; the buffer is kept for the next block.
  private mutating func takeBlockText() -> String {
    defer { blockText.removeAll(keepingCapacity: true) }
    return Self.trimmedString(blockText)
  }

  /// The text without leading and trailing spaces, tabs and line ends (ASCII bytes: the ends are
  /// then scalar boundaries).
  private static func trimmedString(_ bytes: [UInt8]) -> String {
    guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
    let end = bytes.lastIndex(where: { !isSpace($0) })! + 1
    return String(decoding: bytes[first..<end], as: UTF8.self)
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }
}

/// A 1-based absolute line and scalar column.
struct SourcePositionInBody {
  var line: Int
  var column: Int
  /// Where the text was found in the body: table line, byte offset and byte length.
  var source: (line: Int, offset: Int, length: Int)? = nil
}

/// cmark-gfm's table extension takes time quadratic in a row's cell count (a
/// 50,000-column table took 26 s), so rows are measured before it runs.
enum WideTableRows {
  /// The first line (1-based in `table`, from `firstLine` on) with more than
  /// `maxColumns` cells, counted as unescaped `|` separators; only when the
  /// text has a table delimiter row (`| --- | :-: |`), i.e. may hold a table.
  static func first(in table: LineTable, from firstLine: Int, maxColumns: Int) -> Int? {
    guard firstLine <= table.lineCount else { return nil }
    let bytes = table.bytes
    // A wide row needs more than `maxColumns + 1` pipes: most bodies have fewer in all (counted in
    // one tight pass, escaped ones too), and then no line needs measuring.
    let pipes = bytes.withUnsafeBufferPointer { buffer in
      // Branch-free, so the compiler can vectorise it.
      buffer[table.lineStarts[firstLine - 1]...].reduce(0) { $0 &+ ($1 == UInt8(ascii: "|") ? 1 : 0) }
    }
    guard pipes - 1 > maxColumns else { return nil }
    var wide: Int?
    var hasDelimiterRow = false
    for line in firstLine...table.lineCount {
      let range = table.contentRange(ofLine: line)
      var pipes = 0
      var delimiterLike = true
      var dashes = false
      var index = range.lowerBound
      while index < range.upperBound {
        switch bytes[index] {
        case UInt8(ascii: "\\"):
          delimiterLike = false
          index += 1
        case UInt8(ascii: "|"): pipes += 1
        case UInt8(ascii: "-"): dashes = true
        case UInt8(ascii: ":"), 0x20, 0x09: break
        default: delimiterLike = false
        }
        index += 1
      }
      if delimiterLike && dashes && pipes > 0 { hasDelimiterRow = true }
      // `| a | b |` has three separators for two cells.
      if wide == nil && pipes - 1 > maxColumns { wide = line }
      if hasDelimiterRow, let wide { return wide }
    }
    return nil
  }
}

/// cmark-gfm's time and memory grow with the nodes its inline parser tries to
/// make (about 200 bytes each; one 1 MB line of `*a*a…` took 1 s and 200 MB in
/// cmark-gfm alone), so a body's node count is estimated before it runs.
enum MarkdownCost {
  /// The bytes at which cmark-gfm's inline parser stops to try a node: its own
  /// special characters and those of the strikethrough (`~`) and autolink
  /// (`:`, `w`) extensions. A text node ends at each of them.
  private static let stops: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for character in "\\`&<[]!*_~:w".utf8 { table[Int(character)] = true }
    return table
  }()

  /// The first line (1-based in `table`, from `firstLine` on) at which the
  /// estimate passes `maxNodes`, or nil. Each line counts one (a block or a
  /// soft break), each stop byte one, each `@` two (an email autolink and its
  /// text) plus its copy of the line: cmark-gfm's autolink extension copies
  /// the rest of a text node at each of the first 1,000 `@`s in it (1,000
  /// addresses before 990 KB of text took 2 s and 1 GB).
  static func firstLineOver(in table: LineTable, from firstLine: Int, maxNodes: Int) -> Int? {
    guard firstLine <= table.lineCount else { return nil }
    // Without `@`, a line counts at most one plus its length: a body whose lines and bytes add up
    // to no more than `maxNodes` (nearly every one) needs no counting.
    let start = table.lineStarts[firstLine - 1]
    let size = table.bytes.count - start
    if size + table.lineCount - firstLine + 1 <= maxNodes,
      table.bytes.withUnsafeBytes({ memchr($0.baseAddress! + start, Int32(UInt8(ascii: "@")), size) == nil })
    {
      return nil
    }
    var total = 0
    return table.bytes.withUnsafeBufferPointer { bytes in
      stops.withUnsafeBufferPointer { stops in
        for line in firstLine...table.lineCount {
          let range = table.contentRange(ofLine: line)
          // The empty line after a final newline is no line of the body.
          if line == table.lineCount && range.isEmpty && line > firstLine { break }
          var nodes = 1
          var ats = 0
          for index in range {
            let byte = bytes[index]
            if stops[Int(byte)] {
              nodes += 1
            } else if byte == UInt8(ascii: "@") {
              ats += 1
            }
          }
          total += nodes + 2 * ats + min(ats, 1000) * (range.count / 256)
          if total > maxNodes { return line }
        }
        return nil
      }
    }
  }
}
