import JSONSchema

/// One computed score of a kind (`kinds.prd.scores.rice`): its formula and the workflow state from
/// which on its inputs must be numbers.
public struct ScoreConfig: Sendable, Hashable {
  public var name: String
  public var formula: Formula
  /// The formula as written.
  public var source: String
  /// `require-from:`: from this state on (following the workflow order) every input is required;
  /// nil: in every state.
  public var requireFrom: String?
  /// Where `require-from`'s value is in keel.yaml.
  public var requireFromPosition: SourcePosition?

  /// The scores of one kind, in keel.yaml's order. A formula outside the grammar is a `KeelError`
  /// at the offending character of keel.yaml.
  static func parse(_ value: JSONValue?, kind: String, source: LocatedJSON, text: String) throws -> [ScoreConfig] {
    guard case .object(let scores)? = value else { return [] }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var result: [ScoreConfig] = []
    for (name, entry) in scores {
      guard case .object(let fields) = entry, let formulaText = fields["formula"]?.stringValue else { continue }
      let base = "/kinds/\(JSONValue.escapePointerToken(kind))/scores/\(JSONValue.escapePointerToken(name))"
      let formula: Formula
      do { formula = try Formula.parse(formulaText) } catch {
        throw KeelError(
          "score '\(name)' of kind '\(kind)': \(error.message)", path: KeelConfig.fileName,
          position: position(of: error.offset, in: source.sourceMap.values[base + "/formula"], lines: lines))
      }
      result.append(
        ScoreConfig(
          name: name, formula: formula, source: formulaText, requireFrom: fields["require-from"]?.stringValue,
          requireFromPosition: source.sourceMap.values[base + "/require-from"]))
    }
    return result
  }

  /// The position in keel.yaml of the formula's character at `offset`: from the value's start,
  /// one further when the value is quoted (a formula on one line, as formulas are written).
  static func position(of offset: Int, in start: SourcePosition?, lines: [Substring]) -> SourcePosition? {
    guard let start else { return nil }
    var column = start.column + offset
    if start.line - 1 < lines.count {
      let line = Array(lines[start.line - 1])
      if start.column - 1 < line.count, line[start.column - 1] == "\"" || line[start.column - 1] == "'" {
        column += 1
      }
    }
    return SourcePosition(line: start.line, column: column)
  }
}

extension KeelConfig {
  /// Every kind's `require-from:` is a state of the kind's workflow (with a "did you mean"); a
  /// kind without a workflow has no states to require from.
  public func validateScoreStates(workflows: [String: Workflow], path: String = KeelConfig.fileName) throws {
    for kind in kinds {
      for score in kind.scores {
        guard let state = score.requireFrom else { continue }
        guard let workflow = workflows[kind.name] else {
          throw KeelError(
            "score '\(score.name)' of kind '\(kind.name)' has require-from, but the kind has no workflow", path: path,
            position: score.requireFromPosition)
        }
        guard workflow.state(named: state) == nil else { continue }
        let known = workflow.states.map(\.name)
        throw KeelError(
          "'\(state)' (require-from of score '\(score.name)') is not a state of \(workflow.path) "
            + "(\(known.joined(separator: ", ")))" + Suggestion.hint(for: state, in: known),
          path: path, position: score.requireFromPosition)
      }
    }
  }
}
