import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel check`: validate documents of the working tree, the index or a revision.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check documents against their schemas, templates and workflows.",
    discussion: """
      By default the working tree is checked. --staged checks the staged content of the documents \
      the next commit changes (the pre-commit case); add --all to check every staged document. \
      --rev checks a commit's tree without a checkout (also in a bare repository). \
      --base/--head checks what a pull request changes.
      """
  )

  @OptionGroup var repository: RepositoryOptions

  @Argument(help: "Report only on documents under these paths.")
  var paths: [String] = []

  @Flag(help: "Check the staged content (the index) instead of the working tree.")
  var staged = false

  @Flag(help: "With --staged: check every staged document, not only the changed ones.")
  var all = false

  @OptionGroup var revision: RevisionOption

  @Option(help: ArgumentHelp("Review mode: check what changed since this revision.", valueName: "rev"))
  var base: String?

  @Option(help: ArgumentHelp("Review mode: the revision under review (default: the working tree).", valueName: "rev"))
  var head: String?

  @Flag(help: "Do not read the Git history (skips the workflow/stale warnings; faster on long histories).")
  var noHistory = false

  @Option(
    help: ArgumentHelp(
      "Measure workflow/stale ages at this moment instead of now, or with --rev the revision's date (YYYY-MM-DD or ISO-8601, 1970-9999).",
      valueName: "date"))
  var now: String?

  @OptionGroup var result: OutputOptions<OutputFormat>
  @OptionGroup var colour: ColourOption

  @Option(
    help: ArgumentHelp(
      "Exit 1 when a finding at or above this severity remains after suppressions and the baseline: "
        + "error (default), warning or note.", valueName: "severity"))
  var failOn: Severity = .error

  @Flag(help: "Ignore \(Baseline.fileName): report and count every finding.")
  var noBaseline = false

  func validate() throws {
    let sources = [staged, revision.rev != nil, base != nil].filter { $0 }.count
    if sources > 1 { throw ValidationError("use only one of --staged, --rev and --base") }
    if head != nil && base == nil { throw ValidationError("--head needs --base") }
    if all && !staged { throw ValidationError("--all goes with --staged") }
  }

  func run() throws {
    var request = CheckRequest(directory: repository.directory, configurationFile: repository.configurationFile)
    request.selection =
      if staged { .staged(all: all) } else if let rev = revision.rev { .revision(rev) } else if let base {
        .review(base: base, head: head)
      } else { .workingTree }
    request.paths = paths
    request.readsHistory = !noHistory
    request.now = try now.map { try HistoryDates.parseArgument($0, option: "--now") }
    request.format = result.format
    request.output = result.output
    request.colour = colour.choice
    request.failOn = failOn
    request.usesBaseline = !noBaseline
    try Engine.check(request)
  }
}
