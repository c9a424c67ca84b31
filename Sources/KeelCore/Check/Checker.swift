import Foundation
import JSONSchema

/// The outcome of one check: findings plus the documents that were checked.
public struct CheckResult: Sendable {
  public var diagnostics: [Diagnostic]
  public var documents: [String: Document]
  public var context: CheckContext
  public var documentCount: Int { documents.count }
}

/// Runs every rule over a snapshot. Reads all bytes first (snapshots backed by
/// Git are not thread-safe), then parses and checks documents in parallel.
public struct Checker: Sendable {
  public var snapshot: Snapshot
  public var limits: ParseLimits
  /// When documents entered their states (from the Git history); enables `workflow/stale`.
  public var stateHistory: StateHistory?

  public init(snapshot: Snapshot, limits: ParseLimits = .default) {
    self.snapshot = snapshot
    self.limits = limits
  }

  /// - Parameter documentPaths: check only these documents (pre-commit and
  ///   review mode); nil checks every document of the snapshot.
  /// - Throws: `KeelError` for a missing or invalid configuration or schema.
  public func run(documentPaths: Set<String>? = nil) throws -> CheckResult {
    let allPaths = try snapshot.paths()
    let config = try KeelConfig.load(from: snapshot)
    var limits = self.limits
    if let maxBytes = config.maxFileBytes { limits.maxFileBytes = maxBytes }
    let schemas = try DocumentSchemas(config: config, snapshot: snapshot, allPaths: allPaths)

    struct Pending: Sendable {
      var path: String
      var kind: String
      var data: Data
      var blobID: String?
    }
    var pending: [Pending] = []
    for path in allPaths {
      if let documentPaths, !documentPaths.contains(path) { continue }
      guard let kind = config.kind(for: path) else { continue }
      let data = try snapshot.read(path)
      pending.append(Pending(path: path, kind: kind.name, data: data, blobID: snapshot.blobID(path)))
    }

    let parsed = pending.parallelMap { [limits] item in
      DocumentParser.parse(path: item.path, data: item.data, kind: item.kind, blobID: item.blobID, limits: limits)
    }
    var context = CheckContext(
      config: config, snapshot: snapshot, allPaths: allPaths, schemas: schemas,
      documents: Dictionary(uniqueKeysWithValues: parsed.map { ($0.path, $0) }), limits: limits)
    let frozen = context
    let rules = RuleCatalog.documentRules.map { $0.init() }
    var diagnostics = parsed.parallelMap { document in
      rules.flatMap { $0.check(document, in: frozen) } + document.diagnostics
    }.flatMap { $0 }
    for rule in RuleCatalog.repositoryRules {
      diagnostics += rule.init().check(frozen)
    }
    if let stateHistory, let configuration = try? HistoryConfiguration.load(from: snapshot) {
      diagnostics += StaleDocuments.diagnostics(
        documents: frozen.documents, history: stateHistory, configuration: configuration)
    }
    diagnostics = diagnostics.compactMap { diagnostic in
      guard let severity = config.severity(for: diagnostic.rule, default: diagnostic.severity) else { return nil }
      var adjusted = diagnostic
      adjusted.severity = severity
      return adjusted
    }
    context.documents = frozen.documents
    return CheckResult(diagnostics: diagnostics.sorted(), documents: context.documents, context: context)
  }
}
