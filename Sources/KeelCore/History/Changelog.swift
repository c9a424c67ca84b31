import Foundation
import JSONSchema

/// Every document changed in a range of commits, grouped by kind and by what happened to its
/// workflow state: new documents by their state ("new draft"), documents that moved by the state
/// they reached ("approved"), documents edited without a state change ("updated"), and deleted ones.
public struct ChangelogReport: Sendable {
  public struct CommitReference: Sendable, Hashable {
    public var id: String
    public var date: Date
    public var author: String
    public var summary: String
  }

  public struct Entry: Sendable, Hashable {
    public var path: String
    /// Earlier paths within the range, oldest first.
    public var previousPaths: [String]
    public var title: String?
    /// State before the range (nil: the document is new).
    public var from: String?
    /// State at the end of the range (nil: the document was deleted).
    public var to: String?
    public var isNew: Bool
    public var isDeleted: Bool
    /// Newest first.
    public var commits: [CommitReference]
  }

  public struct Group: Sendable, Hashable {
    /// `new draft`, `approved`, `updated`, `deleted`.
    public var name: String
    public var entries: [Entry]
  }

  public struct KindSection: Sendable {
    public var kind: String
    public var groups: [Group]
  }

  public var since: String?
  public var until: String
  public var truncated: Bool
  public var kinds: [KindSection]
}

public enum Changelog {
  /// - Parameter timelines: built from the range's commits only.
  public static func build(
    timelines: [DocumentTimeline], kindOrder: [String], since: String?, until: String, truncated: Bool,
    title: (TimelineEntry) -> String?
  ) -> ChangelogReport {
    var byKind: [String: [String: [ChangelogReport.Entry]]] = [:]
    var stateOrder: [String: [String]] = [:]
    for timeline in timelines where !timeline.entries.isEmpty {
      let first = timeline.entries.first!
      let last = timeline.entries.last!
      let isNew = first.change == .added
      let isDeleted = last.change == .deleted
      let from = isNew ? nil : first.stateBefore
      let to = isDeleted ? nil : last.stateAfter
      var previous: [String] = []
      for entry in timeline.entries {
        if let old = entry.previousPath { previous.append(timeline.displayPath(old)) }
      }
      // A folder document's body changes have no fields to read the title from.
      let fielded =
        isDeleted
        ? timeline.entries.firstIndex { !$0.isBodyChange } : timeline.entries.lastIndex { !$0.isBodyChange }
      let titled = fielded.map { timeline.entries[$0] } ?? (isDeleted ? first : last)
      let entry = ChangelogReport.Entry(
        path: timeline.displayPath(isDeleted ? (last.previousPath ?? last.path) : last.path), previousPaths: previous,
        title: title(titled), from: from, to: to, isNew: isNew, isDeleted: isDeleted,
        commits: timeline.entries.reversed().map {
          ChangelogReport.CommitReference(
            id: $0.commit.id, date: $0.date, author: $0.commit.authorName, summary: $0.commit.summary)
        })
      let group: String
      if isNew && isDeleted {
        group = "added and deleted"
      } else if isNew {
        group = "new " + (to ?? "document")
      } else if isDeleted {
        group = "deleted"
      } else if from != to {
        group = to ?? "no state"
      } else {
        group = "updated"
      }
      byKind[timeline.kind, default: [:]][group, default: []].append(entry)
      stateOrder[timeline.kind] = timeline.workflow.states
    }
    let kinds = kindOrder.filter { byKind[$0] != nil } + byKind.keys.filter { !kindOrder.contains($0) }.sorted()
    return ChangelogReport(
      since: since, until: until, truncated: truncated,
      kinds: kinds.map { kind in
        let groups = byKind[kind]!
        let states = stateOrder[kind] ?? []
        func rank(_ name: String) -> (Int, Int, String) {
          if name.hasPrefix("new ") {
            return (0, states.firstIndex(of: String(name.dropFirst(4))) ?? states.count, name)
          }
          if let index = states.firstIndex(of: name) { return (1, index, name) }
          switch name {
          case "updated": return (3, 0, name)
          case "deleted": return (4, 0, name)
          case "added and deleted": return (5, 0, name)
          default: return (2, 0, name)
          }
        }
        return ChangelogReport.KindSection(
          kind: kind,
          groups: groups.keys.sorted { rank($0) < rank($1) }.map { name in
            ChangelogReport.Group(name: name, entries: groups[name]!.sorted { $0.path < $1.path })
          })
      })
  }
}

