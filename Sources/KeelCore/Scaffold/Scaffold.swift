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

  /// Scaffold files that are examples (a spec, a RACI matrix) rather than
  /// configuration: `keel init --existing` leaves them out, since a repository
  /// being adopted has its own documents and matrices (and the example matrix
  /// names the example people, who may not be its people).
  public static func isExample(_ path: String) -> Bool {
    path.hasPrefix("specs/") || path.hasPrefix("raci/")
  }

  /// What `write` did (or, with `dryRun`, would do), each list sorted.
  public struct Outcome: Sendable, Equatable {
    /// Files written.
    public var written: [String] = []
    /// Files that exist already, left as they are (`existing` only).
    public var kept: [String] = []
    /// Example files not written because the repository exists (`existing` only).
    public var skippedExamples: [String] = []
  }

  /// Writes the scaffold into `directory`, every file through `PathPolicy` (never
  /// through a symbolic link: a dangling `people.yaml` link or a linked
  /// `schemas/` folder is refused before anything is written).
  ///
  /// A new repository (`existing: false`) gets every file, and nothing is
  /// written when any of them exists already. An existing one (`existing:
  /// true`) gets only the configuration files that are missing: files that
  /// exist are kept as they are and listed, examples are left out. A file that
  /// appears between the check and the write is not replaced either (the write
  /// fails instead).
  @discardableResult
  public static func write(into directory: URL, dryRun: Bool = false, existing: Bool = false) throws -> Outcome {
    let files = files
    let policy = PathPolicy(root: directory)
    var outcome = Outcome()
    var missing: [String] = []
    for path in files.keys.sorted() {
      if existing && isExample(path) {
        outcome.skippedExamples.append(path)
      } else if try policy.exists(path) {
        outcome.kept.append(path)
      } else {
        missing.append(path)
      }
    }
    if !existing && !outcome.kept.isEmpty {
      throw KeelError(
        "refusing to overwrite existing files: \(outcome.kept.joined(separator: ", ")) "
          + "('keel init --existing' writes only the missing ones)", path: directory.path)
    }
    outcome.written = missing
    guard !dryRun else { return outcome }
    for path in missing {
      try policy.write(Data(files[path]!.utf8), to: path, replacing: false)
    }
    return outcome
  }
}
