import Foundation
import JSONSchema

/// One entry of a document's history: a commit and what it changed in the document.
public struct HistoryEvent: Sendable, Hashable {
  public struct StateChange: Sendable, Hashable {
    public var from: String?
    public var to: String?
  }

  public var commit: String
  public var date: Date
  public var author: String
  public var authorEmail: String
  public var summary: String
  public var change: ChangeKind
  public var path: String
  public var previousPath: String?
  /// The workflow state change, when the state moved (nil when it did not, or without a workflow).
  public var state: StateChange?
  /// The document's state before and after the commit (equal when it did not move; nil: none).
  public var stateBefore: String?
  public var stateAfter: String?
  public var fields: [FieldChange]
  /// Headings of the sections added, removed or changed.
  public var sections: [String]
  /// The parent the change is measured against, for merges listed with `--all-parents`.
  public var parent: String?
}

/// The history of one file.
public struct DocumentHistoryReport: Sendable {
  public var path: String
  /// True when the repository is a shallow clone and the history stops at its boundary.
  public var truncated: Bool
  /// Newest first (or oldest first when reversed).
  public var events: [HistoryEvent]
}

public enum DocumentHistory {
  /// The history of `path` (repository-relative) in `source`.
  ///
  /// - Parameters:
  ///   - state: the document's workflow state in a version (a blob stored at a path), read through
  ///     `DocumentStates.state` with the document's workflow; nil for files without a workflow.
  ///   - since: leave out events authored before this date.
  ///   - format: where the fields of a version at a path are (`DocumentStates.format(of:)`);
  ///     nil for a file without fields.
  public static func build(
    path: String, source: HistorySource, allParents: Bool = false, since: Date? = nil,
    state: (_ blob: String, _ path: String) -> String? = { _, _ in nil },
    format: (String) -> DocumentFormat? = { DocumentFormat(path: $0) }
  ) -> DocumentHistoryReport {
    build(
      path: path, versions: PathHistory.versions(of: path, in: source, allParents: allParents),
      truncated: source.isTruncated, read: { try source.readBlob($0) }, since: since, state: state, format: format)
  }

  /// The report for versions found already (by `PathHistory` over any `PathChangeSource`).
  public static func build(
    path: String, versions: [PathVersion], truncated: Bool, read: (String) throws -> Data, since: Date? = nil,
    state: (_ blob: String, _ path: String) -> String? = { _, _ in nil },
    format: (String) -> DocumentFormat? = { DocumentFormat(path: $0) }
  ) -> DocumentHistoryReport {
    var known: [String: DocumentFacts] = [:]
    func facts(_ blob: String?, path: String) -> DocumentFacts {
      guard let blob else { return .empty }
      guard let format = format(path) else { return .empty }
      let key = blob + "\(format)"
      if let cached = known[key] { return cached }
      let parsed = (try? read(blob)).map { DocumentFacts.read($0, path: path, format: format) } ?? .empty
      known[key] = parsed
      return parsed
    }
    var events: [HistoryEvent] = []
    for version in versions {
      if let since, version.commit.authorDate < since { continue }
      let before = facts(version.oldBlob, path: version.previousPath ?? version.path)
      let after = facts(version.newBlob, path: version.path)
      let from = version.oldBlob.flatMap { state($0, version.previousPath ?? version.path) }
      let to = version.newBlob.flatMap { state($0, version.path) }
      let commit = version.commit
      events.append(
        HistoryEvent(
          commit: commit.id, date: commit.authorDate, author: commit.authorName, authorEmail: commit.authorEmail,
          summary: commit.summary, change: version.change, path: version.path, previousPath: version.previousPath,
          state: from != to ? HistoryEvent.StateChange(from: from, to: to) : nil, stateBefore: from, stateAfter: to,
          fields: after.fieldChanges(from: before), sections: after.sectionChanges(from: before),
          parent: version.record.isMerge ? commit.parents[version.parentIndex] : nil))
    }
    return DocumentHistoryReport(path: path, truncated: truncated, events: events)
  }
}

