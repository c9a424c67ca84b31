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

  @Flag(help: "Adopt keel in a repository that has files already: write only the missing ones, keep the others.")
  var existing = false

  func run() throws {
    let target = URL(fileURLWithPath: directory ?? ".", relativeTo: global.workingDirectory).standardizedFileURL
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    let outcome = try Scaffold.write(into: target, dryRun: dryRun, existing: existing)
    for path in outcome.written { Output.say(dryRun ? "would create \(path)" : "created \(path)") }
    for path in outcome.kept { Output.say("kept \(path) (exists; not changed)") }
    for path in outcome.skippedExamples { Output.say("skipped \(path) (an example; this repository has its own)") }
    if !dryRun {
      Output.say(
        existing
          ? "\nNext: check that the kinds' include globs in keel.yaml match your documents, run 'keel check', "
            + "then 'keel baseline' and 'keel hooks install'."
          : "\nNext: edit people.yaml and keel.yaml, then run 'keel check' and 'keel hooks install'.")
    }
  }
}
