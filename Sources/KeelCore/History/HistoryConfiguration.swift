import Foundation
import JSONSchema

/// What history, changelog and metrics need of a workflow: the field holding the state, the states
/// in order, the final ones and the SLA per state.
///
/// This is the seam to the workflow definitions: `load` reads the few keys it needs from a workflow
/// file; `KindHistorySettings.statusFieldOnly` is what a kind without workflow gets (its `status`).
public struct WorkflowInfo: Sendable, Hashable {
  public var name: String
  public var field: String
  /// States in the order the workflow lists them.
  public var states: [String]
  public var finalStates: Set<String>
  /// State → seconds a document may stay in it before it is stale.
  public var sla: [String: TimeInterval]

  public init(
    name: String, field: String = "status", states: [String] = [], finalStates: Set<String> = [],
    sla: [String: TimeInterval] = [:]
  ) {
    self.name = name
    self.field = field
    self.states = states
    self.finalStates = finalStates
    self.sla = sla
  }

  /// Reads `name`, `field`, `states` (their order and `final`) and `sla` of a workflow file.
  public static func load(_ data: Data, path: String) throws -> WorkflowInfo {
    let (parsed, problems) = YAMLReader.read(data: data, path: path)
    if let problem = problems.first(where: { $0.severity == .error }) {
      throw KeelError(problem.message, path: path, position: SourcePosition(line: problem.line, column: problem.column))
    }
    guard case .object(let root)? = parsed?.value else { throw KeelError("a workflow must be a mapping", path: path) }
    let fallbackName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    var info = WorkflowInfo(name: root["name"]?.stringValue ?? fallbackName, field: root["field"]?.stringValue ?? "status")
    if case .object(let states)? = root["states"] {
      for (state, value) in states {
        info.states.append(state)
        if value.objectValue?["final"] == .bool(true) { info.finalStates.insert(state) }
      }
    }
    if case .object(let sla)? = root["sla"] {
      for (state, value) in sla {
        guard let text = value.stringValue, let seconds = parseDuration(text) else {
          throw KeelError(
            "SLA '\(value)' for '\(state)' is not a duration such as 10d", path: path,
            position: parsed?.sourceMap.values["/sla/" + JSONValue.escapePointerToken(state)])
        }
        info.sla[state] = seconds
      }
    }
    return info
  }

  /// `30m`, `36h`, `10d`, `2w` (also combined: `1d12h`) in seconds.
  public static func parseDuration(_ text: String) -> TimeInterval? {
    let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
    var total: TimeInterval = 0
    var digits = ""
    var sawUnit = false
    for character in text.trimmingCharacters(in: .whitespaces) {
      if character.isASCII && character.isNumber {
        digits.append(character)
      } else if let unit = units[character], let number = Double(digits) {
        total += number * unit
        digits = ""
        sawUnit = true
      } else {
        return nil
      }
    }
    return sawUnit && digits.isEmpty ? total : nil
  }
}

/// Per-path settings of the history: which kind a document is and which workflow it follows.
public struct HistoryConfiguration: Sendable {
  public struct Kind: Sendable {
    public var name: String
    public var workflow: WorkflowInfo
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

  public var hasConfiguration: Bool { config != nil }

  /// The kind of a document path (relative to keel.yaml's folder); nil for anything else.
  public func kind(for path: String) -> Kind? {
    guard let kind = config?.kind(for: path) else { return nil }
    let workflow = kind.workflow.flatMap { workflows[$0] } ?? WorkflowInfo(name: kind.name)
    return Kind(name: kind.name, workflow: workflow)
  }

  /// Kind names in keel.yaml order.
  public var kindNames: [String] { config?.kinds.map(\.name) ?? [] }
}
