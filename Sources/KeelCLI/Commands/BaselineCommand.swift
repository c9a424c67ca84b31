import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel baseline`: records today's findings so that `keel check` fails only on new ones.
struct BaselineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline",
    abstract: "Record the current findings in \(Baseline.fileName), so that keel check fails only on new ones.",
    discussion: """
      Checks the working tree as 'keel check' does and writes every finding (rule, path and a fingerprint \
      that survives the line moving) to \(Baseline.fileName) next to keel.yaml; commit that file. \
      --update only drops the findings that are fixed and never adds one.
      """
  )

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Drop the findings that are fixed; never add new ones.")
  var update = false

  @Flag(help: "Do not read the Git history (leaves out the workflow/stale warnings).")
  var noHistory = false

  func run() throws {
    Output.say(try Engine.baseline(directory: global.workingDirectory, update: update, readsHistory: !noHistory))
  }
}
