import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel export raci|glossary`: snapshots of the RACI matrices and the glossary
/// as CSV, Markdown, JSON or a self-contained HTML page, as of any revision.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export the RACI matrices, the glossary or the KPI catalogue as CSV, Markdown, JSON or HTML.",
    discussion: """
      --at REV reads the files straight from Git objects (no checkout; works in a bare clone); \
      without it the working tree is read.
      """,
    subcommands: [ExportRACICommand.self, ExportGlossaryCommand.self, ExportKPIsCommand.self]
  )
}

/// Options both exports take.
struct ExportOptions: ParsableArguments {
  @OptionGroup var repository: RepositoryOptions

  @Option(help: ArgumentHelp("Export the files as they are in this revision (tag, branch, SHA).", valueName: "rev"))
  var at: String?

  @OptionGroup var result: OutputOptions<ExportFormat>
  @OptionGroup var csv: SpreadsheetSafeFlag

  var request: ExportRequest {
    var request = ExportRequest(directory: repository.directory, configurationFile: repository.configurationFile)
    request.revision = at
    request.format = result.format
    request.output = result.output
    request.spreadsheetSafe = csv.spreadsheetSafe
    return request
  }

  mutating func validate() throws {
    if csv.spreadsheetSafe, try request.resolvedFormat() != .csv {
      throw ValidationError("--spreadsheet-safe goes with --format csv")
    }
  }
}

struct ExportRACICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "raci",
    abstract: "Export every RACI matrix (rows: activities; columns: people and teams).",
    discussion: """
      --by-person lists, for each person, what they are R, A, C or I for (teams expanded to their members). \
      --diff A..B lists who gained or lost which letter on which activity between two revisions \
      (A.. compares with HEAD).
      """
  )

  @OptionGroup var options: ExportOptions

  @Flag(help: "For each person, what they are R, A, C or I for.")
  var byPerson = false

  /// Who gained or lost which role between two revisions.
  @OptionGroup var revisions: RevisionRangeOption

  func validate() throws {
    try revisions.validate(excluding: "--at", options.at)
    if revisions.diff != nil && byPerson { throw ValidationError("use either --diff or --by-person") }
  }

  func run() throws {
    let view: RACIExportView =
      if let (from, to) = revisions.range { .diff(from: from, to: to) } else { byPerson ? .byPerson : .matrices }
    try Engine.exportRACI(options.request, view: view)
  }
}

struct ExportGlossaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "glossary",
    abstract: "Export the glossary, alphabetically, with aliases, avoided words and cross-links."
  )

  @OptionGroup var options: ExportOptions

  func run() throws {
    try Engine.exportGlossary(options.request)
  }
}

struct ExportKPIsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kpis",
    abstract: "Export the KPI catalogue, the North Star first, with the specs that target each KPI."
  )

  @OptionGroup var options: ExportOptions

  func run() throws {
    try Engine.exportKPIs(options.request)
  }
}
