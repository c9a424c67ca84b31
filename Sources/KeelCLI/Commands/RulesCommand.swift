import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel rules`: every rule with its id, its severity in this repository (and where it comes from) and summary.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "List the rules keel checks, with the severity each has here and where it comes from.",
    discussion: """
      The severity is the one keel.yaml's rules: gives (with its line), else the rule's default. \
      Outside a keel repository the defaults are listed.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "Output format: text or json.")
  var format: RuleListing.Format = .text

  func run() throws {
    Output.write(try Engine.rules(directory: global.workingDirectory).render(format))
  }
}
