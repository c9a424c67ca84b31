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

/// `-C DIR` and `--config FILE`: where keel runs and which keel.yaml it reads, on every command
/// that reads a keel repository's documents (`check`, `graph`, `rank`, `export`, `history`,
/// `changelog`, `metrics`).
struct RepositoryOptions: ParsableArguments {
  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions

  var directory: URL { global.workingDirectory }
  var configurationFile: String? { config.file }
}

/// `--rev REV`, on the commands that read the documents of the working tree or of one revision
/// (`check`, `graph`, `rank`).
struct RevisionOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Read the documents as they are in this revision (tag, branch, SHA) instead of the working tree.",
      valueName: "rev"))
  var rev: String?
}

/// What `history`, `changelog` and `metrics` share: `-C`, `--config` and `--no-cache`.
struct HistoryOptions: ParsableArguments {
  @OptionGroup var repository: RepositoryOptions

  @Flag(name: .customLong("no-cache"), help: "Do not read or update the history cache under the Git directory.")
  var noCache = false

  func request(output: String? = nil) -> HistoryRequest {
    HistoryRequest(
      directory: repository.directory, configurationFile: repository.configurationFile, useCache: !noCache,
      output: output)
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

/// `--format` and `--output FILE`, on the commands that write a report or an export (`check`,
/// `changelog`, `metrics`, `rank`, `graph`, `export`). The formats and the one used when neither
/// option names one come from the format type (`FileFormat.fallback`), so the help says what runs.
struct OutputOptions<Format: FileFormat & ExpressibleByArgument>: ParsableArguments {
  @Option(help: ArgumentHelp(Self.formatHelp, valueName: "format"))
  var format: Format?

  @Option(help: ArgumentHelp("Write the result to this file (atomically) instead of stdout.", valueName: "file"))
  var output: String?

  static var formatHelp: String {
    let names = Format.allCases.map(\.rawValue)
    let list = names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    return "Output format: \(list) (default: from --output's extension, else \(Format.fallback.rawValue))."
  }
}

/// `--diff A..B` (`A..` for A..HEAD), on the commands that compare two revisions (`rank`,
/// `export raci`).
struct RevisionRangeOption: ParsableArguments {
  @Option(help: ArgumentHelp("Compare two revisions (A.. compares with HEAD).", valueName: "A..B"))
  var diff: String?

  /// The two revisions; nil without `--diff` (`validate` refuses a malformed one).
  var range: (from: String, to: String)? {
    guard let diff, case .diff(let from, let to)? = RACIExportView.diff(diff) else { return nil }
    return (from, to)
  }

  /// `--diff` names its own revisions: `option` (given when `value` is not nil) cannot go with it.
  func validate(excluding option: String, _ value: String?) throws {
    guard diff != nil else { return }
    if value != nil { throw ValidationError("--diff names its own revisions; drop \(option)") }
    if range == nil { throw ValidationError("--diff takes two revisions, A..B (or A.. for A..HEAD)") }
  }
}

/// `--spreadsheet-safe`, on the commands that write CSV (`rank`, `export`).
struct SpreadsheetSafeFlag: ParsableArguments {
  @Flag(
    help: """
      CSV only: put an apostrophe before values a spreadsheet would run as a formula (starting with \
      =, +, -, @, a tab or a carriage return).
      """)
  var spreadsheetSafe = false
}
