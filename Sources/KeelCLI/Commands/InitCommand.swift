import ArgumentParser
import Foundation
import KeelEngine

/// `keel init`: scaffold a keel repository.
struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create keel.yaml, schemas, templates, workflows, people, glossary, a RACI matrix and an example spec."
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "Folder to initialise (default: the current folder).")
  var directory: String?

  @Flag(help: "List the files that would be written, and write nothing.")
  var dryRun = false

  @Flag(help: "Adopt keel in a repository that has files already: write only the missing ones, keep the others.")
  var existing = false

  func run() throws {
    let lines = try Engine.initialise(
      directory: global.workingDirectory, folder: directory, dryRun: dryRun, existing: existing)
    for line in lines { Output.say(line) }
  }
}
