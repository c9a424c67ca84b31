import Foundation

/// The parts of a Markdown body that Keel's rules look at, with positions.
/// Lines are absolute lines of the file (front matter included); columns count
/// Unicode scalar values; both are 1-based.
public struct MarkdownTree: Sendable, Hashable {
  /// ATX and setext headings in document order (headings inside code blocks
  /// are not headings).
  public var headings: [MarkdownHeading] = []
  /// The body cut at every heading: `sections[0]` is the preamble before the
  /// first heading (its `heading` is nil), then one section per heading.
  public var sections: [MarkdownSection] = []
  /// Task-list items (`- [ ]`/`- [x]`), nested ones included, in order.
  public var tasks: [MarkdownTask] = []
  public var links: [MarkdownLink] = []
  /// Prose text (not code spans, code blocks, HTML or link destinations),
  /// each run with the position of its first character.
  public var textRuns: [MarkdownTextRun] {
    get { prose.runs }
    set { prose = ProseRuns(newValue) }
  }
  /// `textRuns`, kept compactly (most checks never read them): one buffer for every run's text.
  var prose = ProseRuns()
  /// Raw HTML blocks and inline HTML that hold a comment (`<!-- … -->`), at any
  /// depth, in order; code blocks and code spans are not HTML.
  public var comments: [MarkdownComment] = []
  public init() {}
}

/// Text runs as their UTF-8 text one after another, and where each ends, with its position.
struct ProseRuns: Sendable, Hashable {
  private struct Run: Sendable, Hashable {
    var end: Int
    var line: Int
    var column: Int
  }
  private var text: [UInt8] = []
  private var ends: [Run] = []

  init() {}

  init(_ runs: [MarkdownTextRun]) {
    for run in runs {
      var text = run.text
      text.withUTF8 { append($0, line: run.line, column: run.column) }
    }
  }

  mutating func reserveCapacity(_ bytes: Int) { text.reserveCapacity(bytes) }

  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, column: Int) {
    text.append(contentsOf: bytes)
    ends.append(Run(end: text.count, line: line, column: column))
  }

  var runs: [MarkdownTextRun] {
    var start = 0
    return ends.map { run in
      defer { start = run.end }
      return MarkdownTextRun(
        text: String(decoding: text[start..<run.end], as: UTF8.self), line: run.line, column: run.column)
    }
  }
}

/// Raw HTML holding an HTML comment, with the position of its first character.
public struct MarkdownComment: Sendable, Hashable {
  /// The HTML as written (an HTML block may hold text around the comment, or several comments).
  public var html: String
  public var line: Int
  public var column: Int
}

public struct MarkdownHeading: Sendable, Hashable {
  public var level: Int
  /// Plain text of the heading (closing `#`s and surrounding space removed).
  public var text: String
  public var line: Int
  public var column: Int
  public var isSetext: Bool
  public init(level: Int, text: String, line: Int, column: Int, isSetext: Bool = false) {
    self.level = level
    self.text = text
    self.line = line
    self.column = column
    self.isSetext = isSetext
  }
}

public enum MarkdownBlockKind: String, Sendable, Hashable {
  case paragraph, list, codeBlock, htmlBlock, blockQuote, table, thematicBreak, other
}

/// A top-level block of a section.
public struct MarkdownBlock: Sendable, Hashable {
  public var kind: MarkdownBlockKind
  /// The block's text content (for HTML blocks, the raw HTML, e.g. `<!-- optional -->`).
  public var text: String
  public var line: Int
  public var column: Int
  public var endLine: Int
  public init(kind: MarkdownBlockKind, text: String, line: Int, column: Int, endLine: Int) {
    self.kind = kind
    self.text = text
    self.line = line
    self.column = column
    self.endLine = endLine
  }
}

public struct MarkdownSection: Sendable, Hashable {
  /// nil for the preamble before the first heading.
  public var heading: MarkdownHeading?
  /// Blocks between this heading and the next heading (of any level).
  public var blocks: [MarkdownBlock]
  /// First line after the heading, and the last line of the section.
  public var startLine: Int
  public var endLine: Int
  public init(heading: MarkdownHeading?, blocks: [MarkdownBlock], startLine: Int, endLine: Int) {
    self.heading = heading
    self.blocks = blocks
    self.startLine = startLine
    self.endLine = endLine
  }
  /// True when the section has no content except HTML comments.
  public var isEmpty: Bool {
    blocks.allSatisfy {
      $0.kind == .htmlBlock && $0.text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<!--")
    }
  }
}

public struct MarkdownTask: Sendable, Hashable {
  public var text: String
  public var checked: Bool
  public var line: Int
  public var column: Int
  /// 0 for a top-level list item, 1 for a nested one, …
  public var depth: Int
  /// Index into `MarkdownTree.sections` of the section holding the task.
  public var sectionIndex: Int
  public init(text: String, checked: Bool, line: Int, column: Int, depth: Int, sectionIndex: Int) {
    self.text = text
    self.checked = checked
    self.line = line
    self.column = column
    self.depth = depth
    self.sectionIndex = sectionIndex
  }
}

public struct MarkdownLink: Sendable, Hashable {
  public var destination: String
  public var text: String
  /// Position of the link's first character (`[`, `![`, `<` or the bare URL).
  public var line: Int
  public var column: Int
  /// True for an image (`![alt](src)`); `text` is then the alt text.
  public var isImage: Bool
  public init(destination: String, text: String, line: Int, column: Int, isImage: Bool = false) {
    self.destination = destination
    self.text = text
    self.line = line
    self.column = column
    self.isImage = isImage
  }
}

public struct MarkdownTextRun: Sendable, Hashable {
  public var text: String
  public var line: Int
  public var column: Int
}
