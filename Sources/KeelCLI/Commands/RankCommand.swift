import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel rank`: the ranked backlog of a kind by one of its scores (`kinds.<k>.scores`).
struct RankCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rank",
    abstract: "Rank the documents of a kind by a score (RICE, WSJF), highest first.",
    discussion: """
      Scores are declared per kind in keel.yaml (kinds.<kind>.scores). Equal scores are ordered by id. \
      By default the documents in the workflow's states that are not final are ranked; documents whose \
      score cannot be computed are listed after the ranking. --diff A..B shows who moved up or down \
      between two revisions, and which inputs changed (A.. compares with HEAD).
      """
  )

  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions

  @Option(help: ArgumentHelp("The kind to rank (default: the one kind with scores).", valueName: "kind"))
  var kind: String?

  @Option(help: ArgumentHelp("The score to rank by (default: the kind's first).", valueName: "score"))
  var by: String?

  @Option(
    help: ArgumentHelp(
      "Only documents in these states, comma-separated (default: the states that are not final).",
      valueName: "states"))
  var state: String?

  @Option(help: ArgumentHelp("Rank the documents as they are in this revision.", valueName: "rev"))
  var rev: String?

  @Option(help: ArgumentHelp("Who moved up or down between two revisions, and why.", valueName: "A..B"))
  var diff: String?

  @Option(help: "Output format: text, markdown, json or csv (default: from --output's extension, else text).")
  var format: Ranking.Format?

  @OptionGroup var destination: OutputOption

  @Flag(help: "CSV only: put an apostrophe before values a spreadsheet would run as a formula.")
  var spreadsheetSafe = false

  func validate() throws {
    if diff != nil && rev != nil { throw ValidationError("--diff names its own revisions; drop --rev") }
    if let diff, RACIExportView.diff(diff) == nil {
      throw ValidationError("--diff takes two revisions, A..B (or A.. for A..HEAD)")
    }
  }

  func run() throws {
    var request = RankRequest(directory: global.workingDirectory, configurationFile: config.file)
    request.kind = kind
    request.score = by
    request.states = state.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    request.revision = rev
    if let diff, case .diff(let from, let to)? = RACIExportView.diff(diff) { request.diff = (from, to) }
    request.format = format
    request.output = destination.output
    request.spreadsheetSafe = spreadsheetSafe
    try Engine.rank(request)
  }
}
