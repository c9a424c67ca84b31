import ArgumentParser
import Foundation
import KeelCore
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

    func run() throws {
      let installer = try HooksCommand.installer(global)
      switch try installer.install(hook: "pre-commit") {
      case .installed: Output.say("installed \(installer.hookURL("pre-commit").path)")
      case .chained(let previous):
        Output.say(
          "installed \(installer.hookURL("pre-commit").path); the existing hook now runs first from \(previous.path)")
      case .updated: Output.say("updated \(installer.hookURL("pre-commit").path)")
      case .alreadyInstalled: Output.say("already installed: \(installer.hookURL("pre-commit").path)")
      }
    }
  }

  struct Uninstall: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove the hook and restore any hook it chained.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
      let installer = try HooksCommand.installer(global)
      switch try installer.uninstall(hook: "pre-commit") {
      case .removed: Output.say("removed \(installer.hookURL("pre-commit").path)")
      case .restored(let hook): Output.say("removed keel's hook and restored the previous one at \(hook.path)")
      case .notInstalled: Output.say("keel's pre-commit hook is not installed")
      }
    }
  }

  static func installer(_ global: GlobalOptions) throws -> HookInstaller {
    try Engine.hookInstaller(directory: global.workingDirectory)
  }
}
