import Foundation
import JSONSchema

/// `keel export raci --diff A..B`: who gained or lost which letter on which
/// activity between two revisions. Activities are matched by file path and
/// id; names are compared as written (a team is not expanded), so moving a
/// letter from a person to their team shows as a loss and a gain.
public struct RACIDiff: Sendable, RenderableExport {
  public enum Kind: String, Sendable, Hashable {
    case gained, lost
  }

  public struct Change: Sendable, Hashable {
    public var path: String
    public var activityID: String
    /// The activity's name in the newer revision (the older one if it is gone).
    public var activityName: String?
    public var person: String
    public var role: RACIRole
    public var kind: Kind
  }

  public var from: ExportSource
  public var to: ExportSource
  public var changes: [Change]
  /// For headings: display names of the people registry at `to`.
  public var people: PeopleRegistry

  public init(from old: RACIExport, to new: RACIExport) {
    from = old.source
    to = new.source
    people = new.people
    var changes: [Change] = []
    let oldByPath = Dictionary(old.matrices.map { ($0.path, $0) }) { first, _ in first }
    let newByPath = Dictionary(new.matrices.map { ($0.path, $0) }) { first, _ in first }
    for path in Set(oldByPath.keys).union(newByPath.keys).sorted() {
      let before = oldByPath[path]?.activities ?? []
      let after = newByPath[path]?.activities ?? []
      // Newer order first, then activities that are gone, in their old order.
      var ids: [String] = []
      var seen = Set<String>()
      for activity in after + before where seen.insert(activity.id).inserted { ids.append(activity.id) }
      for id in ids {
        let oldActivity = before.first { $0.id == id }
        let newActivity = after.first { $0.id == id }
        let name = newActivity?.name ?? oldActivity?.name
        let oldPairs = Set((oldActivity?.assignments ?? []).map { Pair(name: $0.name, role: $0.role) })
        let newPairs = Set((newActivity?.assignments ?? []).map { Pair(name: $0.name, role: $0.role) })
        let order = new.orderedNames(oldPairs.union(newPairs).map(\.name))
        for person in order {
          for role in RACIRole.allCases {
            let pair = Pair(name: person, role: role)
            let kind: Kind? =
              newPairs.contains(pair) && !oldPairs.contains(pair)
              ? .gained : oldPairs.contains(pair) && !newPairs.contains(pair) ? .lost : nil
            guard let kind else { continue }
            changes.append(
              Change(
                path: path, activityID: id, activityName: name, person: person, role: role, kind: kind))
          }
        }
      }
    }
    self.changes = changes
  }

  private struct Pair: Hashable {
    var name: String
    var role: RACIRole
  }

  static func json(_ source: ExportSource) -> JSONValue { .object(JSONObject(source.jsonHeader)) }

  public var json: JSONValue {
    .object(
      JSONObject([
        ("from", Self.json(from)),
        ("to", Self.json(to)),
        (
          "changes",
          .array(
            changes.map { change in
              .object(
                JSONObject([
                  ("path", .string(change.path)),
                  ("activity", .string(change.activityID)),
                  ("name", change.activityName.map { .string($0) } ?? .null),
                  ("person", .string(change.person)),
                  ("role", .string(change.role.letter)),
                  ("change", .string(change.kind.rawValue)),
                ]))
            })
        ),
      ]))
  }

  public func csv(spreadsheetSafe: Bool) -> String {
    var output = TextKit.csvRecord(["path", "activity", "name", "person", "person name", "role", "change"])
    for change in changes {
      output += TextKit.csvRecord(
        [
          change.path, change.activityID, change.activityName ?? "", change.person, people.displayName(change.person),
          change.role.letter, change.kind.rawValue,
        ], spreadsheetSafe: spreadsheetSafe)
    }
    return output
  }

  private func describe(_ change: Change) -> String {
    "\(change.kind == .gained ? "gained" : "lost") \(change.role.letter) (\(change.role.word))"
  }

  public var markdown: String {
    var lines = [
      "# RACI changes", "",
      "From \(TextKit.markdown(from.summary)) to \(TextKit.markdown(to.summary)).", "",
    ]
    guard !changes.isEmpty else { return (lines + ["No one gained or lost a role.", ""]).joined(separator: "\n") }
    lines += ["| Matrix | Activity | Person | Change |", "| --- | --- | --- | --- |"]
    for change in changes {
      let cells = [
        MarkdownReporter.codeSpan(change.path, inTable: true),
        TextKit.markdown(change.activityName ?? change.activityID, inTable: true),
        TextKit.markdown(people.displayName(change.person), inTable: true),
        describe(change),
      ]
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    lines.append("")
    return lines.joined(separator: "\n")
  }

  public var html: String {
    var body = "<p>Compared with <strong>\(TextKit.xml(from.label))</strong>"
    body += " (<time datetime=\"\(from.isoDate)\">\(TextKit.xml(from.readableDate))</time>).</p>\n"
    guard !changes.isEmpty else {
      return HTMLPage.render(title: "RACI changes", source: to, body: body + "<p>No one gained or lost a role.</p>\n")
    }
    body += "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Matrix</th>"
    body += "<th scope=\"col\" class=\"activity\">Activity</th><th scope=\"col\">Person</th>"
    body += "<th scope=\"col\">Change</th></tr></thead>\n<tbody>\n"
    for change in changes {
      body += "<tr><td><code>\(TextKit.xml(change.path))</code></td>"
      body += "<th scope=\"row\">\(TextKit.xml(change.activityName ?? change.activityID))</th>"
      body += "<td>\(TextKit.xml(people.displayName(change.person)))</td>"
      body += "<td class=\"\(change.kind.rawValue)\">\(TextKit.xml(describe(change)))</td></tr>\n"
    }
    body += "</tbody>\n</table></div>\n"
    return HTMLPage.render(title: "RACI changes", source: to, body: body)
  }
}
