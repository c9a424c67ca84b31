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
  /// Text that, ending a template heading, makes its section optional (`optional-marker:`).
  public var optionalMarkers: [String] = Template.defaultOptionalMarkers
  /// Where Markdown documents of the kind write their fields (`header:`): front matter or a list.
  public var header: HeaderStyle = .yaml
  /// Include patterns ending in `/` (`keps/*/*/`), without it: each folder they match is one
  /// document, whose fields are its `metadata` file and whose body is its `body` file.
  public var folderInclude: [Glob] = []
  /// The file of a folder document holding its fields (`metadata: kep.yaml`).
  public var metadata: String?
  /// The Markdown file of a folder document holding its body (`body: README.md`).
  public var body: String?
  /// `template-since:`: documents first committed before this moment (following renames; a
  /// folder document's folder) are not held to the template; nil: every document is.
  public var templateSince: Date?
  /// `scores:`: computed scores, in keel.yaml's order.
  public var scores: [ScoreConfig] = []

  /// Whether the file at `path` is a document of the kind. A folder document is represented by
  /// its metadata file: `keps/sig-x/1234-foo/kep.yaml` matches when `keps/sig-x/1234-foo` does.
  public func matches(_ path: String) -> Bool {
    if include.contains(where: { $0.matches(path) }) { return !exclude.contains { $0.matches(path) } }
    guard let folder = folder(ofMetadata: path) else { return false }
    return matchesFolder(folder)
  }

  /// Whether `folder` (no trailing `/`) is a folder document of the kind.
  public func matchesFolder(_ folder: String) -> Bool {
    folderInclude.contains { $0.matches(folder) }
      && !exclude.contains { $0.matches(folder) || $0.matches(folder + "/") }
  }

  /// The folder whose metadata file `path` is, when the kind has folder documents.
  public func folder(ofMetadata path: String) -> String? {
    guard !folderInclude.isEmpty, let metadata, path.hasSuffix("/" + metadata) else { return nil }
    return String(path.dropLast(metadata.count + 1))
  }

  /// The body file of the folder document whose metadata file is `path`; nil for other documents.
  public func bodyPath(ofDocument path: String) -> String? {
    guard let body, let folder = folder(ofMetadata: path), matchesFolder(folder) else { return nil }
    return folder + "/" + body
  }
}

/// keel.yaml, loaded and validated against `schemas/keel.schema.json`.
public struct KeelConfig: Sendable {
  public static let fileName = "keel.yaml"

  public var version: Int
  public var peoplePath: String?
  public var glossaryPath: String?
  /// `kpis:`: the KPI catalogue; nil when keel.yaml names none.
  public var kpisPath: String?
  /// `kpi-event-pattern:`, compiled; the default when keel.yaml has none.
  public var kpiEventPattern: KPIEventPattern = .default
  public var raci: [Glob]
  /// Kinds in the order keel.yaml lists them; the first match wins.
  public var kinds: [KindConfig]
  /// `rules:` entries by rule id or family wildcard (`template/*`).
  public var rulePolicies: [String: RulePolicy]
  public var maxFileBytes: Int?
  public var maxTableColumns: Int?
  public var maxMarkdownNodes: Int?
  /// The parsed file, for locating findings about the configuration itself.
  public var source: LocatedJSON

  public func kind(for path: String) -> KindConfig? { kinds.first { $0.matches(path) } }
  public func kind(named name: String) -> KindConfig? { kinds.first { $0.name == name } }

  /// The `rules:` entry that applies to `rule`: its own, else its family's (`template/*`).
  public func policy(for rule: String) -> RulePolicy? {
    if let policy = rulePolicies[rule] { return policy }
    let family = rule.split(separator: "/").first.map { String($0) + "/*" } ?? ""
    return rulePolicies[family]
  }

