import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

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

/// What `history`, `changelog` and `metrics` share: `-C`, `--config` and `--no-cache`.
struct HistoryOptions: ParsableArguments {
  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions

  @Flag(name: .customLong("no-cache"), help: "Do not read or update the history cache under the Git directory.")
  var noCache = false

  func request(output: String? = nil) -> HistoryRequest {
    HistoryRequest(
      directory: global.workingDirectory, configurationFile: config.file, useCache: !noCache, output: output)
  }
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

/// `--color auto|always|never`, on the commands that print findings as text (`check`, `transition`).
struct ColourOption: ParsableArguments {
  @Option(
    name: .customLong("color"),
    help: ArgumentHelp(
      "Colour the text output: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always or never.",
      valueName: "when"))
  var choice: ColourChoice = .auto
}

/// `--output FILE`: where `check`, `changelog` and `metrics` write their result instead of stdout.
struct OutputOption: ParsableArguments {
  @Option(help: ArgumentHelp("Write the result to this file (atomically) instead of stdout.", valueName: "file"))
  var output: String?
}
