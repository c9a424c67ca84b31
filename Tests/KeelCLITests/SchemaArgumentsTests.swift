import Foundation
import Testing

@testable import KeelCLI

/// `keel schema validate` takes its instance paths out of the argument list before
/// swift-argument-parser sees it (`SchemaValidateCommand.separateInstances`, a deliberate exception:
/// the parser is quadratic in the number of arguments). The pre-parser must agree with the parser.
@Suite("schema validate's argument pre-parser")
struct SchemaArgumentsTests {
  /// What a parsed command holds, to compare both ways of parsing.
  struct Parsed: Equatable {
    var schema: String
    var draft: String?
    var mapURI: [String]
    var format: String
    var assertFormat: Bool
    var directory: String?
    var instances: [String]

    init(_ command: SchemaValidateCommand) {
      schema = command.schema
      draft = command.draft
      mapURI = command.mapURI
      format = command.format.rawValue
      assertFormat = command.assertFormat
      directory = command.global.directory
      instances = command.instances
    }
  }

  /// The command as swift-argument-parser alone parses `arguments`.
  static func parsedDirectly(_ arguments: [String]) throws -> Parsed {
    let command = try #require(try Keel.parseAsRoot(arguments) as? SchemaValidateCommand)
    return Parsed(command)
  }

  /// The command as `Keel.runMain` parses `arguments`: pre-parser, then swift-argument-parser.
  static func parsedAsKeelDoes(_ arguments: [String]) throws -> Parsed {
    let separated = try #require(SchemaValidateCommand.separateInstances(arguments))
    var command = try #require(try Keel.parseAsRoot(separated.arguments) as? SchemaValidateCommand)
    command.instances += separated.instances
    return Parsed(command)
  }

  static let argumentLists: [[String]] = [
    ["schema", "validate", "--schema", "s.json", "a.yaml", "b.yaml"],
    ["schema", "validate", "a.yaml", "--schema", "s.json", "b.yaml", "--format", "json"],
    ["schema", "validate", "--schema=s.json", "--format=json", "a.yaml"],
    ["schema", "validate", "-C", "repo", "--draft", "7", "--schema", "s.yaml", "--assert-format", "x.json"],
    [
      "schema", "validate", "--map-uri", "https://x/=schemas", "--map-uri", "urn:a=b", "--schema", "s.json", "-",
      "c.yaml",
    ],
    ["schema", "validate", "--schema", "s.json", "--", "--format", "-C", "a.yaml"],
    ["schema", "validate", "--assert-format", "--schema", "s.json", "one two.yaml", "--draft", "2020-12"],
  ]

  @Test("the pre-parser and swift-argument-parser read the same command", arguments: argumentLists)
  func sameCommand(_ arguments: [String]) throws {
    let direct = try Self.parsedDirectly(arguments)
    #expect(try Self.parsedAsKeelDoes(arguments) == direct)
    #expect(!direct.instances.isEmpty)
  }

  @Test("the pre-parser's value options are the options ArgumentParser declares, and no flag")
  func valueOptionsMatchTheDeclaredOptions() throws {
    let result = try keel(
      ["schema", "validate", "--experimental-dump-help"], in: FileManager.default.temporaryDirectory)
    let info = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let command = try #require(info["command"] as? [String: Any])
    let arguments = try #require(command["arguments"] as? [[String: Any]])
    var declared = Set<String>()
    var flags = Set<String>()
    for argument in arguments {
      let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { name -> String? in
        guard let text = name["name"] as? String else { return nil }
        return (name["kind"] as? String == "short" ? "-" : "--") + text
      }
      switch argument["kind"] as? String {
      case "option": declared.formUnion(names)
      case "flag": flags.formUnion(names)
      default: break
      }
    }
    #expect(declared == SchemaValidateCommand.valueOptions)
    #expect(flags.isDisjoint(with: SchemaValidateCommand.valueOptions))
    #expect(flags.contains("--assert-format"))
  }

  @Test("other commands are left to the parser")
  func otherCommands() {
    #expect(SchemaValidateCommand.separateInstances(["check", "--format", "json"]) == nil)
    #expect(SchemaValidateCommand.separateInstances(["schema", "validate"]) == nil)
  }
}
