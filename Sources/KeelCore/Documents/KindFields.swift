import Foundation

/// The fields of every document of some kinds, without their bodies: what `keel rank`,
/// `keel export kpis` and `keel graph` read (ids, titles, states, scores' inputs, references). A
/// Markdown file is cut after its front matter before it is parsed, so its body costs nothing; a
/// folder document is its metadata file.
public enum KindFields {
  /// The documents of `kinds` in `snapshot` (every path of it, in path order), parsed for their
  /// fields only; a document keel cannot read has no fields (its `diagnostics` say why).
  public static func read(
    kinds: Set<String>, config: KeelConfig, snapshot: Snapshot, limits: ParseLimits = .default
  ) throws -> [Document] {
    let paths = try snapshot.paths()
    // Matching every path against every kind's globs is worth both cores, as in a check.
    let selected = zip(paths, paths.parallelMap { config.kind(for: $0) }).compactMap {
      path, kind -> (path: String, kind: KindConfig)? in
      guard let kind, kinds.contains(kind.name), DocumentFormat(path: path) != nil else { return nil }
      return (path, kind)
    }
    return try read(selected, snapshot: snapshot, limits: limits)
  }

  /// The documents `selected` names (a path and its kind each), in that order, parsed for their
  /// fields only.
  public static func read(
    _ selected: [(path: String, kind: KindConfig)], snapshot: Snapshot, limits: ParseLimits = .default
  ) throws -> [Document] {
    let parse: @Sendable ((path: String, kind: KindConfig), DocumentParser.Content) -> Document = { entry, content in
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
        Result { parse(entry, try DocumentParser.content(of: entry.path, in: snapshot, limits: limits)) }
      }.map { try $0.get() }
    }
    // libgit2-backed snapshots are read serially, then parsed in parallel.
    let contents = try selected.map { try DocumentParser.content(of: $0.path, in: snapshot, limits: limits) }
    return Array(zip(selected, contents)).parallelMap { parse($0.0, $0.1) }
  }
}
