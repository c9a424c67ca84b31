import Foundation
import JSONSchema

/// What the history compares between two versions of a document: its front-matter fields and the
/// content of each Markdown section.
public struct DocumentFacts: Sendable, Hashable {
  /// Top-level front-matter fields in file order.
  public var fields: JSONObject
  /// Sections by heading (a repeated heading gets ` (2)`, ` (3)`…), in order, with a digest of the
  /// section's lines (heading line excluded).
  public var sections: [(heading: String, digest: UInt64)]

  public static let empty = DocumentFacts(fields: JSONObject(), sections: [])

  public init(fields: JSONObject, sections: [(heading: String, digest: UInt64)]) {
    self.fields = fields
    self.sections = sections
  }

  public static func == (lhs: DocumentFacts, rhs: DocumentFacts) -> Bool {
    lhs.fields == rhs.fields && lhs.sections.map(\.heading) == rhs.sections.map(\.heading)
      && lhs.sections.map(\.digest) == rhs.sections.map(\.digest)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(fields)
    for section in sections {
      hasher.combine(section.heading)
      hasher.combine(section.digest)
    }
  }

  /// Only Markdown files have front matter and sections; any other file has no facts (its history
  /// still lists its commits).
  public static func isMarkdown(_ path: String) -> Bool {
    let lowered = path.lowercased()
    return DocumentFormat.markdownExtensions.contains { lowered.hasSuffix($0) }
  }

  /// The fields and sections of one version: a Markdown file's front matter (or header list) and
  /// sections, a YAML or JSON file's fields; any other file has none.
  ///
  /// - Parameter format: where the fields are; nil: from the path (front matter for Markdown).
  public static func read(_ data: Data, path: String, format: DocumentFormat? = nil) -> DocumentFacts {
    guard let format = format ?? DocumentFormat(path: path) else { return .empty }
    let document = DocumentParser.parse(path: path, data: data, format: format)
    var fields = JSONObject()
    if case .object(let object)? = document.frontMatter?.value { fields = object }
    // "\r\n" is one Character in Swift; a lone "\r" ends a line too (as in `LineTable`).
    let lines = document.text.split(
      omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    var sections: [(heading: String, digest: UInt64)] = []
    var seen: [String: Int] = [:]
    for section in document.body.sections {
      guard let heading = section.heading else { continue }
      seen[heading.text, default: 0] += 1
      let name = seen[heading.text]! == 1 ? heading.text : "\(heading.text) (\(seen[heading.text]!))"
      var hash = StableHash()
      let first = max(heading.line + 1, 1)
      let last = min(section.endLine, lines.count)
      if first <= last {
        for line in lines[(first - 1)..<last] {
          hash.combine(line.utf8)
          hash.combine(CollectionOfOne(UInt8(0x0a)))
        }
      }
      sections.append((name, hash.value))
    }
    return DocumentFacts(fields: fields, sections: sections)
  }

  /// Fields added, removed or changed from `old` to `self`: new order first, then removed ones.
  public func fieldChanges(from old: DocumentFacts) -> [FieldChange] {
    var changes: [FieldChange] = []
    for (name, value) in fields where old.fields[name] != value {
      changes.append(FieldChange(name: name, old: old.fields[name], new: value))
    }
    for (name, value) in old.fields where fields[name] == nil {
      changes.append(FieldChange(name: name, old: value, new: nil))
    }
    return changes
  }

  /// Headings of sections added, removed or changed from `old` to `self`.
  public func sectionChanges(from old: DocumentFacts) -> [String] {
    let before = Dictionary(old.sections.map { ($0.heading, $0.digest) }, uniquingKeysWith: { first, _ in first })
    let after = Set(sections.map(\.heading))
    var changed = sections.filter { before[$0.heading] != $0.digest }.map(\.heading)
    changed += old.sections.map(\.heading).filter { !after.contains($0) }
    return changed
  }
}

/// One front-matter field that differs between two versions (nil: absent on that side).
public struct FieldChange: Sendable, Hashable {
  public var name: String
  public var old: JSONValue?
  public var new: JSONValue?
}
