import ArgumentParser
import Foundation

/// Options every command takes.
public struct GlobalOptions: ParsableArguments {
  @Option(name: .customShort("C"), help: ArgumentHelp("Run as if keel was started in <dir>.", valueName: "dir"))
  public var directory: String?

  public init() {}

  /// The directory to work in, absolute.
  public var workingDirectory: URL {
    let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    guard let directory else { return current }
    return URL(fileURLWithPath: directory, isDirectory: true, relativeTo: current).standardizedFileURL
  }
}

/// The cache option shared by `history`, `changelog` and `metrics`.
public struct HistoryCacheOptions: ParsableArguments {
  @Flag(name: .customLong("no-cache"), help: "Do not read or update the history cache under the Git directory.")
  public var noCache = false

  public init() {}
}

/// `--config FILE`, on every command that reads a revision (`check`, `history`, `changelog`,
/// `metrics`, `export`): read every snapshot with this keel.yaml.
public struct ConfigOptions: ParsableArguments {
  @Option(
    name: .customLong("config"),
    help: ArgumentHelp(
      "Read every revision with this keel.yaml (and the schemas, templates and workflows it names, from its folder).",
      valueName: "file"))
  public var file: String?

  public init() {}
}
