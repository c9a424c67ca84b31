import Foundation
import KeelCore

/// `keel check`: select the documents, check them (reading the history for `workflow/stale`
/// meanwhile), weigh the findings against the baseline, render and write the report.
public struct CheckRequest: Sendable {
  /// Where keel was started (`-C`).
  public var directory: URL
  /// `--config FILE`.
  public var configurationFile: String?
  public var selection: SelectionRequest = .workingTree
  /// PATH arguments (relative to `directory`): report only on documents under them.
  public var paths: [String] = []
  /// Read the Git history for `workflow/stale` (never for `--staged` or `--base`, which judge a change).
  public var readsHistory = true
  /// Where `workflow/stale` ages are measured (`--now`); nil: now, or, with `--rev`, the moment of the
  /// revision (its commit's author date), so that an old revision is judged as it stood then.
  public var now: Date?
  /// `--format`; nil: the one `--output`'s extension names, else text.
  public var format: OutputFormat?
  /// `--output FILE`; nil: stdout.
  public var output: String?
  /// `--color`: colour in text written to stdout (a file written with `--output` never has any).
  public var colour: ColourChoice = .auto
  /// Exit 1 when a finding at or above this severity remains.
  public var failOn: Severity = .error
  /// Weigh findings against `.keel-baseline.json`.
  public var usesBaseline = true
  /// Where `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA` are read (the Markdown
  /// summary links lines to that commit): the process environment unless a caller sets it.
  public var environment = ProcessInfo.processInfo.environment

  public init(directory: URL, configurationFile: String? = nil) {
    self.directory = directory
    self.configurationFile = configurationFile
  }
}

extension Engine {
  /// Runs `keel check`; throws `ExitStatus.findings` when a finding at or above `failOn` remains.
  public static func check(_ request: CheckRequest) throws {
    let format = try OutputFormat.resolve(request.format, output: request.output, default: .text)
    let workspace = try Workspace(directory: request.directory, configurationFile: request.configurationFile)
    let selection = try DocumentSelection.resolve(request.selection, in: workspace)
    // `--staged` and review mode judge a change: no `workflow/stale`, but a kind's `template-since:`
    // still needs when the changed documents were first committed.
    let sinceNeeded = selection.config.kinds.contains { $0.templateSince != nil }
    let history: String? =
      switch request.selection {
      case .workingTree: request.readsHistory ? "HEAD" : nil
      case .revision(let revision): request.readsHistory ? revision : nil
      case .staged: request.readsHistory && sinceNeeded ? "HEAD" : nil
      case .review(_, let head): request.readsHistory && sinceNeeded ? head ?? "HEAD" : nil
      }
    var now = request.now ?? Date()
    if request.now == nil, history != nil, case .revision(let revision) = request.selection,
      let date = HistorySession.authorDate(of: revision, in: workspace)
    {
      now = date
    }
    let states: Bool
    switch request.selection {
    case .staged, .review: states = false
    case .workingTree, .revision: states = true
    }
    // `--staged` compares the index with HEAD, whose tree the history reads too: read once.
    let historySnapshot: Snapshot? = if case .staged = request.selection { selection.baseSnapshot } else { nil }
    let result = try check(
      selection, workspace: workspace, history: history, historySnapshot: historySnapshot, now: now, states: states)
    let filters = try reportFilters(request.paths, relativeTo: request.directory, workspace: workspace)
    try requireMatches(filters, arguments: request.paths, in: selection.snapshot)
    let inScope: (String) -> Bool = { path in
      filters.isEmpty || filters.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }
    let diagnostics = result.diagnostics.filter { inScope($0.path) }
    let suppressed = result.suppressed.filter { inScope($0.diagnostic.path) }
    let documents = result.documents.keys.filter(inScope)
    var report = Report(
      toolVersion: version, source: selection.label, documentCount: documents.count, diagnostics: diagnostics,
      rules: RuleCatalog.allDescriptors,
      documents: selection.summaries(for: result).filter { inScope($0.path) },
      // A folder document's findings are in its body file too.
      checkedPaths: Set(result.documents.values.flatMap { [$0.path, $0.bodyPath] }.filter(inScope)).sorted(),
      sourceLines: SourceLines(), sourceRoot: workspace.reportRoot)
    report.paths = workspace.reportPaths
    let present = Set(result.context.allPaths)
    report.fileCount = result.context.referenceFiles.filter { inScope($0) && present.contains($0) }.count
    report.suppressed = suppressed
    let baseline =
      request.usesBaseline
      ? try Baseline.load(from: selection.snapshot, paths: result.context.allPaths, limits: result.context.limits) : nil
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
    let colour = request.output == nil && Output.colourOnStdout(request.colour)
    let links = SourceLinks(environment: request.environment)
    try Output.emit(
      format.reporter(colour: colour, links: links).render(report), to: request.output,
      relativeTo: request.directory)
    if report.diagnostics.contains(where: { $0.severity >= request.failOn }) { throw ExitStatus.findings }
  }

