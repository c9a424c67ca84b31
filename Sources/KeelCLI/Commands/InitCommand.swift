import ArgumentParser
import Foundation
import KeelCore
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

  func run() throws {
    let target = URL(fileURLWithPath: directory ?? ".", relativeTo: global.workingDirectory).standardizedFileURL
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    let written = try Scaffold.write(into: target, dryRun: dryRun)
    for path in written { Output.say(dryRun ? "would create \(path)" : "created \(path)") }
    if !dryRun {
      Output.say("\nNext: edit people.yaml and keel.yaml, then run 'keel check' and 'keel hooks install'.")
    }
  }
}
