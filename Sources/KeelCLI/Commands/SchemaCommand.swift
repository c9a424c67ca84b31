import ArgumentParser
import Foundation
import JSONSchema
import KeelCore

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

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

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
  var format: Format = .text

  @Flag(name: .customLong("assert-format"), help: "Treat the format keyword as an assertion.")
  var assertFormat = false

  @Argument(help: ArgumentHelp("Instance files (JSON or YAML).", valueName: "instance"))
  var instances: [String] = []

  static func parseDraft(_ text: String) -> JSONSchemaDraft? {
    switch text.lowercased() {
    case "2020-12", "draft2020-12", "draft-2020-12": .draft202012
    case "7", "07", "draft7", "draft-07", "draft-7": .draft7
    default: nil
    }
  }

  func validate() throws {
    if let draft, Self.parseDraft(draft) == nil {
      throw ArgumentParser.ValidationError("unknown draft '\(draft)': use 2020-12 or 7")
    }
    for mapping in mapURI where !mapping.contains("=") || mapping.hasPrefix("=") {
      throw ArgumentParser.ValidationError("--map-uri takes PREFIX=DIR, got '\(mapping)'")
    }
  }

  /// Parses a schema or instance file: JSON by JSONParser, anything else by the YAML reader.
  static let parser: SchemaRegistry.Parser = { data, path in
    let (value, problems) = StructuredFile.read(data, path: path)
    if let value { return value }
    let problem = problems.first
    throw SchemaError(
      message: problem?.message ?? "cannot parse \(path)",
      position: problem.map { SourcePosition(line: $0.line, column: $0.column) }, uri: path)
  }

  /// ArgumentParser collects a repeated positional argument in quadratic time (10,000 file
  /// arguments take seconds), so `Keel.runMain` takes the instance paths out of the argument
  /// list before parsing and hands them over afterwards. Returns nil for other commands.
  static func separateInstances(_ arguments: [String]) -> (arguments: [String], instances: [String])? {
    guard arguments.count > 2, arguments[0] == "schema", arguments[1] == "validate" else { return nil }
    let valueOptions: Set<String> = ["--schema", "--draft", "--map-uri", "--format", "-C"]
    var kept = Array(arguments[..<2])
    var instances: [String] = []
    var index = 2
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" {
        instances += arguments[(index + 1)...]
        break
      }
      if valueOptions.contains(argument) {
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
    if instances.isEmpty {
      Output.warn("give at least one instance file (keel schema validate --schema FILE INSTANCE…)")
      throw ExitCode(2)
    }
    let directory = global.workingDirectory
    var registry = SchemaRegistry()
    for mapping in mapURI {
      let separator = mapping.firstIndex(of: "=")!
      let folder = URL(
        fileURLWithPath: String(mapping[mapping.index(after: separator)...]), isDirectory: true, relativeTo: directory)
      registry.mapURIPrefix(String(mapping[..<separator]), toDirectory: folder.standardizedFileURL, parser: Self.parser)
    }
    let schemaURL = URL(fileURLWithPath: schema, relativeTo: directory).standardizedFileURL
    // Relative `$ref`s between schema files: files in the schema's folder (and below) resolve by path.
    let schemaFolder = schemaURL.deletingLastPathComponent()
    registry.mapURIPrefix(schemaFolder.absoluteString, toDirectory: schemaFolder, parser: Self.parser)
    let compiler = SchemaCompiler(
      registry: registry, defaultDraft: draft.flatMap(Self.parseDraft) ?? .draft202012, assertFormat: assertFormat)
    let compiled: CompiledSchema
    do {
      compiled = try compiler.compile(fileAt: schemaURL, parser: Self.parser)
    } catch {
      let at = error.position.map { ":\($0.line):\($0.column)" } ?? ""
      let origin = error.uri.flatMap { $0 == schemaURL.absoluteString || $0.isEmpty ? nil : $0 } ?? schema
      let pointer = error.location.isEmpty ? "" : " (at \(error.location))"
      Output.warn("schema error: \(origin)\(at): \(error.message)\(pointer)")
      throw ExitCode(2)
    }

    let results = Self.validateAll(instances, relativeTo: directory, with: compiled)
    let output: String
    switch format {
    case .json: output = Self.jsonReport(results)
    case .text: output = TextKit.terminal(Self.textReport(results))
    }
    FileHandle.standardOutput.write(Data(output.utf8))
    if let unreadable = results.first(where: { $0.unreadable }) {
      Output.warn("cannot read \(unreadable.path)")
      throw ExitCode(2)
    }
    if results.contains(where: { !$0.errors.isEmpty }) { throw ExitCode(1) }
  }

  struct InstanceResult: Sendable {
    var path: String
    var errors: [JSONSchema.ValidationError] = []
    var unreadable = false
  }

  /// Reads, parses and validates every instance, in parallel (results keep the argument order).
  static func validateAll(_ paths: [String], relativeTo directory: URL, with schema: CompiledSchema)
    -> [InstanceResult]
  {
    let results = UnsafeMutableBufferPointer<InstanceResult>.allocate(capacity: paths.count)
    _ = results.initialize(from: paths.map { InstanceResult(path: $0) })
    defer { results.deallocate() }
    nonisolated(unsafe) let shared = results
    let base = directory.path.hasSuffix("/") ? directory.path : directory.path + "/"
    DispatchQueue.concurrentPerform(iterations: paths.count) { index in
      let path = paths[index]
      let absolute = path.hasPrefix("/") ? path : base + path
      guard let data = FileManager.default.contents(atPath: absolute) else {
        shared[index].unreadable = true
        return
      }
      let (instance, problems) = StructuredFile.read(data, path: path)
      if let instance {
        // Read, but with problems a check reports as errors (a duplicate key, a second YAML document).
        let parseErrors = problems.filter { $0.severity == .error }.map {
          JSONSchema.ValidationError(
            instanceLocation: "", keywordLocation: "", absoluteKeywordLocation: "", keyword: "parse",
            message: $0.message, position: SourcePosition(line: $0.line, column: $0.column))
        }
        shared[index].errors = parseErrors + schema.validate(instance)
      } else {
        let problem = problems.first
        shared[index].errors = [
          JSONSchema.ValidationError(
            instanceLocation: "", keywordLocation: "", absoluteKeywordLocation: "", keyword: "parse",
            message: "cannot parse: \(problem?.message ?? "unreadable content")",
            position: problem.map { SourcePosition(line: $0.line, column: $0.column) })
        ]
      }
    }
    return Array(results)
  }

  static func textReport(_ results: [InstanceResult]) -> String {
    var text = ""
    for result in results {
      for error in result.errors {
        let line = error.position?.line ?? 1
        let column = error.position?.column ?? 1
        let location = error.keywordLocation.isEmpty ? "" : " [\(error.keywordLocation)]"
        text += "\(result.path):\(line):\(column): error: \(error.message)\(location)\n"
      }
    }
    let invalid = results.filter { !$0.errors.isEmpty }.count
    text +=
      "\(results.count) instance\(results.count == 1 ? "" : "s"): \(results.count - invalid) valid, \(invalid) invalid\n"
    return text
  }

  static func jsonReport(_ results: [InstanceResult]) -> String {
    let entries: [JSONValue] = results.map { result in
      let errors: [JSONValue] = result.errors.map { error in
        .object(
          JSONObject([
            ("instanceLocation", .string(error.instanceLocation)),
            ("keywordLocation", .string(error.keywordLocation)),
            ("absoluteKeywordLocation", .string(error.absoluteKeywordLocation)),
            ("keyword", .string(error.keyword)),
            ("message", .string(error.message)),
            ("line", .integer(error.position?.line ?? 1)),
            ("column", .integer(error.position?.column ?? 1)),
          ]))
      }
      return .object(
        JSONObject([
          ("instance", .string(result.path)), ("valid", .bool(result.errors.isEmpty && !result.unreadable)),
          ("errors", .array(errors)),
        ]))
    }
    return JSONValue.object(JSONObject([("results", .array(entries))])).jsonText() + "\n"
  }
}
