import Foundation
import KeelCore

/// What `keel export raci|glossary` is asked.
public struct ExportRequest: Sendable {
  /// Where keel was started (`-C`).
  public var directory: URL
  /// `--config FILE`.
  public var configurationFile: String?
  /// `--at REV`; nil: the working tree.
  public var revision: String?
  /// `--format`; nil: from `--output`'s extension, else Markdown.
  public var format: ExportFormat?
  public var output: String?
  /// `--spreadsheet-safe` (CSV only).
  public var spreadsheetSafe = false

  public init(directory: URL, configurationFile: String? = nil) {
    self.directory = directory
    self.configurationFile = configurationFile
  }

  /// The format asked for, else the one `--output`'s extension names, else Markdown; an extension
  /// no format has is a `UsageError`.
  public func resolvedFormat() throws -> ExportFormat {
    try ExportFormat.resolve(format, output: output)
  }
}

/// `keel export raci`: every matrix, or per person, or who gained or lost which letter.
public enum RACIExportView: Sendable, Equatable {
  case matrices
  case byPerson
  /// Between two revisions (`A..B`).
  case diff(from: String, to: String)

  /// `A..B` → (A, B); `A..` → (A, HEAD); nil for anything else.
  public static func diff(_ range: String) -> RACIExportView? {
    guard let separator = range.range(of: "..") else { return nil }
    let from = String(range[..<separator.lowerBound])
    let to = String(range[separator.upperBound...])
    guard !from.isEmpty, !to.hasPrefix(".") else { return nil }
    return .diff(from: from, to: to.isEmpty ? "HEAD" : to)
  }
}

extension Engine {
  /// `keel export raci`.
  public static func exportRACI(_ request: ExportRequest, view: RACIExportView) throws {
    let workspace = try Workspace(directory: request.directory, configurationFile: request.configurationFile)
    let format = try request.resolvedFormat()
    let text: String
    switch view {
    case .diff(let from, let to):
      let (oldSnapshot, newSnapshot) = (try exportSnapshot(from, in: workspace), try exportSnapshot(to, in: workspace))
      let (old, oldProblems) = try RACIExport.load(exportedFrom: oldSnapshot)
      let (new, newProblems) = try RACIExport.load(exportedFrom: newSnapshot)
      warn(about: oldProblems + newProblems)
      text = RACIDiff(from: old, to: new).render(format, spreadsheetSafe: request.spreadsheetSafe)
    case .matrices, .byPerson:
      let (export, problems) = try RACIExport.load(
        exportedFrom: try exportSnapshot(request.revision, in: workspace))
      warn(about: problems)
      text =
        view == .byPerson
        ? RACIByPersonExport(export).render(format, spreadsheetSafe: request.spreadsheetSafe)
        : export.render(format, spreadsheetSafe: request.spreadsheetSafe)
    }
    try Output.emit(text, to: request.output, relativeTo: request.directory)
  }

  /// `keel export glossary`.
  public static func exportGlossary(_ request: ExportRequest) throws {
    let workspace = try Workspace(directory: request.directory, configurationFile: request.configurationFile)
    let (snapshot, configuration, source) = try exportSnapshot(request.revision, in: workspace)
    let (export, problems) = try GlossaryExport.load(from: snapshot, configuration: configuration, source: source)
    warn(about: problems)
    try Output.emit(
      export.render(try request.resolvedFormat(), spreadsheetSafe: request.spreadsheetSafe), to: request.output,
      relativeTo: request.directory)
  }

  /// `keel export kpis`.
  public static func exportKPIs(_ request: ExportRequest) throws {
    let workspace = try Workspace(directory: request.directory, configurationFile: request.configurationFile)
    let (snapshot, configuration, source) = try exportSnapshot(request.revision, in: workspace)
    let (export, problems) = try KPIExport.load(from: snapshot, configuration: configuration, source: source)
    warn(about: problems)
    try Output.emit(
      export.render(try request.resolvedFormat(), spreadsheetSafe: request.spreadsheetSafe), to: request.output,
      relativeTo: request.directory)
  }

  /// The snapshot to read, where its keel.yaml is read (nil: the snapshot itself; see
  /// `Workspace.configuration(for:)`) and how to describe it: a revision's tree (never the
  /// working tree), or the working tree when no revision is given.
  static func exportSnapshot(_ revision: String?, in workspace: Workspace) throws -> ExportedSnapshot {
    guard let revision else {
      let snapshot = try workspace.workingTree()
      return (
        snapshot, try workspace.configuration(for: snapshot),
        ExportSource(
          label: "working tree", revision: nil, date: readTime(),
          uncommittedChanges: try workspace.hasUncommittedChanges())
      )
    }
    let snapshot = try workspace.revision(revision)
    let date = try workspace.commitDate(of: snapshot) ?? readTime()
    return (
      snapshot, try workspace.configuration(for: snapshot),
      ExportSource(label: snapshot.label, revision: snapshot.revision, date: date)
    )
  }

  typealias ExportedSnapshot = (snapshot: Snapshot, configuration: Snapshot?, source: ExportSource)

  /// Now, or `SOURCE_DATE_EPOCH` when set (reproducible exports of a working tree).
  private static func readTime() -> Date {
    if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = TimeInterval(epoch) {
      return Date(timeIntervalSince1970: seconds)
    }
    return Date()
  }

  /// Files that could not be read are left out of the export, with a warning each.
  private static func warn(about problems: [Diagnostic]) {
    for problem in problems where problem.severity == .error {
      Output.warn("warning: \(problem.path):\(problem.line):\(problem.column): \(problem.message) (left out)")
    }
  }
}

extension RACIExport {
  fileprivate static func load(exportedFrom exported: Engine.ExportedSnapshot) throws -> (RACIExport, [Diagnostic]) {
    try load(from: exported.snapshot, configuration: exported.configuration, source: exported.source)
  }
}
