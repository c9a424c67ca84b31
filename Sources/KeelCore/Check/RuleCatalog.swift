/// Every rule Keel runs. Adding a rule: write one file under `Rules/`, with its
/// descriptor and examples, and list it here; `RuleExampleTests` runs it.
public enum RuleCatalog {
  public static let documentRules: [any DocumentRule.Type] = [
    FrontMatterSchemaRule.self,
    MissingFrontMatterRule.self,
    AvoidedTermRule.self,
    TemplateMissingSectionRule.self,
    TemplateSectionOrderRule.self,
    TemplateHeadingLevelRule.self,
    TemplateEmptySectionRule.self,
    TemplatePlaceholderRule.self,
    TemplateChecklistItemRule.self,
    TemplateKeepRule.self,
    TemplatePickRule.self,
    TemplateExtraSectionRule.self,
    WorkflowUnknownStateRule.self,
    WorkflowRequirementRule.self,
    WorkflowIllegalTransitionRule.self,
    WorkflowInitialStateRule.self,
  ]

  public static let repositoryRules: [any RepositoryRule.Type] = [
    DuplicateDocumentIDRule.self,
    AccountableCountRule.self,
    NoResponsibleRule.self,
    UnknownPersonRule.self,
    DuplicateActivityRule.self,
    ConflictingRolesRule.self,
    DuplicateTermRule.self,
    DanglingSeeRule.self,
    EmptyDefinitionRule.self,
    DuplicatePersonRule.self,
    UnknownMemberRule.self,
    // Like DuplicateDocumentIDRule, waits for the state history, which may still be read from Git meanwhile.
    WorkflowStaleRule.self,
  ]

  /// Findings the reader itself produces (`parse/*`, `config/*`).
  public static let readerDescriptors: [RuleDescriptor] = [
    RuleDescriptor(id: "parse/yaml", summary: "The YAML is malformed."),
    RuleDescriptor(id: "parse/json", summary: "The JSON is malformed."),
    RuleDescriptor(id: "parse/duplicate-key", summary: "A mapping has the same key twice."),
    RuleDescriptor(
      id: "parse/header-list", summary: "An item of a `header: list` document's list is not `- Key: value`."),
    RuleDescriptor(id: "parse/encoding", summary: "The file is not valid UTF-8."),
    RuleDescriptor(id: "parse/binary", summary: "The file is binary, not text."),
    RuleDescriptor(id: "parse/too-large", summary: "The file is larger than the size limit."),
    RuleDescriptor(id: "parse/too-deep", summary: "The YAML is nested deeper than the limit."),
    RuleDescriptor(
      id: "parse/too-complex",
      summary:
        "A Markdown table has more columns than `limits.max-table-columns`, or a body more nodes than "
        + "`limits.max-markdown-nodes`."),
    RuleDescriptor(id: "parse/alias-bomb", summary: "YAML aliases expand to more nodes than the limit."),
    RuleDescriptor(id: "parse/empty", summary: "The file is empty."),
    RuleDescriptor(id: "parse/conflict-marker", summary: "The file contains a merge-conflict marker."),
    RuleDescriptor(id: "parse/front-matter-unterminated", summary: "The front matter has no closing `---`."),
    RuleDescriptor(id: "parse/multiple-documents", summary: "A YAML file holds more than one document."),
    RuleDescriptor(
      id: "parse/unknown-tag", summary: "A YAML value carries a tag other than the core schema's (`!!python/object`).",
      defaultSeverity: .warning),
    RuleDescriptor(
      id: "document/incomplete-folder", summary: "A folder document has no metadata file or no body file."),
    RuleDescriptor(id: "config/missing-file", summary: "A file named by keel.yaml does not exist."),
    RuleDescriptor(id: "config/schema", summary: "A Keel file does not match its schema."),
    RuleDescriptor(
      id: "config/unreadable-documents", summary: "A kind includes files keel cannot read as Markdown, YAML or JSON.",
      defaultSeverity: .warning),
  ]

  /// Every rule id keel can report, as the catalogue lists them (readers, the rule types and their
  /// families, suppressions), before sorting: `duplicateIDs(in: descriptors)` must be empty.
  public static let descriptors: [RuleDescriptor] = {
    var all = readerDescriptors + [Suppressions.descriptor]
    for rule in documentRules { all += [rule.descriptor] + rule.additionalDescriptors }
    for rule in repositoryRules { all += [rule.descriptor] + rule.additionalDescriptors }
    return all
  }()

  /// Every descriptor, sorted by id (SARIF's `tool.driver.rules`).
  public static let allDescriptors: [RuleDescriptor] = descriptors.sorted { $0.id < $1.id }

  /// The ids listed more than once, in order of their second appearance.
  public static func duplicateIDs(in descriptors: [RuleDescriptor]) -> [String] {
    var seen = Set<String>()
    return descriptors.map(\.id).filter { !seen.insert($0).inserted }
  }

  public static func descriptor(for id: String) -> RuleDescriptor? { allDescriptors.first { $0.id == id } }
}
