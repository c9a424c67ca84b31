import ArgumentParser
import Foundation
import KeelCore
import KeelGit

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

  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions

  @Argument(help: "Report only on documents under these paths.")
  var paths: [String] = []

  @Flag(help: "Check the staged content (the index) instead of the working tree.")
  var staged = false

  @Flag(help: "With --staged: check every staged document, not only the changed ones.")
  var all = false

  @Option(help: ArgumentHelp("Check the documents as they are in this revision.", valueName: "rev"))
  var rev: String?

  @Option(help: ArgumentHelp("Review mode: check what changed since this revision.", valueName: "rev"))
  var base: String?

  @Option(help: ArgumentHelp("Review mode: the revision under review (default: the working tree).", valueName: "rev"))
  var head: String?

  @Flag(help: "Do not read the Git history (skips the workflow/stale warnings; faster on long histories).")
  var noHistory = false

  @Option(
    help: ArgumentHelp(
      "Measure workflow/stale ages at this moment instead of now (YYYY-MM-DD or ISO-8601, 1970-9999).",
      valueName: "date"))
  var now: String?

  @Option(help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: OutputFormat = .text

  @Option(help: ArgumentHelp("Write the report to this file (atomically) instead of stdout.", valueName: "file"))
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Exit 1 when a finding at or above this severity remains after suppressions and the baseline: "
        + "error (default), warning or note.", valueName: "severity"))
  var failOn: Severity = .error

  @Flag(help: "Ignore \(Baseline.fileName): report and count every finding.")
  var noBaseline = false

  func validate() throws {
    let sources = [staged, rev != nil, base != nil].filter { $0 }.count
    if sources > 1 { throw ValidationError("use only one of --staged, --rev and --base") }
    if head != nil && base == nil { throw ValidationError("--head needs --base") }
    if all && !staged { throw ValidationError("--all goes with --staged") }
  }

  func run() throws {
    let nowDate = try now.map { try HistoryDates.parseArgument($0, option: "--now") } ?? Date()
    let workspace = try Workspace(directory: global.workingDirectory, configurationFile: config.file)
    let selection = try DocumentSelection.resolve(
      workspace: workspace, staged: staged, all: all, rev: rev, base: base, head: head)
    // workflow/stale needs the history (cached under .git/keel after the first walk). The
    // pre-commit check (--staged) and review mode (--base), which judge a change, skip it.
    let result = try Self.check(
      selection, workspace: workspace, history: !staged && base == nil && !noHistory ? rev ?? "HEAD" : nil,
      now: nowDate)

    let filters = try reportFilters(workspace: workspace)
    let inScope: (String) -> Bool = { path in
      filters.isEmpty || filters.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }
    let diagnostics = result.diagnostics.filter { inScope($0.path) }
    let suppressed = result.suppressed.filter { inScope($0.diagnostic.path) }
    let documents = result.documents.keys.filter(inScope)
    var report = Report(
      toolVersion: Keel.version, source: selection.label, documentCount: documents.count, diagnostics: diagnostics,
      rules: RuleCatalog.allDescriptors,
      documents: selection.summaries(for: result).filter { inScope($0.path) },
      checkedPaths: documents.sorted(),
      sourceLines: SourceLines())
    report.suppressed = suppressed
    let baseline =
      noBaseline
      ? nil : try Baseline.load(from: selection.snapshot, paths: result.context.allPaths, limits: result.context.limits)
    // Finding fingerprints hash the finding's line: read the files again only when they are needed.
    if format.usesSourceLines || baseline != nil {
      report.sourceLines = SourceLines(
        snapshot: selection.snapshot, paths: Set(diagnostics.map(\.path) + suppressed.map(\.diagnostic.path)))
    }
    if let baseline {
      // Entries of documents this check did not look at (--staged, --base) are neither kept nor gone.
      let checked = selection.documentPaths
      let comparison = baseline.compare(
        diagnostics, fingerprints: SARIFReporter.fingerprints(for: diagnostics, sourceLines: report.sourceLines),
        scope: { path in
          inScope(path) && (checked?.contains(path) ?? true || result.context.config.kind(for: path) == nil)
        })
      report.diagnostics = comparison.new
      report.baselined = comparison.unchanged
      report.gone = comparison.gone
      report.hasBaseline = true
    }
    let colour =
      output == nil
      && Terminal.shouldColour(
        environment: ProcessInfo.processInfo.environment, isTTY: Output.stdoutIsTerminal)
    try Output.emit(format.reporter(colour: colour).render(report), to: output, relativeTo: global.workingDirectory)
    if report.diagnostics.contains(where: { $0.severity >= failOn }) { throw ExitCode(1) }
  }

  /// Runs every rule on a selection; with `history` (a revision), the Git history
  /// is read meanwhile for `workflow/stale`.
  static func check(
    _ selection: DocumentSelection, workspace: Workspace, history revision: String?, now: Date = Date()
  ) throws -> CheckResult {
    var checker = Checker(snapshot: selection.snapshot, configuration: selection.configuration)
    if let revision {
      // Read on another thread while the documents are parsed and checked; joined for the last rule.
      let configuration = selection.configuration
      let history = InBackground {
        HistorySession.stateHistory(workspace: workspace, revision: revision, configuration: configuration, now: now)
      }
      checker.stateHistory = { history.value }
    }
    let result = try checker.run(documentPaths: selection.documentPaths, base: selection.reviewBase)
    KeptUntilExit.keep(result)
    return result
  }

  /// PATH arguments, relative to where keel was started, as paths relative to keel.yaml's folder.
  private func reportFilters(workspace: Workspace) throws -> [String] {
    guard !paths.isEmpty else { return [] }
    guard let root = workspace.keelRoot?.standardizedFileURL.path else {
      return paths  // bare repository: paths are already repository paths
    }
    return try paths.map { argument in
      let absolute = URL(fileURLWithPath: argument, relativeTo: global.workingDirectory).standardizedFileURL.path
      guard absolute == root || absolute.hasPrefix(root + "/") else {
        throw ValidationError("\(argument) is outside the keel repository at \(root)")
      }
      return String(absolute.dropFirst(root.count)).split(separator: "/").joined(separator: "/")
    }
  }
}

extension OutputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
