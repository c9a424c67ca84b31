import JSONSchema

/// A score whose inputs are all numbers cannot be computed: it divides by zero (`effort: 0`), or
/// the result is too large to be a number.
public struct ScoreInvalidRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "score/invalid", summary: "A score cannot be computed from its inputs (a division by zero).")

  public static let examples = [
    RuleExample(
      "an effort of zero, at the divisor", triggers: true, at: "specs/a.md:6:9",
      files: ScoreRuleSupport.files([
        "specs/a.md": ScoreRuleSupport.spec("draft", "reach: 500\nimpact: 2\nconfidence: 0.8\neffort: 0\n")
      ])),
    RuleExample(
      "a non-zero effort", triggers: false,
      files: ScoreRuleSupport.files([
        "specs/a.md": ScoreRuleSupport.spec("draft", "reach: 500\nimpact: 2\nconfidence: 0.8\neffort: 0.5\n")
      ])),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let (scores, fields, workflow) = ScoreRuleSupport.scoring(document, in: context) else { return [] }
    return scores.compactMap { score -> Diagnostic? in
      switch score.evaluate(ScoreInputs(score: score, fields: fields)) {
      case .divisionByZero(let divisor)?:
        let field = divisor.first
        return Self.descriptor.finding(
          "score '\(score.name)' (\(score.source)) divides by zero"
            + (divisor.isEmpty
              ? "" : ": \(divisor.joined(separator: ", ")) make\(divisor.count == 1 ? "s" : "") the divisor 0"),
          path: document.path, at: ScoreRuleSupport.position(of: field, in: document, workflow: workflow),
          jsonPointer: field.map { "/" + JSONValue.escapePointerToken($0) })
      case .notFinite?:
        return Self.descriptor.finding(
          "score '\(score.name)' (\(score.source)) is too large to be a number", path: document.path,
          at: ScoreRuleSupport.position(of: nil, in: document, workflow: workflow))
      case .value?, nil: return nil
      }
    }
  }
}
