import Foundation

/// When each document entered its current workflow state, according to the Git history.
public struct StateHistory: Sendable {
  public struct Entry: Sendable, Hashable {
    public var state: String
    public var since: Date
  }

  /// Document path (relative to keel.yaml's folder) → its state at the tip and when it entered it.
  public var entries: [String: Entry]
  /// The moment ages are measured at.
  public var now: Date
  /// Document path → the date of the commit that first added it (following renames): which of
  /// two documents with the same id came second.
  public var firstCommitted: [String: Date] = [:]

  public init(entries: [String: Entry], now: Date) {
    self.entries = entries
    self.now = now
  }

  public init(timelines: [DocumentTimeline], now: Date) {
    var entries: [String: Entry] = [:]
    for timeline in timelines where !timeline.isDeleted {
      var current: String?
      var since: Date?
      for entry in timeline.entries where entry.stateAfter != current {
        current = entry.stateAfter
        since = entry.date
      }
      if let current, let since { entries[timeline.path] = Entry(state: current, since: since) }
    }
    self.init(entries: entries, now: now)
    for timeline in timelines where !timeline.isDeleted {
      if let first = timeline.entries.first { firstCommitted[timeline.path] = first.date }
    }
  }
}

/// `workflow/stale`: a document has been in its state for longer than its workflow's `sla` for that
/// state. Reported by `keel check` when the history is available (a warning by default).
public enum StaleDocuments {
  public static let descriptor = RuleDescriptor(
    id: "workflow/stale", summary: "A document has stayed in its workflow state longer than the state's SLA.",
    defaultSeverity: .warning)

  /// Findings for the checked documents whose state is the one the history has, for too long. A
  /// document whose state differs from the committed one (just changed), or that entered it at a
  /// date outside years 0001–9999, is not stale.
  public static func diagnostics(
    documents: [String: Document], history: StateHistory, configuration: HistoryConfiguration
  ) -> [Diagnostic] {
    var findings: [Diagnostic] = []
    for path in documents.keys.sorted() {
      // The document already knows its kind: no glob matching per document.
      guard let document = documents[path], let kind = document.kind.flatMap(configuration.kind(named:)),
        let state = document.field(kind.workflow.field), let sla = kind.workflow.sla[state],
        let entry = history.entries[path], entry.state == state, HistoryDates.isInRange(entry.since)
      else { continue }
      let age = history.now.timeIntervalSince(entry.since)
      guard age > sla else { continue }
      findings.append(
        Diagnostic(
          rule: descriptor.id, severity: descriptor.defaultSeverity,
          message:
            "in '\(state)' since \(HistoryDates.day(entry.since)) (\(MetricsReport.duration(age))), "
            + "longer than the \(MetricsReport.duration(sla)) SLA of \(kind.workflow.name)",
          path: path,
          at: document.frontMatter?.content.sourceMap.values["/" + kind.workflow.field]
            ?? document.position(ofField: kind.workflow.field)))
    }
    return findings
  }
}
