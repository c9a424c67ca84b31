import JSONSchema

/// `config/unreadable-documents`: the files a kind includes that keel cannot read as Markdown,
/// YAML or JSON (`.rst`, `.txt`): one warning per kind, at its `include`, naming them. They are
/// not checked, rather than read as Markdown and misunderstood.
enum UnreadableDocuments {
  /// How many paths a warning names before it says how many more there are.
  static let named = 5

  static func diagnostics(_ files: [(path: String, kind: KindConfig)], config: KeelConfig) -> [Diagnostic] {
    var byKind: [String: [String]] = [:]
    for file in files { byKind[file.kind.name, default: []].append(file.path) }
    return config.kinds.compactMap { kind in
      guard let paths = byKind[kind.name]?.sorted() else { return nil }
      let pointer = "/kinds/\(JSONValue.escapePointerToken(kind.name))/include"
      var list = paths.prefix(named).joined(separator: ", ")
      if paths.count > named { list += " and \(paths.count - named) more" }
      return ReaderRules.unreadableDocuments.finding(
        "kind '\(kind.name)' includes \(paths.count == 1 ? "a file" : "\(paths.count) files") keel cannot read "
          + "as Markdown, YAML or JSON, not checked: \(list); narrow its include patterns",
        path: KeelConfig.fileName, at: config.source.sourceMap.values[pointer] ?? SourcePosition(line: 1, column: 1))
    }
  }
}
