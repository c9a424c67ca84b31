import ArgumentParser
import Foundation
import KeelEngine

/// `keel schema …`: work with JSON Schemas directly.
struct SchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Validate JSON or YAML files against a JSON Schema (draft 2020-12 or draft-07).",
    subcommands: [SchemaValidateCommand.self]
  )
}

/// `keel schema validate --schema FILE [--draft 2020-12|7] [--map-uri PREFIX=DIR]… [--format text|json] INSTANCE…`
struct SchemaValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Validate instance files against a schema.",
    discussion: """
      Exit status: 0 when every instance is valid, 1 when any is invalid (or not parseable), \
      2 when the schema is invalid or unreadable, or on bad usage. $refs resolve from the embedded \
      meta-schemas, from files in the schema's folder (relative references) and from --map-uri \
      folders; nothing is fetched from the network.
      """
  )

  @OptionGroup var global: GlobalOptions

  @Option(help: ArgumentHelp("The JSON Schema, a JSON or YAML file.", valueName: "file"))
  var schema: String

  @Option(help: ArgumentHelp("Draft of a schema without $schema: 2020-12 (default) or 7.", valueName: "draft"))
  var draft: String?

  @Option(
    name: .customLong("map-uri"),
    help: ArgumentHelp("Resolve $refs starting with PREFIX from files under DIR.", valueName: "prefix=dir"))
  var mapURI: [String] = []

  @Option(help: "Output format: text or json.")
  var format: SchemaValidation.Format = .text

  @Flag(name: .customLong("assert-format"), help: "Treat the format keyword as an assertion.")
  var assertFormat = false

  @Argument(help: ArgumentHelp("Instance files (JSON or YAML).", valueName: "instance"))
  var instances: [String] = []

  func validate() throws {
    if let draft, SchemaValidation.draft(named: draft) == nil {
      throw ValidationError("unknown draft '\(draft)': use 2020-12 or 7")
    }
    for mapping in mapURI where SchemaValidation.URIMapping(mapping) == nil {
      throw ValidationError("--map-uri takes PREFIX=DIR, got '\(mapping)'")
    }
  }

  /// The options of this command that take a value (`--schema FILE`), as the pre-parser must know
  /// them to tell a value from an instance path. `SchemaArgumentsTests` checks this list against
  /// the options ArgumentParser declares for the command, so a new option cannot be missed.
  static let valueOptions: Set<String> = ["--schema", "--draft", "--map-uri", "--format", "-C"]

  /// A deliberate exception to "KeelCLI only maps flags" (see ARCHITECTURE.md): a hand-written
  /// pre-parser of the argument list. swift-argument-parser collects arguments in time quadratic in
  /// their number — 10,000 instance paths took 48–60 s in a debug build against 0.36 s with this
  /// pre-parser, and seconds in a release one; none of its parsing strategies
  /// (`.allUnrecognized`, `.captureForPassthrough`) avoids it — so `Keel.runMain` takes the
  /// instance paths out of the argument list before parsing and hands them over afterwards. Every
  /// flag and option still goes through ArgumentParser (help, errors, `--format` values);
  /// `SchemaArgumentsTests` checks both parse every argument list the same way. Returns nil for
  /// other commands.
  static func separateInstances(_ arguments: [String]) -> (arguments: [String], instances: [String])? {
    guard arguments.count > 2, arguments[0] == "schema", arguments[1] == "validate" else { return nil }
    var kept = Array(arguments[..<2])
    var instances: [String] = []
    var index = 2
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" {
        instances += arguments[(index + 1)...]
        break
      }
      if Self.valueOptions.contains(argument) {
        kept += arguments[index..<min(index + 2, arguments.count)]
        index += 2
        continue
      }
      if argument.hasPrefix("-") && argument != "-" { kept.append(argument) } else { instances.append(argument) }
      index += 1
    }
    return (kept, instances)
  }

  func run() throws {
    var validation = SchemaValidation(directory: global.workingDirectory, schema: schema, instances: instances)
    validation.draft = draft.flatMap(SchemaValidation.draft(named:)) ?? .draft202012
    validation.mapURI = mapURI.compactMap(SchemaValidation.URIMapping.init)
    validation.assertFormat = assertFormat
    validation.format = format
    try validation.run()
  }
}
