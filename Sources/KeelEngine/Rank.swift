import Foundation
import KeelCore

/// What `keel rank` is asked.
public struct RankRequest: Sendable {
  public var directory: URL
  public var configurationFile: String?
  /// `--kind`; nil: the one kind with scores.
  public var kind: String?
  /// `--by`; nil: the kind's first score in keel.yaml.
  public var score: String?
  /// `--state`; nil: every state that is not final.
  public var states: [String]?
  /// `--rev`; nil: the working tree.
  public var revision: String?
  /// `--diff A..B`: compare two revisions instead.
  public var diff: (from: String, to: String)?
  public var format: Ranking.Format?
  public var output: String?
  public var spreadsheetSafe = false

  public init(directory: URL, configurationFile: String? = nil) {
    self.directory = directory
    self.configurationFile = configurationFile
  }
}

extension Ranking.Format: FileFormat {
  public static var fallback: Self { .text }

  public var fileExtensions: [String] {
    switch self {
    case .text: ["txt"]
    case .markdown: ["md", "markdown"]
    case .json: ["json"]
    case .csv: ["csv"]
    }
  }
}

extension Engine {
  /// `keel rank`: the ranked backlog of one kind by one score, or how it moved between two revisions.
  public static func rank(_ request: RankRequest) throws {
    let format = try Ranking.Format.resolve(request.format, output: request.output)
    if request.spreadsheetSafe, format != .csv { throw UsageError("--spreadsheet-safe goes with --format csv") }
    let workspace = try Workspace(directory: request.directory, configurationFile: request.configurationFile)
    let text: String
    if let (from, to) = request.diff {
      let before = try ranking(request, at: from, in: workspace)
      let after = try ranking(request, at: to, in: workspace)
      text = RankingDiff(from: before, to: after).render(format, spreadsheetSafe: request.spreadsheetSafe)
    } else {
      text = try ranking(request, at: request.revision, in: workspace).render(
        format, spreadsheetSafe: request.spreadsheetSafe)
    }
    try Output.emit(text, to: request.output, relativeTo: request.directory)
  }

  /// The ranking at `revision` (nil: the working tree).
  static func ranking(_ request: RankRequest, at revision: String?, in workspace: Workspace) throws -> Ranking {
    let (snapshot, configuration, source) = try exportSnapshot(revision, in: workspace)
    let keelFiles = configuration ?? snapshot
    let config = try KeelConfig.load(from: keelFiles)
    let resources = try KindResources(config: config, snapshot: keelFiles)
    try config.validateScoreStates(workflows: resources.workflows)
    let scored = config.kinds.filter { !$0.scores.isEmpty }
    let kind: KindConfig
    if let name = request.kind {
      guard let named = config.kind(named: name) else {
        throw UsageError(
          "--kind \(name): no such kind in \(KeelConfig.fileName)"
            + Suggestion.hint(for: name, in: config.kinds.map(\.name)))
      }
      guard !named.scores.isEmpty else {
        throw UsageError("--kind \(name): the kind has no scores (kinds.\(name).scores in \(KeelConfig.fileName))")
      }
      kind = named
    } else {
      guard let only = scored.first else { throw UsageError("no kind has scores (kinds.<kind>.scores in keel.yaml)") }
      guard scored.count == 1 else {
        throw UsageError(
          "several kinds have scores (\(scored.map(\.name).joined(separator: ", "))): choose one with --kind")
      }
      kind = only
    }
    let score: ScoreConfig
    if let name = request.score {
      guard let named = kind.scores.first(where: { $0.name == name }) else {
        let names = kind.scores.map(\.name)
        throw UsageError(
          "--by \(name): kind '\(kind.name)' has no such score (\(names.joined(separator: ", ")))"
            + Suggestion.hint(for: name, in: names))
      }
      score = named
    } else {
      score = kind.scores[0]
    }
    let workflow = resources.workflows[kind.name]
    var states: Set<String>?
    if let wanted = request.states {
      guard let workflow else { throw UsageError("--state: kind '\(kind.name)' has no workflow") }
      let known = workflow.states.map(\.name)
      for state in wanted where workflow.state(named: state) == nil {
        throw UsageError(
          "--state \(state): not a state of \(workflow.path) (\(known.joined(separator: ", ")))"
            + Suggestion.hint(for: state, in: known))
      }
      states = Set(wanted)
    } else if let workflow {
      states = Set(workflow.states.filter { !$0.isFinal }.map(\.name))
    }
    let documents = try KindFields.read(kinds: [kind.name], config: config, snapshot: snapshot)
    return Ranking(
      documents: documents, kind: kind, score: score, workflow: workflow, states: states, source: source)
  }
}
