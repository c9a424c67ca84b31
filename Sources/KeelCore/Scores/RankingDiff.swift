import Foundation
import JSONSchema

/// `keel rank --diff A..B`: who moved up or down between two rankings, and why (the inputs that
/// changed). Documents are matched by id, else by path.
public struct RankingDiff: Sendable {
  public enum Change: String, Sendable {
    case up, down, same, new, gone
  }

  public struct Entry: Sendable {
    public var change: Change
    public var before: Ranking.Item?
    public var after: Ranking.Item?
    /// The inputs whose value differs (nil: absent on that side), in the formula's order.
    public var changedInputs: [(field: String, before: Double?, after: Double?)]

    var item: Ranking.Item { after ?? before! }
  }

  public var from: Ranking
  public var to: Ranking
  /// In the new order, then the documents that left the ranking in their old order.
  public var entries: [Entry]

  public init(from: Ranking, to: Ranking) {
    self.from = from
    self.to = to
    let old = Dictionary(from.items.map { ($0.key, $0) }) { first, _ in first }
    let newKeys = Set(to.items.map(\.key))
    let fields = to.score.formula.fields + from.score.formula.fields.filter { !to.score.formula.fields.contains($0) }
    func changed(_ before: Ranking.Item?, _ after: Ranking.Item?) -> [(String, Double?, Double?)] {
      guard let before, let after else { return [] }
      func value(_ item: Ranking.Item, _ field: String) -> Double? { item.inputs.first { $0.field == field }?.value }
      return fields.compactMap { field in
        let (a, b) = (value(before, field), value(after, field))
        return a == b ? nil : (field, a, b)
      }
    }
    var entries: [Entry] = to.items.map { item in
      guard let before = old[item.key] else {
        return Entry(change: .new, before: nil, after: item, changedInputs: [])
      }
      let change: Change = item.rank < before.rank ? .up : item.rank > before.rank ? .down : .same
      return Entry(change: change, before: before, after: item, changedInputs: changed(before, item))
    }
    entries += from.items.filter { !newKeys.contains($0.key) }.map {
      Entry(change: .gone, before: $0, after: nil, changedInputs: [])
    }
    self.entries = entries
  }

  public func render(_ format: Ranking.Format, spreadsheetSafe: Bool = false) -> String {
    switch format {
    case .json: JSONText.render(json) + "\n"
    case .csv: csv(spreadsheetSafe: spreadsheetSafe)
    case .markdown: markdown
    case .text: text
    }
  }

  var heading: String {
    "\(to.kind) by \(to.score.name) (\(to.score.source)), \(from.source.label) → \(to.source.label)"
  }

  /// `↑ 2`, `↓ 1`, `=`, `new`, `gone`.
  static func movement(_ entry: Entry) -> String {
    switch entry.change {
    case .up: "↑ \(entry.before!.rank - entry.after!.rank)"
    case .down: "↓ \(entry.after!.rank - entry.before!.rank)"
    case .same: "="
    case .new: "new"
    case .gone: "gone"
    }
  }

  static func arrow(_ before: String?, _ after: String?) -> String {
    switch (before, after) {
    case (let a?, let b?): a == b ? a : "\(a) → \(b)"
    case (let a?, nil): a
    case (nil, let b?): b
    case (nil, nil): ""
    }
  }

  /// Why: `reach 100 → 500, effort 3 → 1`; for a document that entered or left, its state.
  static func why(_ entry: Entry) -> String {
    switch entry.change {
    case .new: return entry.after?.state.map { "in the ranking (\($0))" } ?? "in the ranking"
    case .gone: return "left the ranking"
    default:
      let inputs = entry.changedInputs.map { field, before, after in
        "\(field) \(before.map(Ranking.number) ?? "none") → \(after.map(Ranking.number) ?? "none")"
      }
      if !inputs.isEmpty { return inputs.joined(separator: ", ") }
      if entry.change == .same { return "" }
      return "others moved"
    }
  }

  func cells(_ entry: Entry) -> [String] {
    [
      Self.movement(entry), entry.item.id ?? entry.item.path, entry.item.title ?? "",
      Self.arrow(entry.before.map { String($0.rank) }, entry.after.map { String($0.rank) }),
      Self.arrow(entry.before.map { Ranking.number($0.score) }, entry.after.map { Ranking.number($0.score) }),
      Self.why(entry),
    ]
  }

  public var text: String {
    let output = TextKit.terminalLine(heading) + "\n"
    guard !entries.isEmpty else { return output + "  no document has a score at either revision\n" }
    return output
      + TextTable.render(
        header: ["move", "id", "title", "rank", to.score.name, "why"],
        rows: entries.map { cells($0).map(TextKit.terminalLine) })
  }

  public var markdown: String {
    var lines = ["# \(TextKit.markdown(heading))", ""]
    if entries.isEmpty { return (lines + ["No document has a score at either revision.", ""]).joined(separator: "\n") }
    lines += [
      "| Move | ID | Title | Rank | \(TextKit.markdown(to.score.name, inTable: true)) | Why |",
      "|---|---|---|---|---|---|",
    ]
    lines += entries.map {
      "| " + cells($0).map { TextKit.markdown($0, inTable: true) }.joined(separator: " | ") + " |"
    }
    return (lines + [""]).joined(separator: "\n")
  }

  public func csv(spreadsheetSafe: Bool) -> String {
    var output = TextKit.csvRecord([
      "change", "id", "title", "path", "rank-before", "rank-after", "score-before",
      "score-after", "why",
    ])
    for entry in entries {
      output += TextKit.csvRecord(
        [
          entry.change.rawValue, entry.item.id ?? "", entry.item.title ?? "", entry.item.path,
          entry.before.map { String($0.rank) } ?? "", entry.after.map { String($0.rank) } ?? "",
          entry.before.map { Ranking.number($0.score) } ?? "", entry.after.map { Ranking.number($0.score) } ?? "",
          Self.why(entry),
        ], spreadsheetSafe: spreadsheetSafe)
    }
    return output
  }

  public var json: JSONValue {
    func side(_ item: Ranking.Item?) -> JSONValue {
      guard let item else { return .null }
      return .object(
        JSONObject([
          ("rank", .integer(item.rank)), ("score", Ranking.json(item.score)), ("state", Ranking.optional(item.state)),
          ("path", .string(item.path)),
        ]))
    }
    return .object(
      JSONObject([
        ("from", from.source.revisionJSON), ("to", to.source.revisionJSON), ("kind", .string(to.kind)),
        ("score", .string(to.score.name)),
        (
          "items",
          .array(
            entries.map { entry in
              .object(
                JSONObject([
                  ("id", Ranking.optional(entry.item.id)), ("title", Ranking.optional(entry.item.title)),
                  ("change", .string(entry.change.rawValue)), ("before", side(entry.before)),
                  ("after", side(entry.after)),
                  (
                    "inputs",
                    .object(
                      JSONObject(
                        entry.changedInputs.map { field, before, after in
                          (
                            field,
                            .object(
                              JSONObject([
                                ("before", before.map(Ranking.json) ?? .null),
                                ("after", after.map(Ranking.json) ?? .null),
                              ]))
                          )
                        }))
                  ),
                ]))
            })
        ),
      ]))
  }
}
