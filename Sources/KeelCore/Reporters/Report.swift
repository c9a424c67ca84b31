/// Everything a reporter needs to render the result of one `keel check`.
public struct Report: Sendable {
  public var toolVersion: String
  /// What was checked: `working tree`, `index`, `HEAD~1 (3f2a9c1)`, `main..feature`.
  public var source: String
  /// Number of documents checked.
  public var documentCount: Int
  /// Sorted findings (after severity overrides; `off` rules removed).
  public var diagnostics: [Diagnostic]
  /// Every rule that may appear in `diagnostics` (SARIF lists them).
  public var rules: [RuleDescriptor]
  /// Review mode only: each checked document and its workflow state change.
  public var documents: [DocumentSummary]

  public init(
    toolVersion: String, source: String, documentCount: Int, diagnostics: [Diagnostic], rules: [RuleDescriptor],
    documents: [DocumentSummary] = []
  ) {
    self.toolVersion = toolVersion
    self.source = source
    self.documentCount = documentCount
    self.diagnostics = diagnostics
    self.rules = rules
    self.documents = documents
  }

  public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
  public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
}

/// A checked document as the review summary shows it.
public struct DocumentSummary: Sendable, Hashable {
  public enum Change: String, Sendable, Hashable { case added, modified, renamed, deleted, unchanged }
  public var path: String
  public var kind: String?
  public var change: Change
  public var previousPath: String?
  public var stateBefore: String?
  public var stateAfter: String?
  public init(
    path: String, kind: String?, change: Change, previousPath: String? = nil, stateBefore: String? = nil,
    stateAfter: String? = nil
  ) {
    self.path = path
    self.kind = kind
    self.change = change
    self.previousPath = previousPath
    self.stateBefore = stateBefore
    self.stateAfter = stateAfter
  }
}
