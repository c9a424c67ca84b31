import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// The `keel` command.
public struct Keel: ParsableCommand {
  public static let version = Engine.version

  public static let configuration = CommandConfiguration(
    commandName: "keel",
    abstract: "Validate and report on a Git repository of product-operations documents.",
    version: version,
    subcommands: [
      CheckCommand.self, SchemaCommand.self, InitCommand.self, NewCommand.self, TransitionCommand.self,
      HooksCommand.self, RulesCommand.self, ExportCommand.self, HistoryCommand.self, ChangelogCommand.self,
      MetricsCommand.self, BaselineCommand.self,
    ]
  )

  public init() {}

  /// Runs keel with the process arguments and exits with the contract's codes:
  /// 0 clean, 1 findings at error severity (or an edit that would have overwritten
  /// another), 2 usage/configuration/repository error (a refused path included).
  public static func runMain(_ arguments: [String]? = nil) -> Never {
    do {
      var arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
      let separated = SchemaValidateCommand.separateInstances(arguments)
      if let separated { arguments = separated.arguments }
      var command = try parseAsRoot(arguments)
      if var validate = command as? SchemaValidateCommand, let separated {
        validate.instances += separated.instances
        command = validate
      }
      try command.run()
      Foundation.exit(0)
    } catch {
      exit(for: error)
    }
  }

  /// The one place a thrown error ends the process: keel's own errors through `Failure.classify`,
  /// the argument parser's (usage, `--help`, `--version`) as it reports them.
  private static func exit(for error: any Error) -> Never {
    switch Failure.classify(error) {
    case .error(let message, let code):
      Output.warn("error: \(message)")
      Foundation.exit(code)
    case .exit(let code):
      Foundation.exit(code)
    case .usage(let message):
      exit(for: ValidationError(message))
    case nil:
      if let error = error as? ExitCode { Foundation.exit(error.rawValue) }
      let code = exitCode(for: error)
      if code == .success {
        Output.say(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((TextKit.terminal(fullMessage(for: error)) + "\n").utf8))
      Foundation.exit(2)
    }
  }
}
