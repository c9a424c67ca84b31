import Foundation
import JSONSchema

/// What `workflow/changed-after-approval` and `ref/suspect` share: a document's version as it was
/// approved (from the state history, or the base of a review), and where a version differs from it.
enum Approval {
  /// A document in a state that `locks` (approved, accepted), and the moment it entered it: the
  /// commit that started its current run of that state, from the state history. Nil when the state
  /// does not lock, differs from the committed one (just changed), or there is no such history.
  struct Locked {
    var document: Document
    var kind: KindConfig
    var state: String
    var workflowField: String
    var commit: String
    var order: Int
    var since: Date
  }

  static func locked(_ document: Document, in context: CheckContext, history: StateHistory) -> Locked? {
    guard let workflow = context.workflow(for: document), let state = document.field(workflow.field),
      workflow.state(named: state)?.locks == true, let kind = document.kind.flatMap(context.config.kind(named:)),
      let entry = history.entries[document.path], entry.state == state, let commit = entry.commit,
      let order = entry.order
    else { return nil }
    return Locked(
      document: document, kind: kind, state: state, workflowField: workflow.field, commit: commit, order: order,
      since: entry.since)
  }

  /// The document whose latest path is `path`, as committed at `order` (a folder document with its
  /// body file as it was in `commit`), parsed as the checked one is; nil when it did not exist then
  /// or cannot be read.
  /// - Parameter current: the document as checked; returned as it is when its bytes are the version's.
  static func document(
    _ path: String, kind: KindConfig, at order: Int, commit: String, history: StateHistory, limits: ParseLimits,
    current: Document? = nil
  ) -> Document? {
    guard let version = history.version(of: path, at: order), let blob = version.blob,
      let files = history.files, let data = files.blob(blob)
    else { return nil }
    // The same bytes (the usual case: nothing changed since): the document itself, without parsing.
    if let current, current.format != .folder, current.blobID == blob || Data(current.text.utf8) == data {
      return current
    }
    var bytes = [version.path: data]
    if let body = kind.bodyPath(ofDocument: version.path), let text = files.file(body, at: commit) {
      bytes[body] = text
    }
    let snapshot = MemorySnapshot(files: bytes)
    guard
      let contents = try? DocumentFiles.read(
        version.path, kind: kind, in: snapshot, paths: Set(bytes.keys), limits: limits)
    else { return nil }
    return DocumentFiles.parse(version.path, kind: kind, contents: contents, blobID: blob, limits: limits)
  }

  /// One difference between a document and the version it is compared with.
  struct Change {
    /// `field 'owner'`, `the body`.
    var what: String
    var path: String
    var position: SourcePosition
  }

  /// Where `current` differs from `approved`, the workflow field aside: each field whose value
  /// changed, was added or was removed (at its value; a removed one at the start of the fields),
  /// then the body, at its first changed line (in the body file of a folder document).
  static func changes(_ current: Document, from approved: Document, ignoring workflowField: String?) -> [Change] {
    // Same bytes, same content (folder documents' `text` is the body file only: compared below).
    if current.format != .folder, approved.format != .folder, current.text == approved.text { return [] }
    var changes: [Change] = []
    let now = current.frontMatter?.value.objectValue ?? JSONObject()
    let before = approved.frontMatter?.value.objectValue ?? JSONObject()
    let start = SourcePosition(line: current.frontMatter?.openingLine ?? 1, column: 1)
    var names = now.keys.filter { $0 != workflowField && now[$0] != before[$0] }
    names += before.keys.filter { $0 != workflowField && now[$0] == nil }
    for name in names {
      let pointer = "/" + JSONValue.escapePointerToken(name)
      let position = current.frontMatter?.content.sourceMap.values[pointer] ?? start
      changes.append(Change(what: "field '\(name)'", path: current.path, position: position))
    }
    if !current.format.isData, let line = firstChangedLine(current, approved) {
      changes.append(Change(what: "the body", path: current.bodyPath, position: SourcePosition(line: line, column: 1)))
    }
    return changes
  }

  /// The first line of `current`'s body (a line number of its body file) that differs from
  /// `approved`'s body; nil when the bodies are equal. Line endings do not count.
  static func firstChangedLine(_ current: Document, _ approved: Document) -> Int? {
    func body(_ document: Document) -> [Substring] {
      let lines = document.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      return Array(lines.dropFirst(max(0, document.bodyStartLine - 1)))
    }
    let now = body(current)
    let before = body(approved)
    guard now != before else { return nil }
    let same = zip(now, before).prefix { $0 == $1 }.count
    // A deletion at the end points at the last line.
    return current.bodyStartLine + min(same, max(0, now.count - 1))
  }

  /// `3f2a9c1 (2026-03-02)`.
  static func describe(commit: String, since: Date) -> String {
    "\(commit.prefix(7)) (\(HistoryDates.day(since)))"
  }

  /// `field 'owner' and the body`.
  static func list(_ changes: [Change]) -> String {
    let names = changes.map(\.what)
    return names.count <= 1
      ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
  }
}
