import Foundation
import JSONSchema

/// The outcome of one check: findings plus the documents that were checked.
public struct CheckResult: Sendable {
  public var diagnostics: [Diagnostic]
  /// Findings a `keel-disable…` comment suppressed (not in `diagnostics`).
  public var suppressed: [SuppressedDiagnostic] = []
  public var documents: [String: Document]
  public var context: CheckContext
  public var documentCount: Int { documents.count }
}

/// Runs every rule over a snapshot: configuration, schemas, templates and
/// workflows are loaded once; documents are read (in parallel for plain files;
/// first and serially for Git-backed snapshots, whose libgit2 handles are not
/// shared across threads), then parsed and checked in parallel.
public struct Checker: Sendable {
  public var snapshot: Snapshot
  /// Where keel.yaml and the schemas, templates and workflows it names are read; nil: `snapshot`.
  /// Another snapshot reads a revision with a configuration it does not have (`--config`, or a
  /// revision from before keel.yaml was added); its people and glossary files then come from
  /// `snapshot` when it has them, else from here (`RegistrySnapshot`).
  public var configuration: Snapshot?
  public var limits: ParseLimits
  /// keel.yaml, when the caller has read it already (from `configuration ?? snapshot`); nil: read here.
  public var config: KeelConfig?

  public init(
    snapshot: Snapshot, configuration: Snapshot? = nil, config: KeelConfig? = nil, limits: ParseLimits = .default
  ) {
    self.snapshot = snapshot
    self.configuration = configuration
    self.config = config
    self.limits = limits
  }

  /// - Parameter documentPaths: check only these documents (pre-commit and
  ///   review mode); nil checks every document of the snapshot.
  /// - Parameter base: what the snapshot is compared with (review mode,
  ///   `--staged`): status changes are checked against the base's workflow
  ///   transitions and new documents must start in an initial state.
  /// - Parameter stateHistory: when documents entered their states (from the Git history), for
  ///   `workflow/stale`; only its rule waits for it, so a caller can read the history meanwhile.
  /// - Throws: `KeelError` for a missing or invalid configuration, schema,
  ///   template or workflow.
  public func run(
    documentPaths: Set<String>? = nil, base: ReviewBase? = nil, stateHistory: Pending<StateHistory?>? = nil
  ) throws -> CheckResult {
    let loaded = try load(documentPaths: documentPaths, base: base)
    var context = loaded.context
    let (config, kindResources, allPaths) = (context.config, context.kindResources, context.allPaths)
    let parsed = loaded.parsed
    let structured = parsed.filter { document in
      document.kind.map { kindResources.templates[$0] != nil || kindResources.workflows[$0] != nil } ?? false
    }
    // Before the structures: a kind's `template-since:` needs the history's first commits.
    context.stateHistory = stateHistory
    let templates = context
    let structures = structured.parallelMap { document in
      DocumentStructure(document: document, template: templates.template(for: document))
    }
    context.structures = Dictionary(uniqueKeysWithValues: zip(structured.map(\.path), structures))
    let frozen = context
    let rules = RuleCatalog.documentRules.map { $0.init() }
    var diagnostics = parsed.parallelMap { document in
      rules.flatMap { $0.check(document, in: frozen) } + document.diagnostics
    }.flatMap { $0 }
    // Review mode, `--staged`: documents outside the check that name a document the change altered,
    // or a person, KPI or term it removed.
    let referrers = ReferenceIndex.referrers(in: frozen)
    if !referrers.isEmpty {
      let referenceRules: [any DocumentRule] = [RefUnknownRule(), RefInactiveRule(), KPIUnknownRule()]
      diagnostics += referrers.parallelMap { document in referenceRules.flatMap { $0.check(document, in: frozen) } }
        .flatMap { $0 }
    }
    diagnostics += loaded.problems
    diagnostics += DocumentFiles.foldersWithoutMetadata(config: config, allPaths: allPaths, documents: documentPaths)
    // The repository rules run once; those that read the state history (`document/duplicate-id`,
    // `workflow/stale`) wait for it there, so it is read meanwhile.
    for rule in RuleCatalog.repositoryRules {
      diagnostics += rule.init().check(frozen)
    }
    // Suppression comments first (a comment is used even when its rule is then off), then severities.
    let (kept, suppressed, unused) = Suppressions(context: frozen).apply(to: diagnostics)
    let policy = SeverityPolicy(
      config: config, documents: frozen.documentsByFindingPath, workflows: kindResources.workflows)
    // Then one finding per cause, among the findings that survive the policy.
    let (reported, quiet) = OneFindingPerCause.apply(
      kept: (kept + unused).compactMap(policy.apply),
      suppressed: suppressed.compactMap { entry in
        policy.apply(entry.diagnostic).map { SuppressedDiagnostic(diagnostic: $0, justification: entry.justification) }
      }, context: frozen)
    return CheckResult(
      diagnostics: reported.sorted(), suppressed: quiet.sorted { $0.diagnostic < $1.diagnostic },
      documents: frozen.documents, context: frozen)
  }

  /// What a check reads before any rule runs: keel.yaml, schemas, templates and workflows, the
  /// documents parsed, people, RACI, glossary and the reference index.
  struct Loaded {
    var context: CheckContext
    /// The documents parsed, in path order of the snapshot.
    var parsed: [Document]
    /// Findings about keel's own files met while loading (people, RACI, glossary, unreadable documents).
    var problems: [Diagnostic]
  }

