import ArgumentParser
import Foundation
import KeelCore
import KeelGit

/// `keel export raci|glossary`: snapshots of the RACI matrices and the glossary
/// as CSV, Markdown, JSON or a self-contained HTML page, as of any revision.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export the RACI matrices or the glossary as CSV, Markdown, JSON or HTML.",
    discussion: """
      --at REV reads the files straight from Git objects (no checkout; works in a bare clone); \
      without it the working tree is read.
      """,
    subcommands: [ExportRACICommand.self, ExportGlossaryCommand.self]
  )
}

/// Options both exports take.
struct ExportOptions: ParsableArguments {
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

  mutating func validate() throws {
    if spreadsheetSafe && resolvedFormat != .csv { throw ValidationError("--spreadsheet-safe goes with --format csv") }
  }

  /// The format asked for, else the one `--output`'s extension names, else Markdown.
  var resolvedFormat: ExportFormat {
    if let format { return format }
    switch output.map({ ($0 as NSString).pathExtension.lowercased() }) {
    case "csv": return .csv
    case "json": return .json
    case "html", "htm": return .html
    default: return .markdown
    }
  }

  /// The snapshot to read, where its keel.yaml is read (nil: the snapshot itself; see
  /// `Workspace.configuration(for:)`) and how to describe it: a revision's tree (never the
  /// working tree), or the working tree when no revision is given.
  static func snapshot(_ revision: String?, in workspace: Workspace) throws -> (Snapshot, Snapshot?, ExportSource) {
    do {
      guard let revision else {
        let snapshot = try workspace.workingTree()
        return (
          snapshot, try workspace.configuration(for: snapshot),
          ExportSource(label: "working tree", revision: nil, date: readTime())
        )
      }
      let snapshot = try workspace.revision(revision)
      let repository = try workspace.requireRepository(for: "a revision")
      let date = try snapshot.revision.map { try repository.commit(id: $0).committerDate } ?? readTime()
      return (
        snapshot, try workspace.configuration(for: snapshot),
        ExportSource(label: snapshot.label, revision: snapshot.revision, date: date)
      )
    } catch let error as GitError {
      throw KeelError(error.description)
    }
  }

  /// Now, or `SOURCE_DATE_EPOCH` when set (reproducible exports of a working tree).
  private static func readTime() -> Date {
    if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = TimeInterval(epoch) {
      return Date(timeIntervalSince1970: seconds)
    }
    return Date()
  }

  /// Files that could not be read are left out of the export, with a warning each.
  static func warn(about problems: [Diagnostic]) {
    for problem in problems where problem.severity == .error {
      Output.warn("warning: \(problem.path):\(problem.line):\(problem.column): \(problem.message) (left out)")
    }
  }
}

extension ExportFormat: ExpressibleByArgument {}

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

  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions
  @OptionGroup var options: ExportOptions

  @Flag(help: "For each person, what they are R, A, C or I for.")
  var byPerson = false

  @Option(help: ArgumentHelp("Who gained or lost which role between two revisions.", valueName: "A..B"))
  var diff: String?

  func validate() throws {
    if diff != nil && options.at != nil { throw ValidationError("--diff names its own revisions; drop --at") }
    if diff != nil && byPerson { throw ValidationError("use either --diff or --by-person") }
    if let diff, Self.revisions(of: diff) == nil {
      throw ValidationError("--diff takes two revisions, A..B (or A.. for A..HEAD)")
    }
  }

  /// `A..B` → (A, B); `A..` → (A, HEAD).
  static func revisions(of range: String) -> (String, String)? {
    guard let separator = range.range(of: "..") else { return nil }
    let from = String(range[..<separator.lowerBound])
    let to = String(range[separator.upperBound...])
    guard !from.isEmpty, !to.hasPrefix(".") else { return nil }
    return (from, to.isEmpty ? "HEAD" : to)
  }

  func run() throws {
    let workspace = try Workspace(directory: global.workingDirectory, configurationFile: config.file)
    let format = options.resolvedFormat
    let text: String
    if let diff, let (from, to) = Self.revisions(of: diff) {
      let (oldSnapshot, oldConfiguration, oldSource) = try ExportOptions.snapshot(from, in: workspace)
      let (newSnapshot, newConfiguration, newSource) = try ExportOptions.snapshot(to, in: workspace)
      let (old, oldProblems) = try RACIExport.load(
        from: oldSnapshot, configuration: oldConfiguration, source: oldSource)
      let (new, newProblems) = try RACIExport.load(
        from: newSnapshot, configuration: newConfiguration, source: newSource)
      ExportOptions.warn(about: oldProblems + newProblems)
      text = RACIDiff(from: old, to: new).render(format, spreadsheetSafe: options.spreadsheetSafe)
    } else {
      let (snapshot, configuration, source) = try ExportOptions.snapshot(options.at, in: workspace)
      let (export, problems) = try RACIExport.load(from: snapshot, configuration: configuration, source: source)
      ExportOptions.warn(about: problems)
      text =
        byPerson
        ? RACIByPersonExport(export).render(format, spreadsheetSafe: options.spreadsheetSafe)
        : export.render(format, spreadsheetSafe: options.spreadsheetSafe)
    }
    try Output.emit(text, to: options.output, relativeTo: global.workingDirectory)
  }
}

struct ExportGlossaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "glossary",
    abstract: "Export the glossary, alphabetically, with aliases, avoided words and cross-links."
  )

  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions
  @OptionGroup var options: ExportOptions

  func run() throws {
    let workspace = try Workspace(directory: global.workingDirectory, configurationFile: config.file)
    let (snapshot, configuration, source) = try ExportOptions.snapshot(options.at, in: workspace)
    let (export, problems) = try GlossaryExport.load(from: snapshot, configuration: configuration, source: source)
    ExportOptions.warn(about: problems)
    try Output.emit(
      export.render(options.resolvedFormat, spreadsheetSafe: options.spreadsheetSafe), to: options.output,
      relativeTo: global.workingDirectory)
  }
}
