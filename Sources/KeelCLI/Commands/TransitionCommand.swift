import ArgumentParser
import Foundation
import KeelEngine

/// `keel transition PATH STATE`: moves a document along its workflow.
struct TransitionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "transition",
    abstract: "Move a document to another state of its workflow.",
    discussion: """
      Only the value of the workflow field (status) changes; every other byte of the file stays as it was. \
      An illegal transition or a requirement the new state does not meet is refused with the findings \
      'keel check' would report (exit 1), and the file is left alone. So is a file that changes while keel \
      works on it, or that another keel process is changing (exit 1). Without a state, prints the \
      states the document can move to.
      """
  )

  @OptionGroup var global: GlobalOptions
  @OptionGroup var colour: ColourOption

  @Argument(help: "The document to move.")
  var path: String

  @Argument(help: "The state to move it to; without one, the states it can move to are listed.")
  var state: String?

  func run() throws {
    try Engine.transition(directory: global.workingDirectory, path: path, to: state, colour: colour.choice)
  }
}
