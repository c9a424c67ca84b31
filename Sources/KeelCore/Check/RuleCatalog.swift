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
    RefUnknownRule.self,
    RefInactiveRule.self,
    KPIUnknownRule.self,
    ScoreMissingInputRule.self,
    ScoreInvalidRule.self,
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
    RefCycleRule.self,
    RefSuspectRule.self,
    KPINorthStarCountRule.self,
    KPIUnknownOwnerRule.self,
    KPIDuplicateIDRule.self,
    KPIEventNameRule.self,
    // Like DuplicateDocumentIDRule, waits for the state history, which may still be read from Git meanwhile.
    WorkflowStaleRule.self,
    WorkflowChangedAfterApprovalRule.self,
    WorkflowUnknownRACIActivityRule.self,
  ]

  /// Findings the reader itself produces (`parse/*`, `config/*`).
  public static let readerDescriptors: [RuleDescriptor] = ReaderRules.all

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
