import Foundation

/// One workflow's decision lead time (`keel metrics`): how long documents take from the workflow's
/// initial state to a decided state, per month of the decision, and the documents still waiting
/// for a decision longer than their state's SLA.
///
/// A document's decision lead time runs from the first commit that puts it in one of the workflow's
/// `initial` states to the first later commit that puts it in a decided state (a final state or
/// one marked `decided: true`); a document counts once, at its first decision, in the month (UTC)
/// of that commit's author date. A document never in an initial state has none.
public struct DecisionLeadTime: Sendable, Hashable {
  public struct Month: Sendable, Hashable {
    /// `2026-01`.
    public var month: String
    public var count: Int
    /// Seconds: the median and the nearest-rank 90th percentile (`Statistics`).
    public var median: TimeInterval
    public var p90: TimeInterval
  }

  public var workflow: String
  /// Months with at least one decision, oldest first.
  public var monthly: [Month]
  /// Undecided documents over their current state's SLA, oldest first (entered their state first).
  public var waiting: [MetricsReport.WaitingDocument]

  /// `2026-01`: the month (UTC) of `date`.
  static func month(_ date: Date) -> String { String(HistoryDates.day(date).prefix(7)) }

  /// Follows one document's states, oldest first, to its first decision.
  struct Tracker {
    let workflow: WorkflowInfo
    private var started: Date?
    /// The first decision: when, and how long after the start.
    private(set) var decided: (date: Date, seconds: TimeInterval)?

    init(workflow: WorkflowInfo) { self.workflow = workflow }

    /// The document is in `state` (nil: deleted, or no state) from `date` on.
    mutating func enter(_ state: String?, at date: Date) {
      guard decided == nil, let state, HistoryDates.isInRange(date) else { return }
      if let start = started {
        if workflow.decidedStates.contains(state) { decided = (date, max(0, date.timeIntervalSince(start))) }
      } else if workflow.initial.contains(state) {
        started = date
      }
    }
  }
}

extension MetricsReport {
  /// A document waiting for a decision: in an undecided state for longer than that state's SLA.
  public struct WaitingDocument: Sendable, Hashable {
    public var path: String
    public var kind: String
    public var state: String
    /// When it entered its current state.
    public var since: Date
    public var age: TimeInterval
    public var sla: TimeInterval
    /// The document's `owner` field, and the A of its workflow's `raci-activity` (`RACIIndex.accountable`).
    public var owner: String?
    public var accountable: String?
  }
}

extension RACIIndex {
  /// The accountable person (the A) of the activity `id`: of the first matrix (in path order) whose
  /// activity `id` names `owner` under any letter, else of the first that has activity `id`; nil
  /// when no matrix has it or it has no A.
  public func accountable(forActivity id: String, owner: String?) -> String? {
    let activities = matrices.flatMap { $0.activities.filter { $0.id == id } }
    let named = owner.flatMap { owner in activities.first { !$0.roles(of: owner).isEmpty } }
    return (named ?? activities.first)?.accountable.first
  }
}
