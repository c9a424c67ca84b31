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
    let workspace = try Workspace(directory: global.workingDirectory)
    let repository = try workspace.requireRepository(for: "hooks")
    if repository.isBare { throw KeelError("a bare repository has no commits to hook into") }
    let hooks = repository.hooksDirectory
    // A core.hooksPath inside the working tree (`tools/githooks`) is repository content, which can hold a
    // committed symbolic link: keel does not write through one. The Git directory's own `hooks` and a
    // hooks path outside the working tree are the user's configuration and used as configured.
    if let top = repository.workingDirectory, PathPolicy(root: repository.commonDirectory).contains(hooks) == nil {
      let files = PathPolicy(root: top)
      if let relative = files.contains(hooks), !relative.isEmpty { _ = try files.exists(relative) }
    }
    // The hook calls this keel binary, falling back to `keel` on PATH if it moves.
    let executable = Bundle.main.executablePath ?? "keel"
    return HookInstaller(hooksDirectory: hooks, keelCommand: executable)
  }
}