extension ChangelogReport {
  public enum Format: String, CaseIterable, Sendable {
    case markdown, json
  }

  public func render(_ format: Format) -> String {
    switch format {
    case .markdown: markdown
    case .json: JSONText.render(json) + "\n"
    }
  }

  private static func count(_ entries: Int) -> String { entries == 1 ? "1 document" : "\(entries) documents" }

  var markdown: String {
    var output = "# Changelog \(since.map { "\($0)..\(until)" } ?? "up to \(until)")\n\n"
    if truncated { output += "> **Note:** this is a shallow clone; the history is truncated at its boundary.\n\n" }
    if kinds.isEmpty { output += "No documents changed.\n" }
    for section in kinds {
      output += "## \(TextKit.markdown(section.kind))\n\n"
      for group in section.groups {
        output += "### \(TextKit.markdown(group.name)): \(Self.count(group.entries.count))\n\n"
        for entry in group.entries {
          var line = "- **\(TextKit.markdown(entry.path))**"
          if let title = entry.title { line += " — \(TextKit.markdown(title))" }
          if !entry.isNew && !entry.isDeleted && entry.from != entry.to {
            line +=
              " (\(TextKit.markdown(entry.from ?? "no state")) → \(TextKit.markdown(entry.to ?? "no state")))"
          }
          if !entry.previousPaths.isEmpty {
            line += ", renamed from " + entry.previousPaths.map { TextKit.markdown($0) }.joined(separator: ", ")
          }
          output += line + "\n"
          for commit in entry.commits {
            output +=
              "  - `\(commit.id.prefix(10))` \(HistoryDates.day(commit.date)) \(TextKit.markdown(commit.author)): "
            output += TextKit.markdown(commit.summary) + "\n"
          }
        }
        output += "\n"
      }
    }
    return output
  }

  public var json: JSONValue {
    func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    return .object(
      JSONObject([
        ("since", optional(since)), ("until", .string(until)), ("truncated", .bool(truncated)),
        (
          "kinds",
          .array(
            kinds.map { section in
              .object(
                JSONObject([
                  ("kind", .string(section.kind)),
                  (
                    "groups",
                    .array(
                      section.groups.map { group in
                        .object(
                          JSONObject([
                            ("group", .string(group.name)), ("count", .integer(group.entries.count)),
                            (
                              "documents",
                              .array(
                                group.entries.map { entry in
                                  .object(
                                    JSONObject([
                                      ("path", .string(entry.path)),
                                      ("previousPaths", .array(entry.previousPaths.map(JSONValue.string))),
                                      ("title", optional(entry.title)), ("from", optional(entry.from)),
                                      ("to", optional(entry.to)), ("new", .bool(entry.isNew)),
                                      ("deleted", .bool(entry.isDeleted)),
                                      (
                                        "commits",
                                        .array(
                                          entry.commits.map { commit in
                                            .object(
                                              JSONObject([
                                                ("commit", .string(commit.id)),
                                                ("date", .string(HistoryDates.iso(commit.date))),
                                                ("author", .string(commit.author)),
                                                ("summary", .string(commit.summary)),
                                              ]))
                                          })
                                      ),
                                    ]))
                                })
                            ),
                          ]))
                      })
                  ),
                ]))
            })
        ),
      ]))
  }
}
