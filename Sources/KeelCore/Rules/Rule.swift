import JSONSchema

/// What a rule is, for `keel rules` listings and SARIF's `tool.driver.rules`.
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

  /// A finding of this rule: the rule id and, unless `severity` says otherwise, the default
  /// severity come from the rule, never from a string typed at the call site.
  public func finding(
    _ message: String, path: String, at position: SourcePosition?, severity: Severity? = nil,
    jsonPointer: String? = nil, schemaLocation: String? = nil, related: [RelatedLocation] = []
  ) -> Diagnostic {
    Diagnostic(
      rule: id, severity: severity ?? defaultSeverity, message: message, path: path, at: position,
      jsonPointer: jsonPointer, schemaLocation: schemaLocation, related: related)
  }

  /// A finding at `line`:`column` (1:1 when the problem is the whole file).
  public func finding(
    _ message: String, path: String, line: Int = 1, column: Int = 1, severity: Severity? = nil,
    related: [RelatedLocation] = []
  ) -> Diagnostic {
    Diagnostic(
      rule: id, severity: severity ?? defaultSeverity, message: message, path: path, line: line, column: column,
      related: related)
  }
}

/// A small repository that shows a rule at work; the tests run every example.
public struct RuleExample: Sendable {
  /// What the example shows.
  public var name: String
  /// Repository content: path → text. `keel.yaml` defaults to `RuleExample.defaultConfig`.
  public var files: [String: String]
  /// True when the rule must report at least one finding; false when it must report none.
  public var triggers: Bool
  /// Where the first finding must be (`path:line:col`), when `triggers`.
  public var location: String?
  /// The repository before the change, when the example is a change (review
  /// mode): the check compares `files` with it. Paths as in `files`;
  /// `keel.yaml` defaults as there.
  public var baseFiles: [String: String]?
  /// When documents entered their states, as `keel check` reads it from Git (`workflow/stale`).
  public var stateHistory: StateHistory?

  public init(
    _ name: String, triggers: Bool, at location: String? = nil, files: [String: String],
    base baseFiles: [String: String]? = nil, history stateHistory: StateHistory? = nil
  ) {
    self.name = name
    self.triggers = triggers
    self.location = location
    self.files = files
    self.baseFiles = baseFiles
    self.stateHistory = stateHistory
  }

  /// A keel.yaml with one `prd` kind over `specs/**/*.md` and `schemas/prd.yaml`.
  public static let defaultConfig = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.yaml
    """

  /// A small PRD schema used by the examples.
  public static let defaultSchema = """
    type: object
    required: [title, owner, status]
    properties:
      title: {type: string}
      owner: {type: string}
      status: {enum: [draft, review, approved, shipped]}
    """
}

/// A rule that looks at one document at a time (in parallel with others).
public protocol DocumentRule: Sendable {
  static var descriptor: RuleDescriptor { get }
  /// Further rule ids this rule may report (a family such as `schema/*`).
  static var additionalDescriptors: [RuleDescriptor] { get }
  static var examples: [RuleExample] { get }
  init()
  func check(_ document: Document, in context: CheckContext) -> [Diagnostic]
}

/// A rule that looks at the repository as a whole (RACI, glossary, people,
/// cross-document checks such as duplicate ids).
public protocol RepositoryRule: Sendable {
  static var descriptor: RuleDescriptor { get }
  static var additionalDescriptors: [RuleDescriptor] { get }
  static var examples: [RuleExample] { get }
  init()
  func check(_ context: CheckContext) -> [Diagnostic]
}

extension DocumentRule {
  public static var additionalDescriptors: [RuleDescriptor] { [] }
}
extension RepositoryRule {
  public static var additionalDescriptors: [RuleDescriptor] { [] }
}

extension RuleExample {
  /// Runs the checker on the example's repository (compared with its base,
  /// when it has one), as `keel check` would.
  public func run() throws -> CheckResult {
    func withConfig(_ files: [String: String]) -> MemorySnapshot {
      var files = files
      if files["keel.yaml"] == nil { files["keel.yaml"] = RuleExample.defaultConfig }
      return MemorySnapshot(texts: files)
    }
    let head = withConfig(files)
    let base = try baseFiles.map { try ReviewBase.comparing(withConfig($0), to: head) }
    return try Checker(snapshot: head).run(base: base, stateHistory: stateHistory.map { Pending(value: $0) })
  }
}
