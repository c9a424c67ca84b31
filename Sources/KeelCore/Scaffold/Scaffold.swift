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
  /// of the files already exists. Returns the paths written, sorted.
  @discardableResult
  public static func write(into directory: URL, dryRun: Bool = false) throws -> [String] {
    let files = files
    let manager = FileManager.default
    let existing = files.keys.filter { manager.fileExists(atPath: directory.appendingPathComponent($0).path) }.sorted()
    if !existing.isEmpty {
      throw KeelError(
        "refusing to overwrite existing files: \(existing.joined(separator: ", "))", path: directory.path)
    }
    guard !dryRun else { return files.keys.sorted() }
    for path in files.keys.sorted() {
      let url = directory.appendingPathComponent(path)
      try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try AtomicFile.write(Data(files[path]!.utf8), to: url)
    }
    return files.keys.sorted()
  }
}
