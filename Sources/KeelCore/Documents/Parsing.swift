import Foundation
import JSONSchema

/// Limits that keep hostile input from hanging or exhausting memory.
public struct ParseLimits: Sendable {
  /// Files larger than this are not parsed (`parse/too-large`).
  public var maxFileBytes: Int = 1 << 20
  /// Deepest YAML nesting accepted (`parse/too-deep`).
  public var maxDepth: Int = 64
  /// Most YAML nodes produced after alias expansion (`parse/alias-bomb`).
  public var maxNodes: Int = 100_000
  public init() {}
  public static let `default` = ParseLimits()
}

/// Reads YAML with YAML 1.2 core-schema meaning (`no`, `on`, `2024-01-01` stay
/// strings) into JSON, with the source position of every node.
public enum YAMLReader {
  /// Parses one YAML document. `lineOffset` is added to every line (front
  /// matter inside a Markdown file). Problems are returned as located
  /// diagnostics for `path`; the value is nil when the YAML is unusable.
  public static func read(
    _ text: String, path: String, lineOffset: Int = 0, limits: ParseLimits = .default
  ) -> (LocatedJSON?, [Diagnostic]) {
    fatalError("YAMLReader.read: not yet implemented")
  }

  /// Decodes bytes (UTF-8, optional BOM) and parses a whole YAML file
  /// (RACI, glossary, people, workflows, keel.yaml, schemas written in YAML).
  public static func read(data: Data, path: String, limits: ParseLimits = .default) -> (LocatedJSON?, [Diagnostic]) {
    fatalError("YAMLReader.read(data:): not yet implemented")
  }
}

/// Splits a Markdown file into front matter and body and parses both.
public enum DocumentParser {
  public static func parse(
    path: String, data: Data, kind: String? = nil, blobID: String? = nil, limits: ParseLimits = .default
  ) -> Document {
    fatalError("DocumentParser.parse: not yet implemented")
  }
}

/// Parses a Markdown body with cmark-gfm (tables, task lists, strikethrough,
/// autolinks) into a `MarkdownTree`.
public enum MarkdownParser {
  /// `firstLine` is the absolute file line where `body` starts.
  public static func parse(_ body: String, firstLine: Int = 1) -> MarkdownTree {
    fatalError("MarkdownParser.parse: not yet implemented")
  }
}
