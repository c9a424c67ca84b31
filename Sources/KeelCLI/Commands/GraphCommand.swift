import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel graph`: the documents and the references between them, as DOT, Mermaid, JSON or SVG.
struct GraphCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph",
    abstract: "Draw the documents and their references (x-keel-ref fields) as DOT, Mermaid, JSON or SVG.",
    discussion: """
      One node per document (its id, title and state; states as colours), one edge per reference \
      from the referring document to the one it names, labelled with the field. --around ID|PATH \
      keeps the documents within --depth references of one document, following references both ways. \
      --rev REV reads a revision from Git objects (no checkout); without it the working tree is read.
      """
  )

  @OptionGroup var repository: RepositoryOptions

  @OptionGroup var revision: RevisionOption

  @Option(help: ArgumentHelp("Only the documents around this one (its id, or its path).", valueName: "id|path"))
  var around: String?

  @Option(help: ArgumentHelp("With --around: how many references away (default 1).", valueName: "n"))
  var depth: Int?

  @OptionGroup var result: OutputOptions<ReferenceGraph.Format>

  func validate() throws {
    if depth != nil && around == nil { throw ValidationError("--depth goes with --around") }
    if let depth, depth < 0 { throw ValidationError("--depth takes a number of references, 0 or more") }
  }

  func run() throws {
    var request = GraphRequest(directory: repository.directory, configurationFile: repository.configurationFile)
    request.revision = revision.rev
    request.around = around
    request.depth = depth ?? 1
    request.format = result.format
    request.output = result.output
    try Engine.graph(request)
  }
}
