import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel history PATH`: the commits that changed one file, with its workflow state and the
/// front-matter fields and sections each commit changed.
struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "Show the history of one document: commits, state changes, fields and sections changed.",
    discussion: """
      Lists the commits that changed PATH, newest first, following renames (as 'git log --follow' \
      does, except that copies are not followed). Merge commits are not listed: each change appears \
      once, at the commit that made it; --all-parents also lists merges, against each parent. Works \
      on any file of any repository; states are shown when keel.yaml gives the file a kind. On a \
      shallow clone the history stops at the clone's boundary and says so.
      """
  )

  @OptionGroup var options: HistoryOptions

  @Argument(help: "The file, relative to the current directory (or to the repository, in a bare one).")
  var path: String

  @Option(help: ArgumentHelp("Start from this revision instead of HEAD.", valueName: "rev"))
  var rev: String = "HEAD"

  @Option(
    help: ArgumentHelp("Only commits authored on or after this date (YYYY-MM-DD or ISO-8601).", valueName: "date"))
  var since: String?

  @Flag(help: "Oldest first.")
  var reverse = false

  @Flag(name: .customLong("all-parents"), help: "Also list merge commits, against each parent the file differs from.")
  var allParents = false

  @Option(help: "Output format: text, json or markdown.")
  var format: DocumentHistoryReport.Format = .text

  func run() throws {
    try Engine.history(
      options.request(),
      path: path, revision: rev, since: try since.map { try HistoryDates.parseArgument($0, option: "--since") },
      reverse: reverse, allParents: allParents, format: format)
  }
}
