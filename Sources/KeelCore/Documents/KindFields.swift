import Foundation

/// The fields of every document of some kinds, without their bodies: what `keel rank` and
/// `keel export kpis` read (ids, titles, states, scores' inputs, KPI references). A Markdown file
/// is cut after its front matter before it is parsed, so its body costs nothing; a folder
/// document is its metadata file.
public enum KindFields {
  /// The documents of `kinds` in `snapshot` (every path of it, in path order), parsed for their
  /// fields only; a document keel cannot read has no fields (its `diagnostics` say why).
  public static func read(
    kinds: Set<String>, config: KeelConfig, snapshot: Snapshot, limits: ParseLimits = .default
  ) throws -> [Document] {
    let selected = try snapshot.paths().compactMap { path -> (String, KindConfig)? in
      guard let kind = config.kind(for: path), kinds.contains(kind.name), DocumentFormat(path: path) != nil else {
        return nil
      }
      return (path, kind)
    }
    let parse: @Sendable ((String, KindConfig), DocumentParser.Content) -> Document = { entry, content in
      let (path, kind) = entry
      let format = kind.format(of: path)
      var content = content
      if format == .frontMatter, case .bytes(let data) = content {
        let end = data.withUnsafeBytes { raw in
          FrontMatterScalars.frontMatterEnd(raw.bindMemory(to: UInt8.self))
        }
        if let end { content = .bytes(data.prefix(end)) }
      }
      return DocumentParser.parse(path: path, content: content, kind: kind, limits: limits)
    }
    if snapshot.supportsConcurrentReads {
      return try selected.parallelMap { entry in
        Result { parse(entry, try DocumentParser.content(of: entry.0, in: snapshot, limits: limits)) }
      }.map { try $0.get() }
    }
    // libgit2-backed snapshots are read serially, then parsed in parallel.
    let contents = try selected.map { try DocumentParser.content(of: $0.0, in: snapshot, limits: limits) }
    return Array(zip(selected, contents)).parallelMap { parse($0.0, $0.1) }
  }
}
