import Foundation
import JSONSchema

/// `keel rank`: the documents of one kind ordered by one of its scores, highest first; equal
/// scores in id order (path order without an id), so the order is the same on every run.
public struct Ranking: Sendable {
  public struct Item: Sendable, Hashable {
    public var rank: Int
    public var id: String?
    public var title: String?
    public var path: String
    public var state: String?
    public var score: Double
    /// The inputs, in the formula's order.
    public var inputs: [Input]

    /// What the diff matches items by: the id, else the path.
    var key: String { id ?? path }
  }

  public struct Input: Sendable, Hashable {
    public var field: String
    public var value: Double
  }

  /// A document of the selection whose score cannot be computed: an input missing or not a
  /// number, or a division by zero (`score/missing-input`, `score/invalid` in `keel check`).
  public struct Unscored: Sendable, Hashable {
    public var id: String?
    public var path: String
    public var state: String?
    public var reason: String
  }

  public enum Format: String, Sendable, CaseIterable {
    case text, markdown, json, csv
  }

  public var source: ExportSource
  public var kind: String
  public var score: ScoreConfig
  public var items: [Item]
  public var unscored: [Unscored]

  /// Ranks `documents` (those of `kind` whose state is in `states`, every state when nil).
  public init(
    documents: [Document], kind: KindConfig, score: ScoreConfig, workflow: Workflow?, states: Set<String>?,
    source: ExportSource
  ) {
    self.source = source
    self.kind = kind.name
    self.score = score
    var items: [Item] = []
    var unscored: [Unscored] = []
    for document in documents where document.kind == kind.name {
      let state = workflow.flatMap { document.field($0.field) }
      if let states, !states.contains(state ?? "") { continue }
      let id = document.field(kind.idField)
      let inputs = ScoreInputs(score: score, fields: document.frontMatter?.value)
      let reason: String
      switch score.evaluate(inputs) {
      case .value(let value)?:
        items.append(
          Item(
            rank: 0, id: id, title: document.field("title"), path: document.path, state: state, score: value,
            inputs: score.formula.fields.compactMap { name in inputs.values[name].map { Input(field: name, value: $0) }
            }
          ))
        continue
      case .divisionByZero?: reason = "division by zero"
      case .notFinite?: reason = "too large"
      case nil:
        reason =
          (inputs.missing.map { "no \($0)" } + inputs.notNumbers.map { "\($0) is not a number" })
          .joined(separator: ", ")
      }
      unscored.append(Unscored(id: id, path: document.path, state: state, reason: reason))
    }
    items.sort { a, b in
      if a.score != b.score { return a.score > b.score }
      if a.key != b.key { return a.key < b.key }
      return a.path < b.path
    }
    for index in items.indices { items[index].rank = index + 1 }
    self.items = items
    self.unscored = unscored.sorted { ($0.id ?? $0.path, $0.path) < ($1.id ?? $1.path, $1.path) }
  }

  // MARK: Rendering

  public func render(_ format: Format, spreadsheetSafe: Bool = false) -> String {
    switch format {
    case .json: JSONText.render(json) + "\n"
    case .csv: csv(spreadsheetSafe: spreadsheetSafe)
    case .markdown: markdown
    case .text: text
    }
  }

  /// `300`, `266.67`: whole numbers as they are, others with two decimals (a point, any locale).
  static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return String(format: "%.2f", value)
  }

  static func json(_ value: Double) -> JSONValue {
    value == value.rounded() && abs(value) < 1e15 ? .integer(Int(value)) : .number(value)
  }

  static func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }

  var heading: String { "\(kind) by \(score.name) (\(score.source)), \(source.summary)" }

  public var json: JSONValue {
    .object(
      JSONObject([
        ("revision", source.revisionJSON), ("source", .string(source.label)), ("kind", .string(kind)),
        ("score", .string(score.name)), ("formula", .string(score.source)),
        (
          "items",
          .array(
            items.map { item in
              .object(
                JSONObject([
                  ("rank", .integer(item.rank)), ("id", Self.optional(item.id)), ("title", Self.optional(item.title)),
                  ("path", .string(item.path)), ("state", Self.optional(item.state)), ("score", Self.json(item.score)),
                  ("inputs", .object(JSONObject(item.inputs.map { ($0.field, Self.json($0.value)) }))),
                ]))
            })
        ),
        (
          "unscored",
          .array(
            unscored.map { entry in
              .object(
                JSONObject([
                  ("id", Self.optional(entry.id)), ("path", .string(entry.path)), ("state", Self.optional(entry.state)),
                  ("reason", .string(entry.reason)),
                ]))
            })
        ),
      ]))
  }

  /// `rank, id, title, path, state, score`, then one column per input.
  public func csv(spreadsheetSafe: Bool) -> String {
    let fields = score.formula.fields
    var output = TextKit.csvRecord(["rank", "id", "title", "path", "state", score.name] + fields)
    for item in items {
      let values = Dictionary(item.inputs.map { ($0.field, Self.number($0.value)) }) { first, _ in first }
      output += TextKit.csvRecord(
        [String(item.rank), item.id ?? "", item.title ?? "", item.path, item.state ?? "", Self.number(item.score)]
          + fields.map { values[$0] ?? "" }, spreadsheetSafe: spreadsheetSafe)
    }
    return output
  }

  public var markdown: String {
    let fields = score.formula.fields
    var lines = ["# \(TextKit.markdown(heading))", ""]
    if items.isEmpty {
      lines += ["No document has a \(TextKit.markdown(score.name)) score.", ""]
    } else {
      lines.append(
        "| Rank | ID | Title | State | \(TextKit.markdown(score.name, inTable: true)) | "
          + fields.map { TextKit.markdown($0, inTable: true) }.joined(separator: " | ") + " |")
      lines.append("|---:|---|---|---|---:|" + fields.map { _ in "---:|" }.joined())
      for item in items {
        let values = Dictionary(item.inputs.map { ($0.field, Self.number($0.value)) }) { first, _ in first }
        let cells =
          [
            String(item.rank), TextKit.markdown(item.id ?? item.path, inTable: true),
            TextKit.markdown(item.title ?? "", inTable: true), TextKit.markdown(item.state ?? "", inTable: true),
            Self.number(item.score),
          ] + fields.map { values[$0] ?? "" }
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
      lines.append("")
    }
    if !unscored.isEmpty {
      lines += ["Without a score:", ""]
      lines += unscored.map { "- \(TextKit.markdown($0.id ?? $0.path)): \(TextKit.markdown($0.reason))" }
      lines.append("")
    }
    return lines.joined(separator: "\n")
  }

  public var text: String {
    let fields = score.formula.fields
    var output = TextKit.terminalLine(heading) + "\n"
    if items.isEmpty { output += "  no document has a \(TextKit.terminalLine(score.name)) score\n" }
    if !items.isEmpty {
      output += TextTable.render(
        header: ["#", "id", "title", "state", score.name] + fields,
        rows: items.map { item in
          let values = Dictionary(item.inputs.map { ($0.field, Self.number($0.value)) }) { first, _ in first }
          return [
            String(item.rank), item.id ?? item.path, item.title ?? "", item.state ?? "", Self.number(item.score),
          ].map(TextKit.terminalLine) + fields.map { values[$0] ?? "" }
        })
    }
    if !unscored.isEmpty {
      output +=
        "without a score: "
        + unscored.map { TextKit.terminalLine("\($0.id ?? $0.path) (\($0.reason))") }.joined(separator: ", ") + "\n"
    }
    return output
  }
}
