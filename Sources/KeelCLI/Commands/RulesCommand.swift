import ArgumentParser
import KeelCore

/// `keel rules`: list every rule with its id, default severity and summary.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "List the rules keel checks, with their ids and default severities.")

  func run() throws {
    for rule in RuleCatalog.allDescriptors {
      let id = rule.id.padding(toLength: 34, withPad: " ", startingAt: 0)
      let severity = rule.defaultSeverity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
      Output.say("\(id) \(severity) \(rule.summary)")
    }
  }
}
