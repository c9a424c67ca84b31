import Foundation
import JSONSchema

/// One entry of keel.yaml's `rules:`, `rule: warning` or
/// `rule: {severity: error, from: review}`.
public struct RulePolicy: Sendable, Hashable {
  /// The key as written: a rule id or a family wildcard (`template/*`).
  public var key: String
  /// nil when the rule is off.
  public var severity: Severity?
  /// Workflow states from which on the rule applies; empty: in every state.
  public var from: [String]
  /// Where the key is in keel.yaml.
  public var position: SourcePosition?
  /// Where each of `from` is in keel.yaml.
  public var fromPositions: [SourcePosition?]

  public init(
    key: String, severity: Severity?, from: [String] = [], position: SourcePosition? = nil,
    fromPositions: [SourcePosition?] = []
  ) {
    self.key = key
    self.severity = severity
    self.from = from
    self.position = position
    self.fromPositions = fromPositions
  }

  /// Whether the rule applies only from some workflow state on.
  public var isStateGated: Bool { !from.isEmpty }
}

extension RuleCatalog {
  /// Whether `id` is a rule id keel reports, or a wildcard for a family of them (`template/*`).
  public static func isKnown(_ id: String) -> Bool {
    let ids = allDescriptors.map(\.id)
    if ids.contains(id) { return true }
    guard id.hasSuffix("/*") else { return false }
    let family = id.dropLast(1)
    return ids.contains { $0.hasPrefix(family) }
  }

  /// `; did you mean 'x'?` for a misspelt rule id, or "".
  public static func suggestion(for id: String) -> String {
    let ids = allDescriptors.map(\.id)
    let families = Set(ids.compactMap { $0.split(separator: "/").first.map { String($0) + "/*" } })
    return Suggestion.hint(for: id, in: ids + families.sorted())
  }
}

extension KeelConfig {
  /// An unknown rule id under `rules:` is a configuration error at its key.
  func validateRuleIDs(path: String) throws {
    for key in rulePolicies.keys.sorted() where !RuleCatalog.isKnown(key) {
      throw KeelError(
        "unknown rule '\(key)' under rules\(RuleCatalog.suggestion(for: key)) ('keel rules' lists them)", path: path,
        position: rulePolicies[key]?.position)
    }
  }

  /// Every `from:` state must be a state of some workflow of the configured kinds.
  public func validateRuleStates(workflows: [Workflow], path: String = KeelConfig.fileName) throws {
    let states = Set(workflows.flatMap { $0.states.map(\.name) })
    for key in rulePolicies.keys.sorted() {
      guard let policy = rulePolicies[key] else { continue }
      for (index, state) in policy.from.enumerated() where !states.contains(state) {
        let known = states.sorted()
        throw KeelError(
          "'\(state)' (from: of \(key)) is not a state of any workflow"
            + (known.isEmpty ? " (no kind has a workflow)" : " (\(known.joined(separator: ", ")))")
            + Suggestion.hint(for: state, in: known), path: path,
          position: index < policy.fromPositions.count ? policy.fromPositions[index] : policy.position)
      }
    }
  }
}

extension Workflow {
  /// `state` and every state reachable from it through the transitions without
  /// moving back to a state listed before it in `states` (so `review → draft`
  /// does not make `draft` come after `review`); nil when `state` is not a
  /// state of this workflow.
  public func states(onwardFrom state: String) -> Set<String>? {
    guard let start = states.firstIndex(where: { $0.name == state }) else { return nil }
    let order = Dictionary(uniqueKeysWithValues: states.enumerated().map { ($1.name, $0) })
    var reached: Set<String> = [state]
    var queue = [state]
    while let current = queue.popLast() {
      for next in transitions[current] ?? [] where (order[next] ?? -1) >= start && reached.insert(next).inserted {
        queue.append(next)
      }
    }
    return reached
  }
}

/// keel.yaml's `rules:` applied to the findings of a check: severities
/// overridden, findings of rules that are off dropped, and for an entry with
/// `from:`, findings about a document whose workflow state comes before those
/// states dropped too (a draft may keep its placeholders; from review on it may not).
struct SeverityPolicy {
  let config: KeelConfig
  /// By every path their findings point at (`CheckContext.documentsByFindingPath`).
  let documents: [String: Document]
  let workflows: [String: Workflow]
  /// Policy key → workflow path → the states in which the policy applies (nil:
  /// the workflow has none of the `from` states, so the policy applies in all).
  private let onward: [String: [String: Set<String>?]]

  init(config: KeelConfig, documents: [String: Document], workflows: [String: Workflow]) {
    self.config = config
    self.documents = documents
    self.workflows = workflows
    var onward: [String: [String: Set<String>?]] = [:]
    for (key, policy) in config.rulePolicies where policy.isStateGated {
      for workflow in workflows.values {
        let sets = policy.from.compactMap { workflow.states(onwardFrom: $0) }
        onward[key, default: [:]][workflow.path] =
          sets.isEmpty ? .some(nil) : sets.reduce(into: Set()) { $0.formUnion($1) }
      }
    }
    self.onward = onward
  }

  /// The severity `diagnostic` gets, or nil when it is not reported.
  func severity(of diagnostic: Diagnostic) -> Severity? {
    guard let policy = config.policy(for: diagnostic.rule) else { return diagnostic.severity }
    guard let severity = policy.severity else { return nil }
    if policy.isStateGated, let document = documents[diagnostic.path],
      let workflow = document.kind.flatMap({ workflows[$0] }), let state = document.field(workflow.field),
      workflow.state(named: state) != nil, let states = onward[policy.key]?[workflow.path] ?? nil,
      !states.contains(state)
    {
      return nil
    }
    return severity
  }

  /// `diagnostic` with its configured severity, or nil when it is not reported.
  func apply(_ diagnostic: Diagnostic) -> Diagnostic? {
    guard let severity = severity(of: diagnostic) else { return nil }
    var adjusted = diagnostic
    adjusted.severity = severity
    return adjusted
  }
}
