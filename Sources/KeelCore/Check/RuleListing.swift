import JSONSchema

/// What `keel rules` prints: every rule with the severity it has in this
/// repository and where that comes from (the default, or a line of keel.yaml).
public struct RuleListing: Sendable {
  public struct Row: Sendable {
    public var rule: RuleDescriptor
    /// The `rules:` entry that applies, if any.
    public var policy: RulePolicy?
    /// nil when the rule is off.
    public var severity: Severity? { policy.map(\.severity) ?? rule.defaultSeverity }
  }

  public var rows: [Row]
  /// keel.yaml's path, for the origin of overridden rules.
  public var configPath: String

  /// - Parameter config: nil lists the defaults (no keel.yaml).
  public init(config: KeelConfig?, configPath: String = KeelConfig.fileName) {
    rows = RuleCatalog.allDescriptors.map { Row(rule: $0, policy: config?.policy(for: $0.id)) }
    self.configPath = configPath
  }

  /// `default`, `keel.yaml:12`, `keel.yaml:12 (template/*)`, `keel.yaml:12, from review`.
  func origin(of row: Row) -> String {
    guard let policy = row.policy else { return "default" }
    var origin = configPath + (policy.position.map { ":\($0.line)" } ?? "")
    if policy.key != row.rule.id { origin += " (\(policy.key))" }
    if policy.isStateGated { origin += ", from " + policy.from.joined(separator: ", ") }
    return origin
  }

  /// One line per rule: id, effective severity, origin, summary.
  /// `keel rules --format`.
  public enum Format: String, CaseIterable, Sendable {
    case text, json
  }

  /// The listing in `format`, terminal-safe as text.
  public func render(_ format: Format) -> String {
    switch format {
    case .text: TextKit.terminal(text())
    case .json: json()
    }
  }

  public func text() -> String {
    let origins = rows.map(origin(of:))
    let originWidth = max(12, origins.map(\.count).max() ?? 0)
    func pad(_ text: String, _ width: Int) -> String {
      text + String(repeating: " ", count: max(1, width - text.count))
    }
    return zip(rows, origins).map { row, origin in
      pad(row.rule.id, 34) + pad(row.severity?.rawValue ?? "off", 8) + pad(origin, originWidth + 2) + row.rule.summary
        + "\n"
    }.joined()
  }

  /// `{"rules": [{"id", "summary", "defaultSeverity", "severity", "from", "source", "key", "line"}]}`;
  /// `severity` is `off` for a rule turned off, `source` is `default` or keel.yaml's path.
  public func json() -> String {
    let rules: [JSONValue] = rows.map { row in
      .object(
        JSONObject([
          ("id", .string(row.rule.id)),
          ("summary", .string(row.rule.summary)),
          ("defaultSeverity", .string(row.rule.defaultSeverity.rawValue)),
          ("severity", .string(row.severity?.rawValue ?? "off")),
          ("from", .array((row.policy?.from ?? []).map(JSONValue.string))),
          ("source", .string(row.policy == nil ? "default" : configPath)),
          ("key", row.policy.map { .string($0.key) } ?? .null),
          ("line", row.policy?.position.map { .integer($0.line) } ?? .null),
        ]))
    }
    return JSONText.render(.object(JSONObject([("rules", .array(rules))]))) + "\n"
  }
}
