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

  @OptionGroup var global: GlobalOptions
  @OptionGroup var config: ConfigOptions

  @Option(help: ArgumentHelp("Read the documents as they are in this revision (tag, branch, SHA).", valueName: "rev"))
  var rev: String?

  @Option(help: ArgumentHelp("Only the documents around this one (its id, or its path).", valueName: "id|path"))
  var around: String?

  @Option(help: ArgumentHelp("With --around: how many references away (default 1).", valueName: "n"))
  var depth: Int?

  @Option(help: "Output format: dot, mermaid, json or svg (default: from --output's extension, else dot).")
  var format: ReferenceGraph.Format?

  @OptionGroup var destination: OutputOption

  func validate() throws {
    if depth != nil && around == nil { throw ValidationError("--depth goes with --around") }
    if let depth, depth < 0 { throw ValidationError("--depth takes a number of references, 0 or more") }
  }

  func run() throws {
    var request = GraphRequest(directory: global.workingDirectory, configurationFile: config.file)
    request.revision = rev
    request.around = around
    request.depth = depth ?? 1
    request.format = format
    request.output = destination.output
    try Engine.graph(request)
  }
}
