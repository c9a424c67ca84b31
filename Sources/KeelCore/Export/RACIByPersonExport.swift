import Foundation
import JSONSchema

/// `keel export raci --by-person`: for each person, what they are R, A, C or I
/// for, across every matrix. A team's letters count for each of its members
/// (`via` names the team).
public struct RACIByPersonExport: Sendable, RenderableExport {
  public struct Assignment: Sendable, Hashable {
    public var path: String
    public var matrixTitle: String?
    public var activityID: String
    public var activityName: String?
    /// The letters held, directly or through a team.
    public var roles: Set<RACIRole>
    /// Teams through which some of the letters come, in registry order.
    public var via: [String]
  }

  public struct Entry: Sendable, Hashable {
    public var id: String
    public var name: String
    /// False for a name used in a matrix but missing from the people registry.
    public var known: Bool
    public var assignments: [Assignment]
  }

  public var source: ExportSource
  /// Every person of the registry (in registry order, with or without
  /// assignments), then unknown names alphabetically.
  public var entries: [Entry]

  public init(_ export: RACIExport) {
    source = export.source
    let people = export.people
    var byPerson: [String: [Assignment]] = [:]
    // Person → (activity number → index in their list), so letters of one activity merge.
    var slots: [String: [Int: Int]] = [:]
    var expansions: [String: (people: [String], isTeam: Bool)] = [:]
    var activityNumber = 0
    for matrix in export.matrices {
      for activity in matrix.activities {
        activityNumber += 1
        for assignment in activity.assignments {
          let expansion =
            expansions[assignment.name]
            ?? {
              let value = (
                people: people.expand(assignment.name),
                isTeam: people.team(assignment.name) != nil && people.person(assignment.name) == nil
              )
              expansions[assignment.name] = value
              return value
            }()
          for person in expansion.people {
            let index: Int
            if let existing = slots[person]?[activityNumber] {
              index = existing
            } else {
              index = byPerson[person, default: []].count
              byPerson[person, default: []].append(
                Assignment(
                  path: matrix.path, matrixTitle: matrix.title, activityID: activity.id,
                  activityName: activity.name, roles: [], via: []))
              slots[person, default: [:]][activityNumber] = index
            }
            byPerson[person]![index].roles.insert(assignment.role)
            if expansion.isTeam, !byPerson[person]![index].via.contains(assignment.name) {
              byPerson[person]![index].via.append(assignment.name)
            }
          }
        }
      }
    }
    let known = people.people.map(\.id)
    let unknown = byPerson.keys.filter { people.person($0) == nil }.sorted()
    var seen = Set<String>()
    entries = (known + unknown).filter { seen.insert($0).inserted }.map { id in
      Entry(
        id: id, name: people.displayName(id), known: people.person(id) != nil, assignments: byPerson[id] ?? [])
    }
  }

  public var json: JSONValue {
    .object(
      JSONObject(
        source.jsonHeader + [
          (
            "people",
            .array(
              entries.map { entry in
                .object(
                  JSONObject([
                    ("id", .string(entry.id)),
                    ("name", .string(entry.name)),
                    ("known", .bool(entry.known)),
                    (
                      "assignments",
                      .array(
                        entry.assignments.map { assignment in
                          .object(
                            JSONObject([
                              ("path", .string(assignment.path)),
                              ("title", assignment.matrixTitle.map { .string($0) } ?? .null),
                              ("activity", .string(assignment.activityID)),
                              ("name", assignment.activityName.map { .string($0) } ?? .null),
                              ("roles", .array(assignment.roles.sorted().map { .string($0.letter) })),
                              ("via", .array(assignment.via.map { .string($0) })),
                            ]))
                        })
                    ),
                  ]))
              })
          )
        ]))
  }

  /// One row per person and activity: `person, person name, path, title,
  /// activity, activity name, roles, via`.
  public func csv(spreadsheetSafe: Bool) -> String {
    var output = TextKit.csvRecord(["person", "person name", "path", "title", "activity", "name", "roles", "via"])
    for entry in entries {
      for assignment in entry.assignments {
        output += TextKit.csvRecord(
          [
            entry.id, entry.name, assignment.path, assignment.matrixTitle ?? "", assignment.activityID,
            assignment.activityName ?? "", RACIRole.combination(assignment.roles),
            assignment.via.joined(separator: " "),
          ], spreadsheetSafe: spreadsheetSafe)
      }
    }
    return output
  }

  public var markdown: String {
    var lines = ["# RACI by person", "", "Taken from \(TextKit.markdown(source.summary)).", ""]
    lines += ["Legend: \(RACIExport.legend). Letters held through a team name the team.", ""]
    for entry in entries {
      let unknown = entry.known ? "" : " (not in the people registry)"
      let id = entry.name == entry.id ? "" : " " + MarkdownReporter.codeSpan(entry.id)
      lines += ["## \(TextKit.markdown(entry.name))\(id)\(unknown)", ""]
      guard !entry.assignments.isEmpty else {
        lines += ["No RACI assignments.", ""]
        continue
      }
      lines += ["| Matrix | Activity | Role | Via |", "| --- | --- | :-: | --- |"]
      for assignment in entry.assignments {
        let cells = [
          TextKit.markdown(assignment.matrixTitle ?? assignment.path, inTable: true),
          TextKit.markdown(assignment.activityName ?? assignment.activityID, inTable: true),
          RACIRole.combination(assignment.roles),
          assignment.via.map { TextKit.markdown($0, inTable: true) }.joined(separator: ", "),
        ]
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
      lines.append("")
    }
    return lines.joined(separator: "\n")
  }

  public var html: String {
    var body = ""
    for (index, entry) in entries.enumerated() {
      body += "<section id=\"person-\(index + 1)\">\n<h2>\(TextKit.xml(entry.name))"
      if entry.name != entry.id { body += " <span class=\"id\">\(TextKit.xml(entry.id))</span>" }
      if !entry.known { body += " <span class=\"id\">(not in the people registry)</span>" }
      body += "</h2>\n"
      guard !entry.assignments.isEmpty else {
        body += "<p>No RACI assignments.</p>\n</section>\n"
        continue
      }
      body += "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Matrix</th>"
      body += "<th scope=\"col\" class=\"activity\">Activity</th><th scope=\"col\">Role</th><th scope=\"col\">Via</th>"
      body += "</tr></thead>\n<tbody>\n"
      for assignment in entry.assignments {
        let letters = assignment.roles.sorted().map { RACIExport.badge($0.letter) }.joined(separator: " ")
        body += "<tr><td>\(TextKit.xml(assignment.matrixTitle ?? assignment.path))</td>"
        body += "<th scope=\"row\">\(TextKit.xml(assignment.activityName ?? assignment.activityID))</th>"
        body += "<td class=\"cell\">\(letters)</td>"
        body += "<td>\(TextKit.xml(assignment.via.joined(separator: ", ")))</td></tr>\n"
      }
      body += "</tbody>\n</table></div>\n</section>\n"
    }
    return HTMLPage.render(title: "RACI by person", source: source, body: body)
  }
}
