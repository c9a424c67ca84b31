import JSONSchema

/// What a document gives a score: the numbers its formula reads, and the fields that are missing
/// (absent or null) or hold something else than a number.
public struct ScoreInputs: Sendable, Equatable {
  public var values: [String: Double] = [:]
  public var missing: [String] = []
  /// Fields present with a value that is not a number (`reach: lots`, `effort: "3"`).
  public var notNumbers: [String] = []

  /// Every input is a number: the score can be computed.
  public var isComplete: Bool { missing.isEmpty && notNumbers.isEmpty }

  public init(score: ScoreConfig, fields: JSONValue?) {
    let object = fields?.objectValue
    for name in score.formula.fields {
      switch object?[name] {
      case .integer(let number): values[name] = Double(number)
      case .number(let number): values[name] = number
      case nil, .null?: missing.append(name)
      default: notNumbers.append(name)
      }
    }
  }
}

extension ScoreConfig {
  /// The score of a document with these fields: nil when an input is missing or not a number.
  public func evaluate(_ inputs: ScoreInputs) -> Formula.Outcome? {
    inputs.isComplete ? formula.evaluate(inputs.values) : nil
  }

  /// Whether a document in `state` must have every input: from `require-from` on, following the
  /// workflow's order (`Workflow.states(onwardFrom:)`); in every state without `require-from`; never
  /// in a state the workflow does not have (the workflow rules report that).
  public func isRequired(in state: String?, workflow: Workflow?) -> Bool {
    guard let requireFrom else { return true }
    guard let state, let workflow else { return false }
    return workflow.states(onwardFrom: requireFrom)?.contains(state) ?? false
  }
}
