import Foundation

/// The files `keel init` writes, taken from the copies shipped in the binary.
public enum Scaffold {
  /// Path in the new repository → contents. Keel's own schemas (keel.yaml,
  /// workflow, RACI, people, glossary) are not copied: keel validates those
  /// files with its built-in copies.
  public static var files: [String: String] {
    var result: [String: String] = [:]
    for (path, text) in EmbeddedDefaults.files {
      if path.hasPrefix("scaffold/") {
        result[String(path.dropFirst("scaffold/".count))] = text
      } else if path.hasPrefix("templates/") || path.hasPrefix("workflows/") {
        result[path] = text
      } else if path.hasPrefix("schemas/"), !path.hasSuffix(".schema.json") {
        result[path] = text
      }
    }
    return result
  }

  /// Writes the scaffold into `directory`. Refuses (writing nothing) when any
  /// of the files already exists, or when one would be written through a
  /// symbolic link (a dangling `people.yaml` link, a linked `schemas/` folder).
  /// Returns the paths written, sorted.
  @discardableResult
  public static func write(into directory: URL, dryRun: Bool = false) throws -> [String] {
    let files = files
    let policy = PathPolicy(root: directory)
    let paths = files.keys.sorted()
    let existing = try paths.filter { try policy.exists($0) }
    if !existing.isEmpty {
      throw KeelError(
        "refusing to overwrite existing files: \(existing.joined(separator: ", "))", path: directory.path)
    }
    guard !dryRun else { return paths }
    for path in paths {
      try policy.write(Data(files[path]!.utf8), to: path, replacing: false)
    }
    return paths
  }
}
