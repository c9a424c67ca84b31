import Foundation
import JSONSchema

/// `keel export raci`: one matrix per RACI file (rows: activities; columns:
/// people and teams; cells: letters such as `A/R`), in a deterministic order.
public struct RACIExport: Sendable, RenderableExport {
  public var source: ExportSource
  /// Matrices in path order.
  public var matrices: [RACIMatrix]
  public let people: PeopleRegistry
  /// Column order of known names: people first, then teams, in registry order.
  private let rank: [String: Int]

  public init(source: ExportSource, matrices: [RACIMatrix], people: PeopleRegistry) {
    self.source = source
    self.matrices = matrices.sorted { $0.path < $1.path }
    self.people = people
    var rank: [String: Int] = [:]
    for (index, person) in people.people.enumerated() where rank[person.id] == nil { rank[person.id] = index }
    for (index, team) in people.teams.enumerated() where rank[team.id] == nil {
      rank[team.id] = people.people.count + index
    }
    self.rank = rank
  }

  /// Reads keel.yaml, the people registry and every RACI file of a snapshot
  /// (and nothing else: with a commit's snapshot the working tree is never
  /// read). Files that cannot be parsed are left out and returned as
  /// problems; a missing or invalid keel.yaml throws `KeelError`.
  public static func load(from snapshot: Snapshot, source: ExportSource, limits: ParseLimits = .default) throws
    -> (RACIExport, [Diagnostic])
  {
    let config = try KeelConfig.load(from: snapshot)
    let allPaths = try snapshot.paths()
    let (people, peopleProblems) = PeopleRegistry.load(config: config, snapshot: snapshot, limits: limits)
    let (index, raciProblems) = try RACIIndex.load(
      config: config, snapshot: snapshot, allPaths: allPaths, limits: limits, validate: false)
    let problems = (peopleProblems + raciProblems).filter { $0.rule != "config/schema" }
    return (RACIExport(source: source, matrices: index.matrices, people: people), problems)
  }

  // MARK: - Layout

  /// Names in column order: people in registry order, then teams in registry
  /// order, then names the registry does not know, alphabetically.
  public func orderedNames(_ names: some Sequence<String>) -> [String] {
    Set(names).sorted { lhs, rhs in
      switch (rank[lhs], rank[rhs]) {
      case let (left?, right?): left < right
      case (.some, nil): true
      case (nil, .some): false
      case (nil, nil): lhs < rhs
      }
    }
  }

  /// The columns of one matrix.
  public func columns(of matrix: RACIMatrix) -> [String] { orderedNames(matrix.names) }

  /// Column headings for names: the person's or team's name, with the id
  /// added when two columns would otherwise read the same.
  public func headings(for names: [String]) -> [String] {
    let display = names.map(people.displayName)
    var counts: [String: Int] = [:]
    for name in display { counts[name, default: 0] += 1 }
    return zip(names, display).map { id, name in counts[name]! > 1 && name != id ? "\(name) (\(id))" : name }
  }

  /// A cell: the letters `name` holds in `activity`, A first (`A/R`), or empty.
  public static func cell(_ activity: RACIActivity, _ name: String) -> String {
    RACIRole.combination(activity.roles(of: name))
  }

  /// Every cell of a row at once, for `columns` (column index by name):
  /// proportional to the activity's assignments, not to the number of columns.
  static func cells(_ activity: RACIActivity, columns: [String: Int], count: Int) -> [[RACIRole]] {
    var cells = Array(repeating: [RACIRole](), count: count)
    for assignment in activity.assignments {
      guard let index = columns[assignment.name], !cells[index].contains(assignment.role) else { continue }
      cells[index].append(assignment.role)
    }
    return cells.map { $0.sorted() }
  }

  static func columnIndex(_ names: [String]) -> [String: Int] {
    Dictionary(names.enumerated().map { ($1, $0) }) { first, _ in first }
  }

  static func text(_ roles: [RACIRole]) -> String { roles.map(\.letter).joined(separator: "/") }

  /// The cells of a row as text (`A/R`, or empty), built from the assignments
  /// alone: a wide CSV (hundreds of columns) costs no more per row than it must.
  static func cellTexts(_ activity: RACIActivity, columns: [String: Int], count: Int) -> [String] {
    var roles: [Int: [RACIRole]] = [:]
    for assignment in activity.assignments {
      guard let index = columns[assignment.name] else { continue }
      if roles[index, default: []].contains(assignment.role) { continue }
      roles[index, default: []].append(assignment.role)
    }
    var texts = Array(repeating: "", count: count)
    for (index, held) in roles { texts[index] = text(held.sorted()) }
    return texts
  }

  // MARK: - Formats

  /// The command-line contract: `{"revision", "matrices": [{"path", "title",
  /// "activities": [{"id", "name", "R", "A", "C", "I"}]}]}`, plus `date` and
  /// `source`. `A` is a name, or null when the activity has none (several
  /// names, in an invalid matrix, come as a list).
  public var json: JSONValue {
    .object(
      JSONObject(
        source.jsonHeader + [
          ("matrices", .array(matrices.map(Self.json(matrix:))))
        ]))
  }

