import ArgumentParser
import Foundation
import KeelEngine

/// `keel hooks install|uninstall`: manage the pre-commit hook.
struct HooksCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hooks",
    abstract: "Install or remove keel's Git pre-commit hook (an existing hook is kept and chained).",
    subcommands: [Install.self, Uninstall.self]
  )

  struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Install the pre-commit hook (honours core.hooksPath).")
    @OptionGroup var global: GlobalOptions

    func run() throws { Output.say(try Engine.installHook(directory: global.workingDirectory)) }
  }

  struct Uninstall: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove the hook and restore any hook it chained.")
    @OptionGroup var global: GlobalOptions

    func run() throws { Output.say(try Engine.uninstallHook(directory: global.workingDirectory)) }
  }
}
