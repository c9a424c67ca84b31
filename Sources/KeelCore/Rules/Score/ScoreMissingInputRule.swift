import JSONSchema

/// A field a score of the document's kind reads (`kinds.<k>.scores`) is missing or not a number,
/// in a state from which on the score requires it (`require-from`, following the workflow's order;
/// every state without it). Before that state a draft may leave its inputs out.
public struct ScoreMissingInputRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "score/missing-input", summary: "A field a score needs is missing or not a number.")

  public static let examples = [
    RuleExample(
      "a spec in review without its effort, at its state", triggers: true, at: "specs/a.md:2:9",
      files: ScoreRuleSupport.files([
        "specs/a.md": ScoreRuleSupport.spec("review", "reach: 500\nimpact: 2\nconfidence: 0.8\n")
      ])),
    RuleExample(
      "an approved spec whose reach is a word, at the value", triggers: true, at: "specs/a.md:3:8",
      files: ScoreRuleSupport.files([
        "specs/a.md": ScoreRuleSupport.spec("approved", "reach: lots\nimpact: 2\nconfidence: 0.8\neffort: 3\n")
      ])),
    RuleExample(
      "a draft, before require-from, may leave its inputs out", triggers: false,
      files: ScoreRuleSupport.files(["specs/a.md": ScoreRuleSupport.spec("draft", "reach: 500\n")])),
    RuleExample(
      "every input a number", triggers: false,
      files: ScoreRuleSupport.files([
        "specs/a.md": ScoreRuleSupport.spec("review", "reach: 500\nimpact: 2\nconfidence: 0.8\neffort: 3\n")
      ])),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let (scores, fields, workflow) = ScoreRuleSupport.scoring(document, in: context) else { return [] }
    let state = workflow.flatMap { document.field($0.field) }
    // Field → the scores that need it, in keel.yaml's order (one finding per field).
    var missing: [(field: String, isPresent: Bool, scores: [ScoreConfig])] = []
    for score in scores where score.isRequired(in: state, workflow: workflow) {
      let inputs = ScoreInputs(score: score, fields: fields)
      for (field, isPresent) in inputs.missing.map({ ($0, false) }) + inputs.notNumbers.map({ ($0, true) }) {
        if let index = missing.firstIndex(where: { $0.field == field }) {
          missing[index].scores.append(score)
        } else {
          missing.append((field, isPresent, [score]))
        }
      }
    }
    return missing.map { entry in
      let needs = entry.scores.map { score in
        "score '\(score.name)' (\(score.source))" + (score.requireFrom.map { " from state '\($0)' on" } ?? "")
      }.joined(separator: " and ")
      let problem = entry.isPresent ? "'\(entry.field)' is not a number" : "'\(entry.field)' is missing"
      return Self.descriptor.finding(
        "\(problem): \(needs) needs it", path: document.path,
        at: ScoreRuleSupport.position(of: entry.isPresent ? entry.field : nil, in: document, workflow: workflow),
        jsonPointer: "/" + JSONValue.escapePointerToken(entry.field))
    }
  }
}
