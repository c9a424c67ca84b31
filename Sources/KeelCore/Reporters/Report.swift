/// Everything a reporter needs to render the result of one `keel check`.
public struct Report: Sendable {
  public var toolVersion: String
  /// What was checked: `working tree`, `index`, `HEAD~1 (3f2a9c1)`, `main..feature`.
  public var source: String
  /// Number of documents checked.
  public var documentCount: Int
  /// Number of RACI, people and glossary files checked (`CheckContext.referenceFiles`).
  public var fileCount = 0
  /// Sorted findings (after severity overrides; `off` rules removed).
  public var diagnostics: [Diagnostic]
  /// Every rule that may appear in `diagnostics` (SARIF lists them).
  public var rules: [RuleDescriptor]
  /// Review mode only: each checked document and its workflow state change.
  public var documents: [DocumentSummary]
  /// Every document path that was checked, with or without findings (JUnit
  /// writes one test case per path). Paths of `documents` and `diagnostics`
  /// are added by `reportedPaths`, so this may stay empty.
  public var checkedPaths: [String]
  /// The text of the lines findings point at; SARIF fingerprints a finding by
  /// the content of its line so that it survives the line moving.
  public var sourceLines: SourceLines
  /// Absolute `file://` URL of the Git repository root (what `paths.repository` is relative to),
  /// ending in `/`, for SARIF's `originalUriBaseIds` (`%SRCROOT%`). Optional (a bare repository
  /// has none): without it viewers resolve paths against the checkout themselves.
  public var sourceRoot: String?
  /// Findings a `keel-disable…` comment suppressed (counted; SARIF keeps them as suppressed results).
  public var suppressed: [SuppressedDiagnostic] = []
  /// Findings recorded in `.keel-baseline.json` (counted; SARIF keeps them as `unchanged`).
  public var baselined: [Diagnostic] = []
  /// Baseline entries no finding matches any more (fixed): `keel baseline --update` drops them.
  public var gone: [BaselineEntry] = []
  /// Whether the findings were compared with a baseline (SARIF then gives each its `baselineState`).
  public var hasBaseline = false
  /// How paths are shown: relative to the Git repository root in the machine formats, to the
  /// directory keel runs in for text. Every path above stays relative to keel.yaml's folder.
  public var paths = ReportPaths()

  public init(
    toolVersion: String, source: String, documentCount: Int, diagnostics: [Diagnostic], rules: [RuleDescriptor],
    documents: [DocumentSummary] = [], checkedPaths: [String] = [], sourceLines: SourceLines = SourceLines(),
    sourceRoot: String? = nil
  ) {
    self.toolVersion = toolVersion
    self.source = source
    self.documentCount = documentCount
    self.diagnostics = diagnostics
    self.rules = rules
    self.documents = documents
    self.checkedPaths = checkedPaths
    self.sourceLines = sourceLines
    self.sourceRoot = sourceRoot
  }

  public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
  public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
  public var noteCount: Int { diagnostics.filter { $0.severity == .note }.count }

  /// Every path the report is about, sorted and unique: the checked paths, the
  /// review documents and every path a finding points at.
  public var reportedPaths: [String] {
    var paths = Set(checkedPaths)
    paths.formUnion(documents.map(\.path))
    paths.formUnion(diagnostics.map(\.path))
    return paths.sorted()
  }
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