  /// Loads keel.yaml from a snapshot. A missing, unreadable or invalid file is
  /// a `KeelError` located in keel.yaml (the CLI exits 2).
  public static func load(from snapshot: Snapshot, path: String = fileName) throws -> KeelConfig {
    let data: Data
    do { data = try snapshot.read(path, maxBytes: ParseLimits.default.maxFileBytes) } catch let refusal as PathRefusal {
      throw refusal
    } catch let tooLarge as FileTooLargeError {
      throw KeelError("\(fileName) \(PathRefusal.problem(reading: tooLarge))", path: path)
    } catch {
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
    let config = try KeelConfig(parsed, text: String(decoding: data, as: UTF8.self))
    try config.validateRuleIDs(path: path)
    return config
  }

  /// - Parameter text: keel.yaml's text, to place errors inside a score's formula.
  init(_ parsed: LocatedJSON, text: String = "") throws {
    guard case .object(let root) = parsed.value else { throw KeelError("keel.yaml must be a mapping") }
    source = parsed
    version = root["version"].flatMap(\.intValue) ?? 1
    peoplePath = root["people"]?.stringValue
    glossaryPath = root["glossary"]?.stringValue
    kpisPath = root["kpis"]?.stringValue
    if let pattern = root["kpi-event-pattern"]?.stringValue {
      kpiEventPattern = try KPIEventPattern(pattern, position: parsed.sourceMap.values["/kpi-event-pattern"])
    }
    raci = (root["raci"]?.arrayValue ?? []).compactMap(\.stringValue).map(Glob.init)
    kinds = []
    if case .object(let kinds)? = root["kinds"] {
      for (name, value) in kinds {
        guard case .object(let kind) = value else { continue }
        let patterns = (kind["include"]?.arrayValue ?? []).compactMap(\.stringValue)
        var kindConfig = KindConfig(
          name: name,
          include: patterns.filter { !$0.hasSuffix("/") }.map(Glob.init),
          exclude: (kind["exclude"]?.arrayValue ?? []).compactMap(\.stringValue).map(Glob.init),
          schema: kind["schema"]?.stringValue,
          template: kind["template"]?.stringValue,
          workflow: kind["workflow"]?.stringValue,
          strict: kind["strict"] == .bool(true),
          idField: kind["id-field"]?.stringValue ?? "id",
          optionalMarkers: kind["optional-marker"]?.stringListIfPresent ?? Template.defaultOptionalMarkers,
          header: kind["header"]?.stringValue.flatMap(HeaderStyle.init(rawValue:)) ?? .yaml)
        kindConfig.folderInclude = patterns.filter { $0.hasSuffix("/") }.map { Glob(String($0.dropLast())) }
        kindConfig.metadata = kind["metadata"]?.stringValue
        kindConfig.body = kind["body"]?.stringValue
        if let since = kind["template-since"]?.stringValue {
          do { kindConfig.templateSince = try HistoryDates.parseArgument(since, option: "template-since") } catch {
            throw KeelError(
              "kind '\(name)': \(error.message)", path: KeelConfig.fileName,
              position: parsed.sourceMap.values["/kinds/\(JSONValue.escapePointerToken(name))/template-since"])
          }
        }
        kindConfig.scores = try ScoreConfig.parse(kind["scores"], kind: name, source: parsed, text: text)
        if !kindConfig.folderInclude.isEmpty, kindConfig.metadata == nil {
          throw KeelError(
            "kind '\(name)' includes folders ('…/'): it needs 'metadata:', the file of each folder holding its fields",
            path: KeelConfig.fileName,
            position: parsed.sourceMap.values["/kinds/\(JSONValue.escapePointerToken(name))/include"])
        }
        self.kinds.append(kindConfig)
      }
    }
    rulePolicies = [:]
    if case .object(let rules)? = root["rules"] {
      for (rule, value) in rules {
        let pointer = "/rules/" + JSONValue.escapePointerToken(rule)
        let severity: String?
        var from: [String] = []
        switch value {
        case .string(let text): severity = text
        case .object(let fields):
          severity = fields["severity"]?.stringValue
          from = fields["from"]?.stringList ?? []
        default: severity = nil
        }
        guard let severity, severity == "off" || Severity(rawValue: severity) != nil else { continue }
        let fromPointer = pointer + "/from"
        let fromPositions = from.indices.map { index in
          parsed.sourceMap.values[fromPointer + "/\(index)"] ?? parsed.sourceMap.values[fromPointer]
        }
        rulePolicies[rule] = RulePolicy(
          key: rule, severity: Severity(rawValue: severity), from: from,
          position: parsed.sourceMap.keys[pointer] ?? parsed.sourceMap.values[pointer], fromPositions: fromPositions)
      }
    }
    if case .object(let limits)? = root["limits"] {
      maxFileBytes = limits["max-file-bytes"]?.intValue
      maxTableColumns = limits["max-table-columns"]?.intValue
      maxMarkdownNodes = limits["max-markdown-nodes"]?.intValue
    }
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
  /// A string or an array of strings as a list; nil for anything else.
  public var stringListIfPresent: [String]? {
    switch self {
    case .string, .array: stringList
    default: nil
    }
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
