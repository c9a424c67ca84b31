import Foundation
import JSONSchema

/// What an export was taken from: a commit (with its date) or the working tree.
public struct ExportSource: Sendable, Hashable {
  /// How to name the source to a reader: `v1 (3f2a9c1)`, `working tree`.
  public var label: String
  /// The full commit id, nil for the working tree.
  public var revision: String?
  /// The commit's date, or when the working tree was read.
  public var date: Date
  /// The working tree only: whether it differs from `HEAD` in keel.yaml's folder (files added,
  /// changed or deleted, not committed). False for a clean tree and outside Git.
  public var uncommittedChanges: Bool

  public init(label: String, revision: String?, date: Date, uncommittedChanges: Bool = false) {
    self.label = label
    self.revision = revision
    self.date = date
    self.uncommittedChanges = revision == nil && uncommittedChanges
  }

  /// `2026-04-11T09:30:00Z`: UTC, so that the same revision always exports the same bytes.
  public var isoDate: String { HistoryDates.iso(date) }

  /// `2026-04-11 09:30 UTC`, for pages people read.
  public var readableDate: String {
    let iso = isoDate
    let day = iso.prefix { $0 != "T" }
    return day + " " + iso.dropFirst(day.count + 1).prefix(5) + " UTC"
  }

  /// One line for the top of a page: `v1 (3f2a9c1), committed 2026-04-11 09:30 UTC`,
  /// `working tree, read 2026-04-11 09:30 UTC`, `working tree (uncommitted changes), read …`.
  public var summary: String {
    revision == nil ? "\(label)\(changesNote), read \(readableDate)" : "\(label), committed \(readableDate)"
  }

  /// ` (uncommitted changes)` when there are some, else empty.
  var changesNote: String { uncommittedChanges ? " (uncommitted changes)" : "" }

  /// The JSON `revision` member: the commit id, or null for the working tree.
  var revisionJSON: JSONValue { revision.map { .string($0) } ?? .null }
}

/// Formats of `keel export`.
public enum ExportFormat: String, Sendable, CaseIterable {
  case csv, markdown, json, html
}

extension ExportSource {
  /// The keys every JSON export starts with: `revision`, `date`, `source`.
  var jsonHeader: [(String, JSONValue)] {
    [("revision", revisionJSON), ("date", .string(isoDate)), ("source", .string(label))]
  }
}

/// An export that can be written in every `ExportFormat`.
public protocol RenderableExport {
  var json: JSONValue { get }
  /// - Parameter spreadsheetSafe: prefix an apostrophe to values a spreadsheet would run as a
  ///   formula (see `TextKit.csvField`).
  func csv(spreadsheetSafe: Bool) -> String
  var markdown: String { get }
  var html: String { get }
}

extension RenderableExport {
  /// CSV as it is: every value exactly as in the files.
  public var csv: String { csv(spreadsheetSafe: false) }

  public func render(_ format: ExportFormat, spreadsheetSafe: Bool = false) -> String {
    switch format {
    case .json: JSONText.render(json) + "\n"
    case .csv: csv(spreadsheetSafe: spreadsheetSafe)
    case .markdown: markdown
    case .html: html
    }
  }
}
