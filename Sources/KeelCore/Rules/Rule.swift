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

  public init(_ name: String, triggers: Bool, at location: String? = nil, files: [String: String]) {
    self.name = name
    self.triggers = triggers
    self.location = location
    self.files = files
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
