import Foundation
import JSONSchema

/// A document's fields: the YAML front matter of a Markdown document, its `- Key: value` header
/// list (`header: list`), or the whole of a YAML or JSON document.
public struct FrontMatter: Sendable {
  /// The fields as JSON, with positions that are absolute lines of the file.
  public var content: LocatedJSON
  /// Line of the opening `---` (1 unless a BOM-only first line is skipped); the first line of a
  /// header list or of a YAML or JSON file.
  public var openingLine: Int
  /// Line of the closing `---`; the line after a header list or after a YAML or JSON file.
  public var closingLine: Int
  /// The lines holding YAML (where `# keel-disable…` comments are read): between the fences of
  /// front matter, every line of a YAML file, none of a header list or a JSON file.
  public var yamlLines: Range<Int>
  public init(content: LocatedJSON, openingLine: Int, closingLine: Int, yamlLines: Range<Int>? = nil) {
    self.content = content
    self.openingLine = openingLine
    self.closingLine = closingLine
    self.yamlLines = yamlLines ?? (openingLine + 1)..<max(openingLine + 1, closingLine)
  }
  public var value: JSONValue { content.value }
}

/// A parsed Markdown document: front matter + body tree, plus any problems met
/// while reading it (which are findings: `parse/*` rules).
public struct Document: Sendable {
  public var path: String
  /// The document kind from keel.yaml (`prd`), nil when no kind matched.
  public var kind: String?
  /// The decoded text (BOM removed; line endings as in the file).
  public var text: String
  public var frontMatter: FrontMatter?
  /// First line of the body (after the closing `---`), 1 when there is no front matter.
  public var bodyStartLine: Int
  public var body: MarkdownTree
  /// Problems found while reading: `parse/yaml`, `parse/encoding`, …
  public var diagnostics: [Diagnostic]
  public var blobID: String?
  /// Where the fields are (front matter, header list, a whole YAML or JSON file, a folder's files).
  public var format: DocumentFormat
  /// The file holding the body (`text`, `body`): `path`, except for a folder document, whose
  /// `path` is its metadata file and whose body is its body file (`keps/x/1234-y/README.md`).
  public var bodyPath: String

  public init(
    path: String, kind: String? = nil, text: String, frontMatter: FrontMatter?, bodyStartLine: Int,
    body: MarkdownTree, diagnostics: [Diagnostic], blobID: String? = nil, format: DocumentFormat = .frontMatter
  ) {
    self.format = format
    self.bodyPath = path
    self.path = path
    self.kind = kind
    self.text = text
    self.frontMatter = frontMatter
    self.bodyStartLine = bodyStartLine
    self.body = body
    self.diagnostics = diagnostics
    self.blobID = blobID
  }

  /// A front-matter field as a string, if it is one.
  public func field(_ name: String) -> String? {
    if case .object(let object)? = frontMatter?.value, case .string(let value)? = object[name] { return value }
    return nil
  }

  /// Position of a front-matter field's key, for findings about the field.
  public func position(ofField name: String) -> SourcePosition? {
    let pointer = "/" + JSONValue.escapePointerToken(name)
    return frontMatter?.content.sourceMap.keys[pointer] ?? frontMatter?.content.sourceMap.values[pointer]
  }
}