  static func json(matrix: RACIMatrix) -> JSONValue {
    .object(
      JSONObject([
        ("path", .string(matrix.path)),
        ("title", matrix.title.map { .string($0) } ?? .null),
        ("activities", .array(matrix.activities.map(json(activity:)))),
      ]))
  }

  static func json(activity: RACIActivity) -> JSONValue {
    let accountable: JSONValue =
      switch activity.accountable.count {
      case 0: .null
      case 1: .string(activity.accountable[0])
      default: .array(activity.accountable.map { .string($0) })
      }
    return .object(
      JSONObject([
        ("id", .string(activity.id)),
        ("name", activity.name.map { .string($0) } ?? .null),
        ("R", .array(activity.responsible.map { .string($0) })),
        ("A", accountable),
        ("C", .array(activity.consulted.map { .string($0) })),
        ("I", .array(activity.informed.map { .string($0) })),
      ]))
  }

  /// One table for all matrices: `path, title, activity, name`, then one
  /// column per person or team used anywhere (in column order).
  public func csv(spreadsheetSafe: Bool) -> String {
    let names = orderedNames(matrices.flatMap(\.names))
    let index = Self.columnIndex(names)
    var output = TextKit.csvRecord(
      ["path", "title", "activity", "name"] + headings(for: names), spreadsheetSafe: spreadsheetSafe)
    for matrix in matrices {
      for activity in matrix.activities {
        // Cells are letters and slashes only: they never need quoting.
        output += [matrix.path, matrix.title ?? "", activity.id, activity.name ?? ""]
          .map { TextKit.csvField($0, spreadsheetSafe: spreadsheetSafe) }.joined(separator: ",")
        if !names.isEmpty {
          output += "," + Self.cellTexts(activity, columns: index, count: names.count).joined(separator: ",")
        }
        output += "\r\n"
      }
    }
    return output
  }

  static let legend = "A accountable · R responsible · C consulted · I informed"

  public var markdown: String {
    var lines = ["# RACI matrices", "", "Taken from \(TextKit.markdown(source.summary)).", ""]
    if let revision = source.revision { lines += ["Commit: \(MarkdownReporter.codeSpan(revision))", ""] }
    lines += ["Legend: \(Self.legend).", ""]
    if matrices.isEmpty { lines += ["No RACI matrices.", ""] }
    for matrix in matrices {
      lines += [
        "## \(TextKit.markdown(matrix.title ?? matrix.path))", "", MarkdownReporter.codeSpan(matrix.path), "",
      ]
      if let description = matrix.description { lines += [TextKit.markdown(description), ""] }
      let names = columns(of: matrix)
      let index = Self.columnIndex(names)
      let header = ["Activity"] + headings(for: names)
      lines.append("| " + header.map { TextKit.markdown($0, inTable: true) }.joined(separator: " | ") + " |")
      lines.append("| --- |" + String(repeating: " :-: |", count: names.count))
      for activity in matrix.activities {
        let label =
          TextKit.markdown(activity.displayName, inTable: true)
          + (activity.name == nil ? "" : " " + MarkdownReporter.codeSpan(activity.id, inTable: true))
        let cells = Self.cellTexts(activity, columns: index, count: names.count)
        lines.append("| " + ([label] + cells).joined(separator: " | ") + " |")
      }
      lines.append("")
    }
    return lines.joined(separator: "\n")
  }

  public var html: String {
    var body = """
      <ul class="legend">\(RACIRole.allCases.map { "<li>\(Self.badge($0.letter)) \($0.word)</li>" }.joined())</ul>

      """
    if matrices.isEmpty { body += "<p>No RACI matrices.</p>\n" }
    for (number, matrix) in matrices.enumerated() {
      let names = columns(of: matrix)
      let index = Self.columnIndex(names)
      body += "<section id=\"matrix-\(number + 1)\">\n"
      body += "<h2>\(TextKit.xml(matrix.title ?? matrix.path))</h2>\n"
      body += "<p class=\"path\"><code>\(TextKit.xml(matrix.path))</code></p>\n"
      if let description = matrix.description { body += "<p>\(TextKit.xml(description))</p>\n" }
      body +=
        "<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th scope=\"col\" class=\"activity\">Activity</th>"
      for (name, heading) in zip(names, headings(for: names)) {
        body += "<th scope=\"col\" title=\"\(TextKit.xml(name))\">\(TextKit.xml(heading))</th>"
      }
      body += "</tr></thead>\n<tbody>\n"
      for activity in matrix.activities {
        body += "<tr><th scope=\"row\">\(TextKit.xml(activity.displayName))"
        if activity.name != nil { body += " <span class=\"id\">\(TextKit.xml(activity.id))</span>" }
        body += "</th>"
        for roles in Self.cells(activity, columns: index, count: names.count) {
          body += "<td class=\"cell\">\(roles.map { Self.badge($0.letter) }.joined(separator: " "))</td>"
        }
        body += "</tr>\n"
      }
      body += "</tbody>\n</table></div>\n</section>\n"
    }
    return HTMLPage.render(title: "RACI matrices", source: source, body: body)
  }

  static func badge(_ letter: String) -> String {
    "<span class=\"letter letter-\(TextKit.xml(letter))\">\(TextKit.xml(letter))</span>"
  }
}
