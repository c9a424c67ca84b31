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
  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions

  @Option(help: ArgumentHelp("Export the files as they are in this revision (tag, branch, SHA).", valueName: "rev"))
  var at: String?

  @Option(
    help: ArgumentHelp(
      "Output format: csv, markdown, json or html (default: from --output's extension, else markdown).",
      valueName: "format"))
  var format: ExportFormat?

  @Option(help: ArgumentHelp("Write the export to this file (atomically) instead of stdout.", valueName: "file"))
  var output: String?

  @Flag(
    help: """
      CSV only: put an apostrophe before values a spreadsheet would run as a formula (starting with \
      =, +, -, @, a tab or a carriage return).
      """)
  var spreadsheetSafe = false

  var request: ExportRequest {
    var request = ExportRequest(directory: global.workingDirectory, configurationFile: config.file)
    request.revision = at
    request.format = format
    request.output = output
    request.spreadsheetSafe = spreadsheetSafe
    return request
  }

  mutating func validate() throws {
    if spreadsheetSafe, try request.resolvedFormat() != .csv {
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

  @Option(help: ArgumentHelp("Who gained or lost which role between two revisions.", valueName: "A..B"))
  var diff: String?

  func validate() throws {
    if diff != nil && options.at != nil { throw ValidationError("--diff names its own revisions; drop --at") }
    if diff != nil && byPerson { throw ValidationError("use either --diff or --by-person") }
    if let diff, RACIExportView.diff(diff) == nil {
      throw ValidationError("--diff takes two revisions, A..B (or A.. for A..HEAD)")
    }
  }

  func run() throws {
    try Engine.exportRACI(
      options.request, view: diff.flatMap(RACIExportView.diff) ?? (byPerson ? .byPerson : .matrices))
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
