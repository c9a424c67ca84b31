import Foundation
import JSONSchema

/// One document kind of keel.yaml (`prd`, `rfc`, `decision`).
public struct KindConfig: Sendable {
  public var name: String
  public var include: [Glob]
  public var exclude: [Glob]
  public var schema: String?
  public var template: String?
  public var workflow: String?
  /// Extra sections beyond the template's are errors.
  public var strict: Bool
  /// Front-matter field that holds the document id (`id`).
  public var idField: String

  public func matches(_ path: String) -> Bool {
    include.contains { $0.matches(path) } && !exclude.contains { $0.matches(path) }
  }
}

/// keel.yaml, loaded and validated against `schemas/keel.schema.json`.
public struct KeelConfig: Sendable {
  public static let fileName = "keel.yaml"

  public var version: Int
  public var peoplePath: String?
  public var glossaryPath: String?
  public var raci: [Glob]
  /// Kinds in the order keel.yaml lists them; the first match wins.
  public var kinds: [KindConfig]
  /// Severity overrides; a nil value means the rule is off.
  public var ruleSeverities: [String: Severity?]
  public var maxFileBytes: Int?
  /// The parsed file, for locating findings about the configuration itself.
  public var source: LocatedJSON

  public func kind(for path: String) -> KindConfig? { kinds.first { $0.matches(path) } }
  public func kind(named name: String) -> KindConfig? { kinds.first { $0.name == name } }

  /// The severity a finding of `rule` gets: the override if any, else the
  /// finding's own; nil when the rule is turned off.
  public func severity(for rule: String, default severity: Severity) -> Severity? {
    if let override = ruleSeverities[rule] { return override }
    let family = rule.split(separator: "/").first.map { String($0) + "/*" } ?? ""
    if let override = ruleSeverities[family] { return override }
    return severity
  }

  /// Loads keel.yaml from a snapshot. A missing, unreadable or invalid file is
  /// a `KeelError` located in keel.yaml (the CLI exits 2).
  public static func load(from snapshot: Snapshot, path: String = fileName) throws -> KeelConfig {
    let data: Data
    do { data = try snapshot.read(path) } catch let refusal as PathRefusal { throw refusal } catch {
      throw KeelError("no \(fileName) found in \(snapshot.label); run 'keel init' to create one", path: path)
    }
    let (parsed, problems) = YAMLReader.read(data: data, path: path)
    if let problem = problems.first(where: { $0.severity == .error }) {
      throw KeelError(problem.message, path: path, position: SourcePosition(line: problem.line, column: problem.column))
    }
    guard let parsed else { throw KeelError("empty configuration", path: path) }
    let errors = KeelSchemas.validate(parsed, against: .config)
    if let first = errors.first {
      throw KeelError("invalid configuration: \(first.message)", path: path, position: first.position)
    }
    return try KeelConfig(parsed)
  }

  init(_ parsed: LocatedJSON) throws {
    guard case .object(let root) = parsed.value else { throw KeelError("keel.yaml must be a mapping") }
    source = parsed
    version = root["version"].flatMap(\.intValue) ?? 1
    peoplePath = root["people"]?.stringValue
    glossaryPath = root["glossary"]?.stringValue
    raci = (root["raci"]?.arrayValue ?? []).compactMap(\.stringValue).map(Glob.init)
    kinds = []
    if case .object(let kinds)? = root["kinds"] {
      for (name, value) in kinds {
        guard case .object(let kind) = value else { continue }
        self.kinds.append(
          KindConfig(
            name: name,
            include: (kind["include"]?.arrayValue ?? []).compactMap(\.stringValue).map(Glob.init),
            exclude: (kind["exclude"]?.arrayValue ?? []).compactMap(\.stringValue).map(Glob.init),
            schema: kind["schema"]?.stringValue,
            template: kind["template"]?.stringValue,
            workflow: kind["workflow"]?.stringValue,
            strict: kind["strict"] == .bool(true),
            idField: kind["id-field"]?.stringValue ?? "id"))
      }
    }
    ruleSeverities = [:]
    if case .object(let rules)? = root["rules"] {
      for (rule, value) in rules {
        guard let text = value.stringValue else { continue }
        ruleSeverities[rule] = text == "off" ? .some(nil) : Severity(rawValue: text)
      }
    }
    if case .object(let limits)? = root["limits"] { maxFileBytes = limits["max-file-bytes"]?.intValue }
  }
}

extension JSONValue {
  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }
  public var intValue: Int? {
    switch self {
    case .integer(let value): value
    case .number(let value) where value.rounded() == value && abs(value) < 1e15: Int(value)
    default: nil
    }
  }
  public var arrayValue: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }
  public var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }
  /// A string or an array of strings, as a list (RACI `R: alice` or `R: [alice]`).
  public var stringList: [String] {
    switch self {
    case .string(let value): [value]
    case .array(let values): values.compactMap(\.stringValue)
    default: []
    }
  }
}
