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
      none, the whole history), as 'git log SINCE..UNTIL'; a date (YYYY-MM-DD or ISO-8601) instead keeps \
      the commits authored on or after (--since) or on or before (--until) it. Each document is listed once, with the \
      state it had before the range and at its end, and the commits that changed it.
      """
  )

  @OptionGroup var options: HistoryOptions

  @Option(
    help: ArgumentHelp(
      "Start after this revision (a tag, a branch, a commit), or at this date (YYYY-MM-DD or ISO-8601).",
      valueName: "rev|date"))
  var since: String?

  @Option(help: ArgumentHelp("End at this revision, or at this date (HEAD's commits up to it).", valueName: "rev|date"))
  var until: String = "HEAD"

  @OptionGroup var result: OutputOptions<ChangelogReport.Format>

  func run() throws {
    try Engine.changelog(
      options.request(output: result.output),
      since: since, until: until, format: result.format)
  }
}
