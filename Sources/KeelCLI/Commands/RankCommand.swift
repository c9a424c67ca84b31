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

  @OptionGroup var repository: RepositoryOptions

  @Option(help: ArgumentHelp("The kind to rank (default: the one kind with scores).", valueName: "kind"))
  var kind: String?

  @Option(help: ArgumentHelp("The score to rank by (default: the kind's first).", valueName: "score"))
  var by: String?

  @Option(
    help: ArgumentHelp(
      "Only documents in these states, comma-separated (default: the states that are not final).",
      valueName: "states"))
  var state: String?

  @OptionGroup var revision: RevisionOption

  /// Who moved up or down between two revisions, and why.
  @OptionGroup var revisions: RevisionRangeOption
  @OptionGroup var result: OutputOptions<Ranking.Format>
  @OptionGroup var csv: SpreadsheetSafeFlag

  func validate() throws {
    try revisions.validate(excluding: "--rev", revision.rev)
  }

  func run() throws {
    var request = RankRequest(directory: repository.directory, configurationFile: repository.configurationFile)
    request.kind = kind
    request.score = by
    request.states = state.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    request.revision = revision.rev
    request.diff = revisions.range
    request.format = result.format
    request.output = result.output
    request.spreadsheetSafe = csv.spreadsheetSafe
    try Engine.rank(request)
  }
}
