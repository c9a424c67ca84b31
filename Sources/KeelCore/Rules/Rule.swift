/// What a rule is, for `--help`-style listings and SARIF's `tool.driver.rules`.
public struct RuleDescriptor: Sendable, Hashable, Codable {
  /// Stable id, `family/name`.
  public var id: String
  /// One sentence: what the rule reports.
  public var summary: String
  public var defaultSeverity: Severity
  public init(id: String, summary: String, defaultSeverity: Severity = .error) {
    self.id = id
    self.summary = summary
    self.defaultSeverity = defaultSeverity
  }
}
