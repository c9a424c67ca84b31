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
  /// Document path → the date of the commit that first added it (following renames; a folder
  /// document's: the first commit of either of its files): which of two documents with the same id
  /// came second, and whether a kind's `template-since:` binds it.
  public var firstCommitted: [String: Date] = [:]

  public init(entries: [String: Entry], now: Date, firstCommitted: [String: Date] = [:]) {
    self.entries = entries
    self.now = now
    self.firstCommitted = firstCommitted
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
