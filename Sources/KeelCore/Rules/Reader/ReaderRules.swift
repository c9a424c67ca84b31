/// The findings the readers themselves produce (`parse/*`, `config/*`, `document/incomplete-folder`):
/// no rule type runs them, but each has its descriptor here, and a reader reports through it
/// (`ReaderRules.empty.finding(…)`), so every id keel emits is one the catalogue lists.
public enum ReaderRules {
  public static let yaml = RuleDescriptor(id: "parse/yaml", summary: "The YAML is malformed.")
  public static let json = RuleDescriptor(id: "parse/json", summary: "The JSON is malformed.")
  public static let duplicateKey = RuleDescriptor(
    id: "parse/duplicate-key", summary: "A mapping has the same key twice.")
  public static let headerList = RuleDescriptor(
    id: "parse/header-list", summary: "An item of a `header: list` document's list is not `- Key: value`.")
  public static let encoding = RuleDescriptor(id: "parse/encoding", summary: "The file is not valid UTF-8.")
  public static let binary = RuleDescriptor(id: "parse/binary", summary: "The file is binary, not text.")
  public static let tooLarge = RuleDescriptor(
    id: "parse/too-large", summary: "The file is larger than the size limit.")
  public static let tooDeep = RuleDescriptor(
    id: "parse/too-deep", summary: "The YAML is nested deeper than the limit.")
  public static let tooComplex = RuleDescriptor(
    id: "parse/too-complex",
    summary:
      "A Markdown table has more columns than `limits.max-table-columns`, or a body more nodes than "
      + "`limits.max-markdown-nodes`.")
  public static let aliasBomb = RuleDescriptor(
    id: "parse/alias-bomb", summary: "YAML aliases expand to more nodes than the limit.")
  public static let empty = RuleDescriptor(id: "parse/empty", summary: "The file is empty.")
  public static let conflictMarker = RuleDescriptor(
    id: "parse/conflict-marker", summary: "The file contains a merge-conflict marker.")
  public static let frontMatterUnterminated = RuleDescriptor(
    id: "parse/front-matter-unterminated", summary: "The front matter has no closing `---`.")
  public static let multipleDocuments = RuleDescriptor(
    id: "parse/multiple-documents", summary: "A YAML file holds more than one document.")
  public static let unknownTag = RuleDescriptor(
    id: "parse/unknown-tag", summary: "A YAML value carries a tag other than the core schema's (`!!python/object`).",
    defaultSeverity: .warning)
  public static let incompleteFolder = RuleDescriptor(
    id: "document/incomplete-folder", summary: "A folder document has no metadata file or no body file.")
  public static let missingFile = RuleDescriptor(
    id: "config/missing-file", summary: "A file named by keel.yaml does not exist.")
  public static let configSchema = RuleDescriptor(
    id: "config/schema", summary: "A Keel file does not match its schema.")
  public static let unreadableDocuments = RuleDescriptor(
    id: "config/unreadable-documents", summary: "A kind includes files keel cannot read as Markdown, YAML or JSON.",
    defaultSeverity: .warning)

  /// All of them, as `keel rules` lists them.
  public static let all: [RuleDescriptor] = [
    yaml, json, duplicateKey, headerList, encoding, binary, tooLarge, tooDeep, tooComplex, aliasBomb, empty,
    conflictMarker, frontMatterUnterminated, multipleDocuments, unknownTag, incompleteFolder, missingFile,
    configSchema, unreadableDocuments,
  ]

  /// A file keel could not read as text: the body rules have nothing to look at.
  static let unreadable: Set<String> = [binary.id, tooLarge.id, encoding.id]
}
