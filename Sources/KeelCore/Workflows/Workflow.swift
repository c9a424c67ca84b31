import Foundation
import JSONSchema

/// A workflow definition (`workflows/spec.yaml`): the states a document's
/// workflow field may hold, where a new document may start, which moves are
/// allowed and what each state requires of the document.
public struct Workflow: Sendable {
  /// Who may be listed in a document's `approvers` field.
  public enum ApproverPolicy: String, Sendable {
    /// Every approver is the `A` (accountable) of some RACI activity.
    case accountable
    /// At least one approver, anyone.
    case any
  }

  /// What a document must have to be in a state.
  public struct Requirements: Sendable, Hashable {
    /// Front-matter fields that must be present and not empty.
    public var fields: [String] = []
    /// Sections (by heading) that must be present and have content.
    public var sections: [String] = []
    /// Sections whose task list must be fully ticked.
    public var checklists: [String] = []
    public var approvers: ApproverPolicy?
    public init() {}
    public var isEmpty: Bool { fields.isEmpty && sections.isEmpty && checklists.isEmpty && approvers == nil }
  }

  public struct State: Sendable {
    public var name: String
    public var isFinal: Bool
    /// `decided: true`: reaching it ends a decision (`keel metrics`' decision lead time), as a final state does.
    public var isDecided = false
    public var description: String?
    public var requires: Requirements
    /// `locks: true`: what a document holds in this state was approved (approved, accepted); a
    /// change of its body or of a field other than the workflow field afterwards is
    /// `workflow/changed-after-approval`.
    public var locks = false
  }

  /// Path of the workflow file in the repository.
  public var path: String
  public var name: String?
  /// The front-matter field holding the state (`status`).
  public var field: String
  /// States a new document may start in.
  public var initial: [String]
  /// States in the order the file lists them.
  public var states: [State]
  /// State → the states it may move to.
  public var transitions: [String: [String]]
  /// State → how long a document may stay in it before it is stale.
  public var sla: [String: TimeInterval]
  /// `raci-activity`: the RACI activity whose A is accountable for deciding documents of this workflow.
  public var raciActivity: String?
  /// Where `raci-activity`'s value is in the workflow file.
  public var raciActivityPosition: SourcePosition?

  public func state(named name: String) -> State? { states.first { $0.name == name } }

  /// Whether a document may move from `from` to `to` (staying put is always allowed).
  public func allows(from: String, to: String) -> Bool {
    from == to || (transitions[from] ?? []).contains(to)
  }

  /// Whether any state requires `approvers: accountable` (RACI is loaded only then).
  public var needsAccountability: Bool { states.contains { $0.requires.approvers == .accountable } }

  /// Loads and validates a workflow file: against `schemas/workflow.schema.json`,
  /// then for consistency (every state named in `initial`, `transitions` and
  /// `sla` exists; a final state has no way out). Problems are `KeelError`s
  /// located in the file: a broken workflow is a configuration error.
  public static func load(_ data: Data, path: String, limits: ParseLimits = .default) throws -> Workflow {
    let (parsed, problems) = StructuredFile.read(data, path: path, limits: limits)
    if let problem = problems.first(where: { $0.severity == .error }) {
      throw KeelError(problem.message, path: path, position: SourcePosition(line: problem.line, column: problem.column))
    }
    guard let parsed else { throw KeelError("the workflow file is empty", path: path) }
    if let error = KeelSchemas.validate(parsed, against: .workflow).first {
      throw KeelError("invalid workflow: \(error.message)", path: path, position: error.position)
    }
    return try Workflow(parsed, path: path)
  }

  init(_ source: LocatedJSON, path: String) throws {
    guard case .object(let root) = source.value else { throw KeelError("a workflow must be a mapping", path: path) }
    func fail(_ message: String, at pointer: String) -> KeelError {
      KeelError(message, path: path, position: source.sourceMap.values[pointer] ?? source.sourceMap.keys[pointer])
    }
    self.path = path
    name = root["name"]?.stringValue
    field = root["field"]?.stringValue ?? "status"
    raciActivity = root["raci-activity"]?.stringValue
    raciActivityPosition = source.sourceMap.values["/raci-activity"]
    initial = (root["initial"]?.arrayValue ?? []).compactMap(\.stringValue)
    states = []
    for (stateName, value) in root["states"]?.objectValue ?? JSONObject() {
      let object = value.objectValue ?? JSONObject()
      var requirements = Requirements()
      if let requires = object["requires"]?.objectValue {
        requirements.fields = requires["fields"]?.stringList ?? []
        requirements.sections = requires["sections"]?.stringList ?? []
        requirements.checklists = requires["checklists"]?.stringList ?? []
        requirements.approvers = requires["approvers"]?.stringValue.flatMap(ApproverPolicy.init(rawValue:))
      }
      states.append(
        State(
          name: stateName, isFinal: object["final"] == .bool(true), isDecided: object["decided"] == .bool(true),
          description: object["description"]?.stringValue, requires: requirements, locks: object["locks"] == .bool(true)
        ))
    }
    let known = Set(states.map(\.name))
    for (index, state) in initial.enumerated() where !known.contains(state) {
      throw fail("initial state '\(state)' is not one of the states", at: "/initial/\(index)")
    }
    transitions = [:]
    for (from, targets) in root["transitions"]?.objectValue ?? JSONObject() {
      let escaped = JSONValue.escapePointerToken(from)
      guard known.contains(from) else {
        throw fail("transitions from '\(from)', which is not one of the states", at: "/transitions/\(escaped)")
      }
      let list = targets.stringList
      for (index, target) in list.enumerated() where !known.contains(target) {
        throw fail("transition to '\(target)', which is not one of the states", at: "/transitions/\(escaped)/\(index)")
      }
      if !list.isEmpty, states.first(where: { $0.name == from })?.isFinal == true {
        throw fail("'\(from)' is a final state and cannot have transitions", at: "/transitions/\(escaped)")
      }
      transitions[from] = list
    }
    sla = [:]
    for (state, value) in root["sla"]?.objectValue ?? JSONObject() {
      let escaped = JSONValue.escapePointerToken(state)
      guard known.contains(state) else {
        throw fail("SLA for '\(state)', which is not one of the states", at: "/sla/\(escaped)")
      }
      guard let text = value.stringValue, let seconds = Workflow.duration(text) else {
        throw fail("SLA '\(value)' is not a duration such as 10d", at: "/sla/\(escaped)")
      }
      sla[state] = seconds
    }
  }

  /// `36h`, `10d`, `2w` in seconds.
  static func duration(_ text: String) -> TimeInterval? {
    guard let unit = text.last, let number = Double(text.dropLast()), number >= 0 else { return nil }
    switch unit {
    case "h": return number * 3600
    case "d": return number * 86_400
    case "w": return number * 604_800
    default: return nil
    }
  }
}
