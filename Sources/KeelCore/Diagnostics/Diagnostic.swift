import JSONSchema

/// How bad a finding is. `off` exists only in configuration (a disabled rule).
public enum Severity: String, Sendable, Codable, Hashable, Comparable, CaseIterable {
  case error, warning, note

  private var rank: Int {
    switch self {
    case .error: 2
    case .warning: 1
    case .note: 0
    }
  }
  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Another place that helps explain a finding (e.g. the first of two duplicates).
public struct RelatedLocation: Sendable, Hashable, Codable {
  public var path: String
  public var line: Int
  public var column: Int
  public var message: String
  /// Line and column are 1-based; smaller values are read as 1 (as a `Diagnostic`'s are).
  public init(path: String, line: Int, column: Int, message: String) {
    self.path = path
    self.line = max(1, line)
    self.column = max(1, column)
    self.message = message
  }
}

/// A finding about the user's content. Findings are data; failures of the tool
/// itself are thrown errors (`KeelError`).
public struct Diagnostic: Sendable, Hashable, Codable {
  /// Stable rule id, `family/name` (`schema/required`, `template/missing-section`).
  public var rule: String
  public var severity: Severity
  public var message: String
  /// Repository-relative path with `/` separators.
  public var path: String
  /// 1-based line.
  public var line: Int
  /// 1-based column, counted in Unicode scalar values.
  public var column: Int
  /// JSON pointer into the front matter (or YAML file) the finding is about.
  public var jsonPointer: String?
  /// Where in the schema the failing keyword is (`absoluteKeywordLocation`).
  public var schemaLocation: String?
  public var related: [RelatedLocation]

  /// Internal on purpose: a finding is made by its rule, `RuleDescriptor.finding(…)`, so its id is
  /// one the catalogue lists (`RuleIDTests` checks no other source builds one from a string).
  init(
    rule: String, severity: Severity = .error, message: String, path: String, line: Int = 1, column: Int = 1,
    jsonPointer: String? = nil, schemaLocation: String? = nil, related: [RelatedLocation] = []
  ) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.path = path
    self.line = max(1, line)
    self.column = max(1, column)
    self.jsonPointer = jsonPointer
    self.schemaLocation = schemaLocation
    self.related = related
  }

  init(
    rule: String, severity: Severity = .error, message: String, path: String, at position: SourcePosition?,
    jsonPointer: String? = nil, schemaLocation: String? = nil, related: [RelatedLocation] = []
  ) {
    self.init(
      rule: rule, severity: severity, message: message, path: path, line: position?.line ?? 1,
      column: position?.column ?? 1, jsonPointer: jsonPointer, schemaLocation: schemaLocation, related: related)
  }
}

extension Diagnostic: Comparable {
  /// Report order: by path, then position, then rule.
  /// Field by field: sorting thousands of findings should not copy five fields per comparison.
  public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
    if lhs.path != rhs.path { return lhs.path < rhs.path }
    if lhs.line != rhs.line { return lhs.line < rhs.line }
    if lhs.column != rhs.column { return lhs.column < rhs.column }
    if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
    return lhs.message < rhs.message
  }
}

/// A failure of the tool's own inputs: not a repository, a bad flag, an
/// unreadable or invalid configuration. The CLI prints `description` on one
/// line and exits 2.
public struct KeelError: Error, Sendable, CustomStringConvertible {
  public var message: String
  /// Where the problem is, when it is in a file (`keel.yaml:3:5`).
  public var path: String?
  public var position: SourcePosition?

  public init(_ message: String, path: String? = nil, position: SourcePosition? = nil) {
    self.message = message
    self.path = path
    self.position = position
  }

  public var description: String {
    guard let path else { return message }
    guard let position else { return "\(path): \(message)" }
    return "\(path):\(position.line):\(position.column): \(message)"
  }
}
