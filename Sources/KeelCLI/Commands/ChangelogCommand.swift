import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel changelog`: the documents changed between two revisions, grouped by kind and state change.
struct ChangelogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "changelog",
    abstract: "List the documents changed in a range of commits, grouped by kind and state transition.",
    discussion: """
      The range is the commits reachable from --until (default HEAD) and not from --since (default: \
      none, the whole history), as 'git log SINCE..UNTIL'. Each document is listed once, with the \
      state it had before the range and at its end, and the commits that changed it.
      """
  )

  @OptionGroup var options: HistoryOptions

  @Option(help: ArgumentHelp("Start after this revision (a tag, a branch, a commit).", valueName: "rev"))
  var since: String?

  @Option(help: ArgumentHelp("End at this revision.", valueName: "rev"))
  var until: String = "HEAD"

  @Option(help: "Output format: markdown or json (default: from --output's extension, else markdown).")
  var format: ChangelogReport.Format?

  @OptionGroup var destination: OutputOption

  func run() throws {
    try Engine.changelog(
      options.request(output: destination.output),
      since: since, until: until, format: format)
  }
}
