import ArgumentParser
import Foundation
import KeelCore
import KeelGit

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
      let result = try installer.install(hook: "pre-commit")
      print(result.description)
    }
  }

  struct Uninstall: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove the hook and restore any hook it chained.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
      let installer = try HooksCommand.installer(global)
      let result = try installer.uninstall(hook: "pre-commit")
      print(result.description)
    }
  }

  static func installer(_ global: GlobalOptions) throws -> HookInstaller {
    let workspace = try Workspace(directory: global.workingDirectory)
    let repository = try workspace.requireRepository(for: "hooks")
    if repository.isBare { throw KeelError("a bare repository has no commits to hook into") }
    let command = workspace.prefix.isEmpty ? "keel check --staged" : "keel check -C '\(workspace.prefix)' --staged"
    return HookInstaller(hooksDirectory: repository.hooksDirectory, keelCommand: command)
  }
}
