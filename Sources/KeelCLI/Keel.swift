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
      MetricsCommand.self, RankCommand.self, GraphCommand.self, BaselineCommand.self, ManualCommand.self,
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
      if let unknown = unknownSubcommand(in: arguments) { throw unknown }
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
      // The parser's own mistakes in keel's one error style, `keel: error: …`, its usage lines kept.
      var message = fullMessage(for: error)
      if message.hasPrefix("Error: ") { message = "keel: error: " + message.dropFirst("Error: ".count) }
      FileHandle.standardError.write(Data((TextKit.terminal(message) + "\n").utf8))
      Foundation.exit(2)
    }
  }

  /// A misspelt subcommand (`keel chek`, `keel export glosary`), with the nearest name: the parser
  /// itself only says "unexpected argument".
  static func unknownSubcommand(in arguments: [String]) -> ValidationError? {
    var command: any ParsableCommand.Type = Keel.self
    for argument in arguments {
      let configuration = command.configuration
      guard !configuration.subcommands.isEmpty, configuration.defaultSubcommand == nil, !argument.hasPrefix("-")
      else { return nil }
      let names = configuration.subcommands.map { $0._commandName } + (command == Keel.self ? ["help"] : [])
      guard let next = configuration.subcommands.first(where: { $0._commandName == argument }) else {
        if argument == "help" { return nil }
        return ValidationError("unknown command '\(argument)'\(Suggestion.hint(for: argument, in: names))")
      }
      command = next
    }
    return nil
  }
}
