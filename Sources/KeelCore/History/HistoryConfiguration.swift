import Foundation
import JSONSchema

/// What history, changelog and metrics need of a workflow: the field holding the state, the states
/// in order, the final ones and the SLA per state.
///
/// Built from the workflow definitions (`Workflow`); a kind without a workflow keeps its state in
/// `status`, with no SLA.
public struct WorkflowInfo: Sendable, Hashable {
  public var name: String
  public var field: String
  /// States in the order the workflow lists them.
  public var states: [String]
  public var finalStates: Set<String>
  /// State → seconds a document may stay in it before it is stale.
  public var sla: [String: TimeInterval]
  /// States a new document starts in: a decision's lead time runs from the first of them it enters.
  public var initial: [String] = []
  /// States that end a decision: the final ones and those marked `decided: true`.
  public var decidedStates: Set<String> = []
  /// The RACI activity whose A is accountable for deciding the workflow's documents (`raci-activity`).
  public var raciActivity: String?
  /// States marked `locks: true` (approved, accepted).
  public var lockingStates: Set<String> = []

  public init(
    name: String, field: String = "status", states: [String] = [], finalStates: Set<String> = [],
    sla: [String: TimeInterval] = [:], initial: [String] = [], decidedStates: Set<String>? = nil,
    raciActivity: String? = nil
  ) {
    self.name = name
    self.field = field
    self.states = states
    self.finalStates = finalStates
    self.sla = sla
    self.initial = initial
    self.decidedStates = decidedStates ?? finalStates
    self.raciActivity = raciActivity
  }

  /// Loads a workflow file (validated as `keel check` does, by `Workflow.load`) and keeps what the
  /// history needs.
  public static func load(_ data: Data, path: String) throws -> WorkflowInfo {
    WorkflowInfo(try Workflow.load(data, path: path), path: path)
  }

  /// What the history needs of an already loaded workflow.
  public init(_ workflow: Workflow, path: String) {
    let fallbackName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    self.init(
      name: workflow.name ?? fallbackName, field: workflow.field, states: workflow.states.map(\.name),
      finalStates: Set(workflow.states.filter(\.isFinal).map(\.name)), sla: workflow.sla, initial: workflow.initial,
      decidedStates: Set(workflow.states.filter { $0.isFinal || $0.isDecided }.map(\.name)),
      raciActivity: workflow.raciActivity)
    lockingStates = Set(workflow.states.filter(\.locks).map(\.name))
  }
}

/// Per-path settings of the history: which kind a document is and which workflow it follows.
public struct HistoryConfiguration: Sendable {
  public struct Kind: Sendable {
    public var name: String
    public var workflow: WorkflowInfo
    /// How the kind's Markdown documents write their fields (`header:`).
    public var header: HeaderStyle = .yaml
    /// The metadata file of the kind's folder documents (`kep.yaml`); nil: its documents are files.
    public var metadata: String?
  }

  private let config: KeelConfig?
  private let workflows: [String: WorkflowInfo]

  /// No keel.yaml: no kinds, no states.
  public static let none = HistoryConfiguration(config: nil, workflows: [:])

  init(config: KeelConfig?, workflows: [String: WorkflowInfo]) {
    self.config = config
    self.workflows = workflows
  }

  /// Loads keel.yaml and the workflows it names from `snapshot`; a kind without a workflow keeps
  /// its state in `status`.
  public static func load(from snapshot: Snapshot) throws -> HistoryConfiguration {
    let config = try KeelConfig.load(from: snapshot)
    var workflows: [String: WorkflowInfo] = [:]
    for kind in config.kinds {
      guard let path = kind.workflow, workflows[path] == nil else { continue }
      let data: Data
      do { data = try snapshot.read(path) } catch {
        throw KeelError("workflow \(path) of kind '\(kind.name)' does not exist", path: KeelConfig.fileName)
      }
      workflows[path] = try WorkflowInfo.load(data, path: path)
    }
    return HistoryConfiguration(config: config, workflows: workflows)
  }

  /// From a check's configuration and the workflows it already loaded (no second read).
  public init(config: KeelConfig, resources: KindResources) {
    var workflows: [String: WorkflowInfo] = [:]
    for kind in config.kinds {
      guard let path = kind.workflow, workflows[path] == nil, let workflow = resources.workflows[kind.name] else {
        continue
      }
      workflows[path] = WorkflowInfo(workflow, path: path)
    }
    self.init(config: config, workflows: workflows)
  }

  public var hasConfiguration: Bool { config != nil }

  /// Some workflow has a state marked `locks: true`, so a check needs when documents entered it.
  public var hasLockingStates: Bool { workflows.values.contains { !$0.lockingStates.isEmpty } }

  /// Some kind has `template-since:`, so a check needs when documents were first committed.
  public var hasTemplateSince: Bool { config?.kinds.contains { $0.templateSince != nil } ?? false }

  /// The kind of a document path (relative to keel.yaml's folder); nil for anything else.
  public func kind(for path: String) -> Kind? { config?.kind(for: path).map(kind) }

  /// The kind called `name`, when keel.yaml has one.
  public func kind(named name: String) -> Kind? { config?.kind(named: name).map(kind) }

  /// A kind of keel.yaml with its workflow (a kind without one keeps its state in `status`).
  private func kind(_ kind: KindConfig) -> Kind {
    Kind(
      name: kind.name, workflow: kind.workflow.flatMap { workflows[$0] } ?? WorkflowInfo(name: kind.name),
      header: kind.header, metadata: kind.folderInclude.isEmpty ? nil : kind.metadata)
  }

  /// The document a changed file belongs to (relative to keel.yaml's folder): the file itself, or
  /// the metadata file of the folder document whose body file it is; nil for anything else.
  public func document(containing path: String) -> String? { config?.document(containing: path) }

  /// The metadata file of the folder document whose body file `path` is; nil when it is none.
  public func document(ofBody path: String) -> String? { config?.document(ofBody: path) }

  /// The file names of folder documents' bodies (`README.md`): only files so named can be one.
  public var bodyNames: Set<String> {
    Set(config?.kinds.compactMap { $0.folderInclude.isEmpty ? nil : $0.body } ?? [])
  }

  /// Where the fields of the file at `path` are: its kind's `header:` for Markdown, else its
  /// extension; nil for a file keel cannot read as Markdown, YAML or JSON.
  public func format(of path: String) -> DocumentFormat? {
    DocumentFormat(path: path, header: kind(for: path)?.header ?? .yaml)
  }

  /// The metadata and body files of the folder document at `path` (a folder, relative to
  /// keel.yaml's folder); nil when `path` is no folder document.
  public func folderFiles(of path: String) -> (metadata: String, body: String?)? {
    guard let config else { return nil }
    let document = config.documentPath(for: path)
    guard document != path, let kind = config.kind(for: document) else { return nil }
    return (document, kind.bodyPath(ofDocument: document))
  }

  /// The body file of the folder document whose metadata file is `path` (relative to keel.yaml's
  /// folder); nil for any other file.
  public func bodyPath(ofDocument path: String) -> String? { config?.kind(for: path)?.bodyPath(ofDocument: path) }

  /// Kind names in keel.yaml order.
  public var kindNames: [String] { config?.kinds.map(\.name) ?? [] }
}
