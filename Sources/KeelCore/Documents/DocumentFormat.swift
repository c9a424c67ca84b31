import Foundation

/// How a kind's Markdown documents write their fields (`header:` in keel.yaml).
public enum HeaderStyle: String, Sendable, Hashable, CaseIterable {
  /// YAML front matter between `---` lines (the default).
  case yaml
  /// A leading Markdown list of `- Key: value` lines (RFC processes).
  case list
}

/// Where a document's fields are, and whether it has a Markdown body: decided by the file's
/// extension and, for Markdown, by its kind's `header:`.
public enum DocumentFormat: Sendable, Hashable {
  /// Markdown with YAML front matter.
  case frontMatter
  /// Markdown opening with a `- Key: value` list.
  case headerList
  /// A YAML file: the whole file is the fields; no body.
  case yaml
  /// A JSON file: the whole file is the fields; no body.
  case json
  /// A folder: the fields are its metadata file, the body its Markdown body file (`DocumentFiles`).
  case folder

  /// Extensions of the files keel reads as Markdown.
  public static let markdownExtensions = [".md", ".markdown", ".mdx"]
  public static let yamlExtensions = [".yaml", ".yml"]
  public static let jsonExtensions = [".json"]

  /// The format of the file at `path`; nil for a file keel cannot read as Markdown, YAML or JSON
  /// (`.rst`, `.txt`, no extension).
  public init?(path: String, header: HeaderStyle = .yaml) {
    let lowered = path.lowercased()
    if Self.markdownExtensions.contains(where: { lowered.hasSuffix($0) }) {
      self = header == .list ? .headerList : .frontMatter
    } else if Self.yamlExtensions.contains(where: { lowered.hasSuffix($0) }) {
      self = .yaml
    } else if Self.jsonExtensions.contains(where: { lowered.hasSuffix($0) }) {
      self = .json
    } else {
      return nil
    }
  }

  /// The format used where the extension says nothing: front matter, as keel always read them.
  public static func of(path: String, header: HeaderStyle = .yaml) -> DocumentFormat {
    DocumentFormat(path: path, header: header) ?? (header == .list ? .headerList : .frontMatter)
  }

  /// A YAML or JSON file: its fields are the whole file, and template and body rules do not apply.
  public var isData: Bool { self == .yaml || self == .json }

  /// What the fields are called in messages.
  public var fieldsName: String {
    switch self {
    case .frontMatter: "front matter"
    case .headerList: "header list"
    case .yaml: "YAML document"
    case .json: "JSON document"
    case .folder: "metadata file"
    }
  }

  /// One character naming the format in the history's scalar cache (0 for front matter).
  var cacheTag: UInt8 {
    switch self {
    case .frontMatter: 0
    case .headerList: UInt8(ascii: "l")
    case .yaml: UInt8(ascii: "y")
    case .json: UInt8(ascii: "j")
    case .folder: UInt8(ascii: "f")
    }
  }

  init?(cacheTag: UInt8) {
    switch cacheTag {
    case 0: self = .frontMatter
    case UInt8(ascii: "l"): self = .headerList
    case UInt8(ascii: "y"): self = .yaml
    case UInt8(ascii: "j"): self = .json
    case UInt8(ascii: "f"): self = .folder
    default: return nil
    }
  }
}

extension KindConfig {
  /// The format of a document of this kind at `path`.
  public func format(of path: String) -> DocumentFormat { DocumentFormat.of(path: path, header: header) }
}
