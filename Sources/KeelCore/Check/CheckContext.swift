import Foundation
import JSONSchema

/// Everything rules may look at: the configuration, the snapshot, the compiled
/// schemas and the parsed documents of the whole check.
public struct CheckContext: Sendable {
  public var config: KeelConfig
  public var snapshot: Snapshot
  /// Every path of the snapshot, sorted.
  public var allPaths: [String]
  public var schemas: DocumentSchemas
  /// Documents being checked, by path.
  public var documents: [String: Document]
  public var limits: ParseLimits
  /// people.yaml (empty and not configured when keel.yaml names none).
  public var people = PeopleRegistry()
  /// Every RACI matrix, with the names that are the A of some activity.
  public var raci = RACIIndex()
  /// glossary.yaml, with its avoided-term matcher built once.
  public var glossary = Glossary()
  /// The KPI catalogue (empty and not configured when keel.yaml names none).
  public var kpis = KPICatalogue()
  /// Kind name → template, and kind name → workflow, each file parsed once per check.
  public var kindResources = KindResources()
  /// Review mode, `--staged` and `keel transition`: the state of each changed
  /// document before the change; nil when there is nothing to compare with.
  public var review: ReviewState?
  /// What `x-keel-ref` fields may name: the targets' ids, paths and states, built once per check.
  public var references = ReferenceIndex()
  /// Path → outline and template match of each document whose kind has a
  /// template or workflow (filled by the checker; computed on demand otherwise).
  public var structures: [String: DocumentStructure] = [:]
  /// When each document entered its state, from the Git history (`workflow/stale`); nil without
  /// one (`--no-history`, `--staged`, `--base`). Pending while the history is still being read.
  public var stateHistory: Pending<StateHistory?>?
  /// Document path → when a commit first added it, from the state history (empty without one):
  /// `document/duplicate-id` blames the document that came second. Waits for a pending history.
  public var firstCommitted: [String: Date] { stateHistory?.value?.firstCommitted ?? [:] }

  public init(
    config: KeelConfig, snapshot: Snapshot, allPaths: [String], schemas: DocumentSchemas,
    documents: [String: Document] = [:], limits: ParseLimits = .default
  ) {
    self.config = config
    self.snapshot = snapshot
    self.allPaths = allPaths
    self.schemas = schemas
    self.documents = documents
    self.limits = limits
  }

  /// The kind's template; nil for a YAML or JSON document, which has no body to hold to it, and
  /// for a document first committed before its kind's `template-since:` (known from the state
  /// history, which this waits for only when the kind has that key; without a history every
  /// document is held to the template).
  public func template(for document: Document) -> Template? {
    guard !document.format.isData, let kind = document.kind, let template = kindResources.templates[kind] else {
      return nil
    }
    if let since = config.kind(named: kind)?.templateSince, let first = firstCommitted[document.path], first < since {
      return nil
    }
    return template
  }

  /// Keel's own YAML files every check reads whole: the people and glossary files keel.yaml names
  /// and the RACI matrices its `raci:` globs select, sorted (each once).
  public var referenceFiles: [String] {
    Set(
      [config.peoplePath, config.glossaryPath, config.kpisPath].compactMap { $0 }
        + RACIIndex.paths(config: config, allPaths: allPaths)
    ).sorted()
  }

  /// The documents by every path their findings point at: their own, and a folder document's
  /// body file too.
  public var documentsByFindingPath: [String: Document] {
    var byPath = documents
    for document in documents.values where document.bodyPath != document.path {
      byPath[document.bodyPath] = document
    }
    return byPath
  }

  public func workflow(for document: Document) -> Workflow? {
    document.kind.flatMap { kindResources.workflows[$0] }
  }

  public func structure(of document: Document) -> DocumentStructure {
    structures[document.path] ?? DocumentStructure(document: document, template: template(for: document))
  }
}
