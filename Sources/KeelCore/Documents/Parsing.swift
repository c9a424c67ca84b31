import Foundation
import JSONSchema

/// Limits that keep hostile input from hanging or exhausting memory.
public struct ParseLimits: Sendable {
  /// Files larger than this are not parsed (`parse/too-large`).
  public var maxFileBytes: Int = 1 << 20
  /// Markdown tables with a row of more columns than this are
  /// `parse/too-complex`, and the body is read without tables.
  public var maxTableColumns: Int = 1000
  /// A body whose Markdown would make more nodes than this (estimated before
  /// cmark-gfm runs: `MarkdownCost`) is `parse/too-complex`, and is read only
  /// up to the line where the estimate passes it: cmark-gfm's time and memory
  /// grow with it (one 1 MB line of `*a*a…` took 1 s and 200 MB in cmark-gfm alone).
  public var maxMarkdownNodes: Int = 150_000
  /// Deepest YAML nesting accepted (`parse/too-deep`); values above
  /// `YAMLReader.hardMaxDepth` are treated as that.
  public var maxDepth: Int = 64
  /// Most YAML nodes produced after alias expansion (`parse/alias-bomb`).
  public var maxNodes: Int = 100_000
  public init() {}
  public static let `default` = ParseLimits()
}

/// Reads YAML with YAML 1.2 core-schema meaning (`no`, `on`, `2024-01-01`
/// stay strings) into JSON, with the source position of every node.
///
/// - Plain scalars: `null`/`Null`/`NULL`/`~`/empty are null; `true`/`True`/
///   `TRUE`/`false`/… are booleans; `[-+]?[0-9]+` (so `010` is 10), `0o17`,
///   `0x1F` are integers (decimals too large for `Int` become numbers);
///   `1.5`, `1e3`, `.5`, `.inf`, `.nan` are numbers; anything else is a string.
/// - Quoted and block scalars are strings; explicit tags (`!!str`, `!!int`,
///   `!!float`, `!!bool`, `!!null`) are honoured; other tags keep the text.
/// - Mapping keys become strings (their text); non-scalar keys are an error.
/// - Merge keys (`<<: *defaults`, `<<: [*a, *b]`, YAML 1.1) are expanded:
///   explicit keys win over merged ones, earlier merged mappings over later.
/// - Aliases are expanded; more than `maxNodes` nodes is `parse/alias-bomb`.
/// - Duplicate keys are `parse/duplicate-key` at the second occurrence (the
///   first value is kept); nesting over `maxDepth` is `parse/too-deep`; a
///   second document in the stream is a `parse/yaml` error (the first is read).
public enum YAMLReader {
  /// The deepest nesting ever accepted, whatever `ParseLimits.maxDepth` says:
  /// Yams composes recursively and must not exhaust a thread's stack.
  public static let hardMaxDepth = 256

  /// Parses one YAML document. `lineOffset` is added to every line (front
  /// matter inside a Markdown file). Problems are returned as located
  /// diagnostics for `path`; the value is nil when the YAML is unusable.
  public static func read(
    _ text: String, path: String, lineOffset: Int = 0, limits: ParseLimits = .default
  ) -> (LocatedJSON?, [Diagnostic]) {
    YAMLReading.read(text, path: path, lineOffset: lineOffset, limits: limits)
  }

  /// Decodes bytes (UTF-8, optional BOM) and parses a whole YAML file
  /// (RACI, glossary, people, workflows, keel.yaml, schemas written in YAML).
  /// Besides the YAML problems: `parse/too-large`, `parse/binary`,
  /// `parse/encoding` and `parse/conflict-marker`. An empty file reads as null.
  public static func read(data: Data, path: String, limits: ParseLimits = .default) -> (LocatedJSON?, [Diagnostic]) {
    switch TextDecoding.decode(data, path: path, limits: limits) {
    case .failure(let diagnostic):
      return (nil, [diagnostic])
    case .success(let decoded):
      let markers = ConflictMarkers.find(in: LineTable(decoded.bytes), path: path, skippingCodeFences: false)
      let (value, diagnostics) = YAMLReading.read(decoded.text, path: path, lineOffset: 0, limits: limits)
      return (value, markers + diagnostics)
    }
  }
}

/// Splits a Markdown file into front matter and body and parses both.
///
/// - Bytes: over `maxFileBytes` → `parse/too-large` (not read); a NUL byte →
///   `parse/binary`; invalid UTF-8 → `parse/encoding` at the first bad byte; a
///   UTF-8 BOM is dropped. An empty or whitespace-only file is `parse/empty`
///   (an error: a spec with nothing in it is almost always a mistake).
/// - Front matter: the first line is `---` (trailing blanks and CRLF allowed),
///   closed by the next `---` or `...` line; an unclosed one is
///   `parse/front-matter-unterminated` at line 1 and the whole file is read as
///   body. Empty front matter reads as an empty object; YAML that cannot be
///   read leaves `frontMatter` nil (its diagnostics say why).
/// - Git conflict markers (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>` at the
///   start of a line, outside fenced code) → `parse/conflict-marker` each.
public enum DocumentParser {
  /// - Parameter format: where the fields are; nil: from the path's extension (`.yaml`, `.yml` and
  ///   `.json` files are their fields, anything else is Markdown with front matter).
  public static func parse(
    path: String, data: Data, kind: String? = nil, blobID: String? = nil, limits: ParseLimits = .default,
    format: DocumentFormat? = nil
  ) -> Document {
    DocumentParsing.parse(
      path: path, data: data, kind: kind, blobID: blobID, limits: limits, format: format ?? .of(path: path))
  }

  /// The bytes of a document, or `parse/too-large` decided from the file's
  /// size or the blob's header before anything is read.
  public enum Content: Sendable {
    case bytes(Data)
    case tooLarge(Diagnostic)
  }

  /// Reads `path` from `snapshot` unless it is over `limits.maxFileBytes`.
  public static func content(of path: String, in snapshot: Snapshot, limits: ParseLimits) throws -> Content {
    do { return .bytes(try snapshot.read(path, maxBytes: limits.maxFileBytes)) } catch let error as FileTooLargeError {
      return .tooLarge(TextDecoding.tooLarge(size: error.size, path: path, limit: error.limit))
    }
  }

  public static func parse(
    path: String, content: Content, kind: String? = nil, blobID: String? = nil, limits: ParseLimits = .default,
    format: DocumentFormat? = nil
  ) -> Document {
    switch content {
    case .bytes(let data):
      return parse(path: path, data: data, kind: kind, blobID: blobID, limits: limits, format: format)
    case .tooLarge(let diagnostic):
      return DocumentParsing.unreadable(
        path: path, kind: kind, blobID: blobID, diagnostic, format: format ?? .of(path: path))
    }
  }

  /// A document of a kind of keel.yaml: read in the kind's format for its path.
  public static func parse(
    path: String, content: Content, kind: KindConfig, blobID: String? = nil, limits: ParseLimits = .default
  ) -> Document {
    parse(path: path, content: content, kind: kind.name, blobID: blobID, limits: limits, format: kind.format(of: path))
  }
}

/// Parses a Markdown body with cmark-gfm (tables, task lists, strikethrough,
/// autolinks) into a `MarkdownTree`. Only top-level headings (not those in
/// lists, block quotes or code) are headings and cut sections.
public enum MarkdownParser {
  /// `firstLine` is the absolute file line where `body` starts.
  public static func parse(_ body: String, firstLine: Int = 1) -> MarkdownTree {
    MarkdownTreeBuilder.build(Array(body.utf8), firstLine: firstLine)
  }
}
