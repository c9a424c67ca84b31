import ArgumentParser
import Foundation
import KeelCore

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
  var format: RulesFormat = .text

  enum RulesFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

  func run() throws {
    let workspace = try Workspace(directory: global.workingDirectory)
    var config: KeelConfig?
    if workspace.keelRoot != nil {
      let snapshot = try workspace.workingTree()
      let loaded = try KeelConfig.load(from: snapshot)
      try loaded.validateRuleStates(
        workflows: Array(try KindResources(config: loaded, snapshot: snapshot).workflows.values))
      config = loaded
    }
    let listing = RuleListing(config: config)
    FileHandle.standardOutput.write(Data((format == .json ? listing.json() : TextKit.terminal(listing.text())).utf8))
  }
}