  /// Runs every rule on a selection; with `history` (a revision), the Git history
  /// is read meanwhile for `workflow/stale`.
  ///
  /// - Parameter historySnapshot: the snapshot of `revision` (`Workspace.revision`), when the
  ///   selection has read it already.
  static func check(
    _ selection: DocumentSelection, workspace: Workspace, history revision: String?,
    historySnapshot: Snapshot? = nil, now: Date = Date(), states: Bool = true
  ) throws -> CheckResult {
    // Read on another thread while the documents are parsed and checked; `workflow/stale`, the
    // last rule, waits for it.
    let configuration = selection.configuration
    let history = revision.map { revision in
      Pending {
        HistorySession.stateHistory(
          workspace: workspace, revision: revision, snapshot: historySnapshot, configuration: configuration, now: now,
          states: states, documents: selection.documentPaths)
      }
    }
    let checker = Checker(
      snapshot: selection.snapshot, configuration: selection.configuration, config: selection.config)
    let result = try checker.run(
      documentPaths: selection.documentPaths, base: selection.reviewBase, stateHistory: history)
    KeptUntilExit.keep(result)
    return result
  }

  /// PATH arguments, relative to where keel was started, as paths relative to keel.yaml's folder.
  static func reportFilters(_ paths: [String], relativeTo directory: URL, workspace: Workspace) throws -> [String] {
    guard !paths.isEmpty else { return [] }
    guard let root = workspace.keelRoot?.standardizedFileURL.path else {
      return paths  // bare repository: paths are already repository paths
    }
    return try paths.map { argument in
      let absolute = URL(fileURLWithPath: argument, relativeTo: directory).standardizedFileURL.path
      guard absolute == root || absolute.hasPrefix(root + "/") else {
        throw UsageError("\(argument) is outside the keel repository at \(root)")
      }
      return String(absolute.dropFirst(root.count)).split(separator: "/").joined(separator: "/")
    }
  }

  /// A PATH argument that names no file or folder of the snapshot is a mistake (a typo), not an
  /// empty report: exit 2 with the argument as it was typed.
  static func requireMatches(_ filters: [String], arguments: [String], in snapshot: Snapshot) throws {
    guard !filters.isEmpty else { return }
    let paths = try snapshot.paths()
    for (filter, argument) in zip(filters, arguments) where !filter.isEmpty {
      let folder = filter.hasSuffix("/") ? filter : filter + "/"
      if paths.contains(filter) || paths.contains(where: { $0.hasPrefix(folder) }) { continue }
      throw KeelError("\(argument): no such file or folder" + (snapshot.revision == nil ? "" : " in \(snapshot.label)"))
    }
  }

  /// `keel baseline`: checks the working tree as `keel check` does and records every finding in
  /// `.keel-baseline.json` (`update`: only drops the fixed ones). Returns the line to show.
  public static func baseline(directory: URL, update: Bool, readsHistory: Bool) throws -> String {
    let workspace = try Workspace(directory: directory)
    guard let root = workspace.keelRoot else {
      throw KeelError("keel baseline needs a working tree with \(KeelConfig.fileName)")
    }
    let selection = try DocumentSelection.resolve(.workingTree, in: workspace)
    let result = try check(
      selection, workspace: workspace, history: !readsHistory || workspace.repository == nil ? nil : "HEAD")
    let diagnostics = result.diagnostics
    let fingerprints = SARIFReporter.fingerprints(
      for: diagnostics, sourceLines: SourceLines(snapshot: selection.snapshot, paths: Set(diagnostics.map(\.path))))
    let baseline: Baseline
    var summary: String
    if update {
      guard
        let previous = try Baseline.load(
          from: selection.snapshot, paths: result.context.allPaths, limits: result.context.limits)
      else {
        throw KeelError("there is no \(Baseline.fileName) to update; run 'keel baseline' first")
      }
      let comparison = previous.compare(diagnostics, fingerprints: fingerprints)
      baseline = Baseline(entries: comparison.kept)
      summary =
        "\(Baseline.fileName): \(comparison.gone.count) fixed \(comparison.gone.count == 1 ? "finding" : "findings") "
        + "dropped, \(baseline.entries.count) kept"
      if !comparison.new.isEmpty {
        summary += "; \(comparison.new.count) new \(comparison.new.count == 1 ? "finding was" : "findings were") "
        summary += "not added (fix or suppress them, or run 'keel baseline' to record everything)"
      }
    } else {
      baseline = Baseline(diagnostics: diagnostics, fingerprints: fingerprints)
      summary =
        "\(Baseline.fileName): \(baseline.entries.count) \(baseline.entries.count == 1 ? "finding" : "findings") recorded"
    }
    try AtomicFile.write(Data(baseline.rendered().utf8), to: root.appendingPathComponent(Baseline.fileName))
    return summary
  }
}