  /// Every document of the snapshot read for its fields only (`KindFields`), with the index of
  /// what reference fields name, and no rule run: what `keel graph` draws. People, RACI, glossary
  /// and KPI files are not read.
  /// - Parameter whole: the documents (read for their fields) to read whole, body included (a graph
  ///   node without a `title` field is named by its first heading).
  public func loadContext(readingWhole whole: @escaping (Document) -> Bool) throws -> CheckContext {
    try load(documentPaths: nil, fieldsOnly: whole).context
  }

  /// - Parameter base: review mode, `--staged`: what the snapshot is compared with (read before the
  ///   reference index, which reads more documents when the change breaks references).
  /// - Parameter fieldsOnly: read the documents for their fields only, except those it accepts, and
  ///   no people, RACI, glossary or KPIs (`loadContext`); nil: everything a check needs.
  private func load(
    documentPaths: Set<String>?, base: ReviewBase? = nil, fieldsOnly: ((Document) -> Bool)? = nil
  ) throws -> Loaded {
    let allPaths = try snapshot.paths()
    let keelFiles = configuration ?? snapshot
    let config = try self.config ?? KeelConfig.load(from: keelFiles)
    var limits = self.limits
    if let maxBytes = config.maxFileBytes { limits.maxFileBytes = maxBytes }
    if let maxColumns = config.maxTableColumns { limits.maxTableColumns = maxColumns }
    if let maxNodes = config.maxMarkdownNodes { limits.maxMarkdownNodes = maxNodes }
    let schemas = try DocumentSchemas(
      config: config, snapshot: keelFiles, allPaths: configuration == nil ? allPaths : try keelFiles.paths())
    let kindResources = try KindResources(config: config, snapshot: keelFiles, limits: limits)
    try config.validateRuleStates(workflows: Array(kindResources.workflows.values))
    try config.validateScoreStates(workflows: kindResources.workflows)

    // Matching every path against every kind's globs is worth both cores on a large repository.
    let candidates = documentPaths.map { wanted in allPaths.filter { wanted.contains($0) } } ?? allPaths
    let matched = zip(candidates, candidates.parallelMap { config.kind(for: $0) }).compactMap {
      path, kind -> (path: String, kind: KindConfig)? in kind.map { (path, $0) }
    }
    // A file keel cannot read as Markdown, YAML or JSON (`.rst`) is named in a warning, never misread.
    let selected = matched.filter { DocumentFormat(path: $0.path) != nil }
    let pathSet = Set(allPaths)
    var parsed: [Document]
    if let whole = fieldsOnly {
      parsed = try KindFields.read(selected, snapshot: snapshot, limits: limits)
      let again = parsed.indices.filter { whole(parsed[$0]) }
      let read = try Self.readWhole(again.map { selected[$0] }, in: snapshot, paths: pathSet, limits: limits)
      for (index, document) in zip(again, read) { parsed[index] = document }
    } else {
      parsed = try Self.readWhole(selected, in: snapshot, paths: pathSet, limits: limits)
    }
    var context = CheckContext(
      config: config, snapshot: snapshot, allPaths: allPaths, schemas: schemas,
      documents: Dictionary(uniqueKeysWithValues: parsed.map { ($0.path, $0) }), limits: limits)
    context.kindResources = kindResources
    guard fieldsOnly == nil else {
      context.references = ReferenceIndex.build(context: context, partial: documentPaths != nil)
      return Loaded(context: context, parsed: parsed, problems: [])
    }
    // People, RACI and glossary: loaded once, shared by every rule.
    let registries = RegistrySnapshot(documents: snapshot, configuration: configuration)
    let (people, peopleProblems) = PeopleRegistry.load(config: config, snapshot: registries, limits: limits)
    let (raci, raciProblems) = try RACIIndex.load(
      config: config, snapshot: registries, allPaths: allPaths, limits: limits)
    let (glossary, glossaryProblems) = Glossary.load(config: config, snapshot: registries, limits: limits)
    let (kpis, kpiProblems) = KPICatalogue.load(config: config, snapshot: registries, limits: limits)
    context.people = people
    context.raci = raci
    context.glossary = glossary
    context.kpis = kpis
    if let base { context.review = ReviewState.build(base: base, limits: limits) }
    context.references = ReferenceIndex.build(context: context, partial: documentPaths != nil)
    let unreadableDocuments = UnreadableDocuments.diagnostics(
      matched.filter { DocumentFormat(path: $0.path) == nil }, config: config)
    return Loaded(
      context: context, parsed: parsed,
      problems: peopleProblems + raciProblems + glossaryProblems + kpiProblems + unreadableDocuments
    )
  }

  /// The documents `selected` names read whole (a folder document's body file too, when `paths`
  /// holds it), in that order: in parallel for plain files; for libgit2-backed snapshots, whose
  /// handles are not shared across threads, every blob read first, then parsed in parallel.
  private static func readWhole(
    _ selected: [(path: String, kind: KindConfig)], in snapshot: Snapshot, paths: Set<String>, limits: ParseLimits
  ) throws -> [Document] {
    if snapshot.supportsConcurrentReads {
      return try selected.parallelMap { path, kind in
        Result {
          let contents = try DocumentFiles.read(path, kind: kind, in: snapshot, paths: paths, limits: limits)
          return DocumentFiles.parse(path, kind: kind, contents: contents, blobID: nil, limits: limits)
        }
      }.map { try $0.get() }
    }
    let blobs = try selected.map {
      (
        $0.path, $0.kind, try DocumentFiles.read($0.path, kind: $0.kind, in: snapshot, paths: paths, limits: limits),
        snapshot.blobID($0.path)
      )
    }
    return blobs.parallelMap { path, kind, contents, blobID in
      DocumentFiles.parse(path, kind: kind, contents: contents, blobID: blobID, limits: limits)
    }
  }
}
