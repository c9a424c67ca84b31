import Foundation
import KeelCore

/// What `keel graph` is asked.
public struct GraphRequest: Sendable {
  /// Where keel was started (`-C`).
  public var directory: URL
  /// `--config FILE`.
  public var configurationFile: String?
  /// `--rev REV`; nil: the working tree.
  public var revision: String?
  /// `--around ID|PATH`: only the documents within `depth` references of this one.
  public var around: String?
  public var depth = 1
  /// `--format`; nil: from `--output`'s extension, else DOT.
  public var format: ReferenceGraph.Format?
  public var output: String?

  public init(directory: URL, configurationFile: String? = nil) {
    self.directory = directory
    self.configurationFile = configurationFile
  }
}

extension Engine {
  /// `keel graph`: the documents of the working tree or a revision and the references between
  /// them, whole or around one document, as DOT, Mermaid, JSON or SVG.
  public static func graph(_ request: GraphRequest) throws {
    let format = try ReferenceGraph.Format.resolve(request.format, output: request.output, default: .dot)
    let workspace = try Workspace(directory: request.directory, configurationFile: request.configurationFile)
    let selection = try DocumentSelection.resolve(
      request.revision.map(SelectionRequest.revision) ?? .workingTree, in: workspace)
    let config = selection.config
    let context = try Checker(snapshot: selection.snapshot, configuration: selection.configuration, config: config)
      .loadContext { ReferenceGraph.needsBody(of: $0, config: config) }
    KeptUntilExit.keep(context)
    var graph = ReferenceGraph.build(context: context, revision: selection.snapshot.revision)
    if let around = request.around {
      guard let center = graph.node(named: around) else {
        throw UsageError(
          "--around \(around): no document has this id or path"
            + (selection.snapshot.revision == nil ? "" : " in \(selection.label)")
            + Suggestion.hint(for: around, in: graph.names))
      }
      graph = graph.around(center.key, depth: request.depth)
    }
    try Output.emit(graph.render(format), to: request.output, relativeTo: request.directory)
  }
}

extension ReferenceGraph.Format: FileFormat {
  public var fileExtensions: [String] {
    switch self {
    case .dot: ["dot", "gv"]
    case .mermaid: ["mmd", "mermaid"]
    case .json: ["json"]
    case .svg: ["svg"]
    }
  }
}