extension DocumentHistoryReport {
  /// One timeline of two files' histories (a folder document's metadata file, `self`, and body
  /// file): the events of one commit (and parent) become one, with the fields and sections of both;
  /// newest first. The document's state is its metadata file's while that file exists, else its
  /// body file's (a Markdown file with front matter before it became the folder's body), as
  /// `TimelineBuilder` reads it.
  public func merged(with other: DocumentHistoryReport) -> DocumentHistoryReport {
    func key(_ event: HistoryEvent) -> String { event.commit + "/" + (event.parent ?? "") }
    var events = self.events
    var index: [String: Int] = [:]
    for (offset, event) in events.enumerated() { index[key(event)] = offset }
    let metadataEvents = Dictionary(self.events.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    let bodyEvents = Dictionary(other.events.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    for event in other.events {
      guard let offset = index[key(event)] else {
        events.append(event)
        continue
      }
      events[offset].fields += event.fields.filter { field in !events[offset].fields.contains { $0.name == field.name }
      }
      events[offset].sections += event.sections
    }
    // Newest first; a commit's place in its own history breaks ties of the same date.
    let order = Dictionary(
      (self.events + other.events).enumerated().map { ($1.commit, $0) }, uniquingKeysWith: { first, _ in first })
    events.sort { ($0.date, order[$1.commit] ?? 0) > ($1.date, order[$0.commit] ?? 0) }
    // The document's state, oldest first: the metadata file's while it exists, else the body's.
    var metadataExists = false
    var metadataState: String?
    var bodyState: String?
    for offset in events.indices.reversed() {
      let metadata = metadataEvents[key(events[offset])]
      let body = bodyEvents[key(events[offset])]
      let existedBefore = metadata.map { $0.change != .added } ?? metadataExists
      let existsAfter = metadata.map { $0.change != .deleted } ?? metadataExists
      let metadataAfter = metadata.map(\.stateAfter) ?? metadataState
      let bodyAfter = body.map(\.stateAfter) ?? bodyState
      let before =
        existedBefore ? metadata.map(\.stateBefore) ?? metadataState : body.map(\.stateBefore) ?? bodyState
      let after = existsAfter ? metadataAfter : bodyAfter
      events[offset].stateBefore = before
      events[offset].stateAfter = after
      events[offset].state = before != after ? HistoryEvent.StateChange(from: before, to: after) : nil
      if events[offset].parent == nil {
        metadataExists = existsAfter
        metadataState = metadataAfter
        bodyState = bodyAfter
      }
    }
    return DocumentHistoryReport(path: path, truncated: truncated || other.truncated, events: events)
  }

  public enum Format: String, CaseIterable, Sendable {
    case text, json, markdown
  }

  public func render(_ format: Format) -> String {
    switch format {
    case .json: JSONText.render(json) + "\n"
    case .text: TextKit.terminal(text)
    case .markdown: markdown
    }
  }

  /// The command-line contract: `{"path", "truncated", "events": [{"commit", "date", "author",
  /// "summary", "change", "path", "previousPath", "state": {"from", "to"} | null, "fields": [names],
  /// "sections": [headings]}]}`, plus `authorEmail`, `values` (each changed field's old and new
  /// value) and, for merges, `parent`.
  public var json: JSONValue {
    var root = JSONObject()
    root["path"] = .string(path)
    root["truncated"] = .bool(truncated)
    root["events"] = .array(
      events.map { event in
        var object = JSONObject()
        object["commit"] = .string(event.commit)
        object["date"] = .string(HistoryDates.iso(event.date))
        object["author"] = .string(event.author)
        object["authorEmail"] = .string(event.authorEmail)
        object["summary"] = .string(event.summary)
        object["change"] = .string(event.change.rawValue)
        object["path"] = .string(event.path)
        object["previousPath"] = event.previousPath.map(JSONValue.string) ?? .null
        if let state = event.state {
          object["state"] = .object(
            JSONObject([
              ("from", state.from.map(JSONValue.string) ?? .null), ("to", state.to.map(JSONValue.string) ?? .null),
            ]))
        } else {
          object["state"] = .null
        }
        object["fields"] = .array(event.fields.map { .string($0.name) })
        object["values"] = .object(
          JSONObject(
            event.fields.map { change in
              (change.name, .object(JSONObject([("old", change.old ?? .null), ("new", change.new ?? .null)])))
            }))
        object["sections"] = .array(event.sections.map(JSONValue.string))
        if let parent = event.parent { object["parent"] = .string(parent) }
        return .object(object)
      })
    return .object(root)
  }

  var text: String {
    var output = ""
    if truncated { output += "note: shallow clone, history truncated at its boundary\n" }
    if events.isEmpty { output += "no commits change \(path)\n" }
    for event in events {
      var line =
        "\(event.commit.prefix(10))  \(HistoryDates.day(event.date))  \(event.author)  \(event.change.rawValue)"
      if let previous = event.previousPath { line += " \(previous) -> \(event.path)" } else { line += " \(event.path)" }
      if let parent = event.parent { line += " (against \(parent.prefix(10)))" }
      output += line + "\n    " + event.summary + "\n"
      if let state = event.state { output += "    state: \(state.from ?? "(none)") -> \(state.to ?? "(none)")\n" }
      if !event.fields.isEmpty {
        let described = event.fields.map { change in
          "\(change.name) (\(Self.short(change.old)) -> \(Self.short(change.new)))"
        }
        output += "    fields: " + described.joined(separator: ", ") + "\n"
      }
      if !event.sections.isEmpty { output += "    sections: " + event.sections.joined(separator: ", ") + "\n" }
    }
    return output
  }

  var markdown: String {
    var output = "# History of `\(path)`\n\n"
    if truncated { output += "> **Note:** this is a shallow clone; the history is truncated at its boundary.\n\n" }
    output += "| Date | Commit | Author | Change | State | Fields | Sections | Summary |\n"
    output += "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    for event in events {
      let change =
        event.previousPath.map { "renamed from " + TextKit.markdown($0, inTable: true) } ?? event.change.rawValue
      let state = event.state.map { "\($0.from ?? "—") → \($0.to ?? "—")" } ?? ""
      let cells = [
        HistoryDates.day(event.date), "`\(event.commit.prefix(10))`", TextKit.markdown(event.author, inTable: true),
        change,
        TextKit.markdown(state, inTable: true),
        TextKit.markdown(event.fields.map(\.name).joined(separator: ", "), inTable: true),
        TextKit.markdown(event.sections.joined(separator: ", "), inTable: true),
        TextKit.markdown(event.summary, inTable: true),
      ]
      output += "| " + cells.joined(separator: " | ") + " |\n"
    }
    return output
  }

  static func short(_ value: JSONValue?) -> String {
    guard let value else { return "absent" }
    let text = value.stringValue ?? JSONText.render(value, indent: nil)
    return text.count > 40 ? String(text.prefix(37)) + "..." : text
  }
}
