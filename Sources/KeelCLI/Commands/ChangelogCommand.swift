import ArgumentParser
import Foundation
import KeelCore
import KeelGit

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

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case markdown, json
  }

  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions

  @Option(help: ArgumentHelp("Start after this revision (a tag, a branch, a commit).", valueName: "rev"))
  var since: String?

  @Option(help: ArgumentHelp("End at this revision.", valueName: "rev"))
  var until: String = "HEAD"

  @OptionGroup var cache: HistoryCacheOptions

  @Option(help: "Output format: markdown or json.")
  var format: Format = .markdown

  @Option(help: ArgumentHelp("Write the changelog to this file (atomically) instead of stdout.", valueName: "file"))
  var output: String?

  func run() throws {
    let session = try HistorySession(global: global, config: config, useCache: !cache.noCache)
    let configuration = try session.requiredConfiguration(at: until)
    let graph = try session.graph(at: until)
    var records = graph.records
    if let since {
      let sinceID: String
      do { sinceID = try session.repository.resolveCommitID(since) } catch { throw KeelError("\(error)") }
      records = graph.records(excludingAncestorsOf: sinceID)
    }
    let scalars = session.scalarCache
    defer { scalars.save() }
    let builder = TimelineBuilder(configuration: configuration, prefix: session.workspace.prefix, scalars: scalars)
    let timelines = builder.timelines(records: records, source: graph, states: .endpoints)
    let prefix = session.workspace.prefix.isEmpty ? "" : session.workspace.prefix + "/"
    let report = Changelog.build(
      timelines: timelines, kindOrder: configuration.kindNames, since: since, until: until,
      truncated: graph.isTruncated,
      title: { entry in
        guard let blob = entry.newBlob ?? entry.oldBlob else { return nil }
        return scalars.fields(ofBlob: blob, path: prefix + entry.path, read: { try graph.readBlob($0) })["title"]
      })
    session.noteTruncation(graph)
    try Output.emit(
      report.render(ChangelogReport.Format(rawValue: format.rawValue)!), to: output,
      relativeTo: global.workingDirectory)
  }
}
