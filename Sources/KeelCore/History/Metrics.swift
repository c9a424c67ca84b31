import Foundation

/// Workflow metrics derived from document timelines: time in each state, lead time per transition,
/// documents over their state's SLA, throughput per week, the cumulative flow and the decision lead
/// time (`DecisionLeadTime`).
///
/// Dates are author dates. A document enters a state at the commit that first gives it that state
/// and leaves it at the commit that gives it another one (or deletes it); the current state runs
/// until `now`.
public struct MetricsReport: Sendable {
  public struct StateTime: Sendable, Hashable {
    public var state: String
    public var seconds: TimeInterval
  }

  public struct DocumentMetrics: Sendable, Hashable {
    public var path: String
    public var kind: String
    public var workflow: String
    /// nil when the document is deleted or has no state.
    public var state: String?
    public var enteredState: Date?
    /// Seconds spent in each state (within the report's period), in workflow order.
    public var timeInState: [StateTime]
    /// When the document first reached a decided state after entering an initial one, and how
    /// long that took (nil: not decided, or never in an initial state).
    public var decided: Date? = nil
    public var decisionLeadTime: TimeInterval? = nil
  }

  /// Lead time of one transition: how long documents stayed in `from` before moving to `to`.
  public struct TransitionStats: Sendable, Hashable {
    public var workflow: String
    public var from: String
    public var to: String
    public var count: Int
    public var median: TimeInterval
    public var p90: TimeInterval
    public var max: TimeInterval
  }

  public struct StaleDocument: Sendable, Hashable {
    public var path: String
    public var kind: String
    public var workflow: String
    public var state: String
    public var since: Date
    public var age: TimeInterval
    public var sla: TimeInterval
  }

  /// Documents entering each state during one week (weeks start on Monday, UTC).
  public struct Week: Sendable, Hashable {
    public var start: Date
    public var entered: [String: Int]
  }

  /// Documents in each state at one moment, per workflow.
  public struct FlowSample: Sendable, Hashable {
    public var date: Date
    public var counts: [String: Int]
  }

  public struct Flow: Sendable {
    public var workflow: String
    /// The workflow's states in order (states met in documents but not listed come last).
    public var states: [String]
    public var samples: [FlowSample]
  }

  public var now: Date
  public var since: Date?
  public var truncated: Bool
  public var documents: [DocumentMetrics]
  public var transitions: [TransitionStats]
  public var stale: [StaleDocument]
  public var throughput: [Week]
  public var flows: [Flow]
  /// Every state in the report, workflow by workflow, in workflow order.
  public var states: [String]
  /// Changes dated outside years 0001–9999: counted nowhere (no durations, weeks, flow or SLA).
  public var changesOutOfRange = 0
  /// Per workflow, in report order: the decision lead time per month and the documents waiting.
  public var decisions: [DecisionLeadTime] = []
}

public enum Metrics {
  /// - Parameters:
  ///   - now: the end of the period (the current time for real reports).
  ///   - since: only transitions, throughput, time in state and decisions from this date on.
  ///   - contacts: the owner and the accountable person of a document waiting for a decision.
  public static func compute(
    timelines: [DocumentTimeline], now: Date, since: Date? = nil, truncated: Bool = false,
    contacts: (DocumentTimeline) -> (owner: String?, accountable: String?) = { _ in (nil, nil) }
  ) -> MetricsReport {
    struct Interval {
      var state: String
      var start: Date
      var end: Date?
    }
    var documents: [MetricsReport.DocumentMetrics] = []
    var durations: [String: [String: [String: [TimeInterval]]]] = [:]  // workflow → from → to → durations
    var stale: [MetricsReport.StaleDocument] = []
    var entered: [Date: [String: Int]] = [:]
    var intervalsByWorkflow: [String: [Interval]] = [:]
    var workflowStates: [String: [String]] = [:]
    var workflowOrder: [String] = []
    var changesOutOfRange = 0
    var decisionTimes: [String: [String: [TimeInterval]]] = [:]  // workflow → month → lead times
    var waiting: [String: [MetricsReport.WaitingDocument]] = [:]
    let inRange = HistoryDates.isInRange

    for timeline in timelines {
      changesOutOfRange += timeline.entries.count(where: { !inRange($0.date) })
      let workflow = timeline.workflow
      if workflowStates[workflow.name] == nil {
        workflowOrder.append(workflow.name)
        workflowStates[workflow.name] = workflow.states
      }
      var intervals: [Interval] = []
      var current: String?
      var enteredAt: Date?
      var decision = DecisionLeadTime.Tracker(workflow: workflow)
      for entry in timeline.entries {
        let next = entry.change == .deleted ? nil : entry.stateAfter
        guard next != current else { continue }
        decision.enter(next, at: entry.date)
        if let state = next, !(workflowStates[workflow.name]!.contains(state)) {
          workflowStates[workflow.name]!.append(state)
        }
        if let previous = current, let start = enteredAt {
          intervals[intervals.count - 1].end = entry.date
          if let next, since.map({ entry.date >= $0 }) ?? true, inRange(start), inRange(entry.date) {
            durations[workflow.name, default: [:]][previous, default: [:]][next, default: []].append(
              max(0, entry.date.timeIntervalSince(start)))
          }
        }
        if let next {
          intervals.append(Interval(state: next, start: entry.date, end: nil))
          if since.map({ entry.date >= $0 }) ?? true, inRange(entry.date) {
            entered[weekStart(entry.date), default: [:]][next, default: 0] += 1
          }
        }
        current = next
        enteredAt = entry.date
      }
      // A state entered or left at a date outside 0001–9999 has no duration.
      intervals.removeAll { !inRange($0.start) || !($0.end.map(inRange) ?? true) }
      intervalsByWorkflow[workflow.name, default: []] += intervals
      var times: [String: TimeInterval] = [:]
      for interval in intervals {
        let start = max(interval.start, since ?? interval.start)
        let end = min(interval.end ?? now, now)
        if end > start { times[interval.state, default: 0] += end.timeIntervalSince(start) }
      }
      let order = workflowStates[workflow.name]!
      let decided = decision.decided
      if let decided, since.map({ decided.date >= $0 }) ?? true {
        decisionTimes[workflow.name, default: [:]][DecisionLeadTime.month(decided.date), default: []].append(
          decided.seconds)
      }
      documents.append(
        MetricsReport.DocumentMetrics(
          path: timeline.displayPath(timeline.path), kind: timeline.kind, workflow: workflow.name, state: current,
          enteredState: current == nil ? nil : enteredAt,
          timeInState: order.compactMap { state in times[state].map { .init(state: state, seconds: $0) } },
          decided: decided?.date, decisionLeadTime: decided?.seconds))
      if let state = current, let start = enteredAt, inRange(start), let sla = workflow.sla[state],
        now.timeIntervalSince(start) > sla
      {
        stale.append(
          MetricsReport.StaleDocument(
            path: timeline.displayPath(timeline.path), kind: timeline.kind, workflow: workflow.name, state: state,
            since: start,
            age: now.timeIntervalSince(start), sla: sla))
        // Still undecided: waiting for a decision longer than its state's SLA.
        if !workflow.decidedStates.contains(state) {
          let people = contacts(timeline)
          waiting[workflow.name, default: []].append(
            MetricsReport.WaitingDocument(
              path: timeline.displayPath(timeline.path), kind: timeline.kind, state: state, since: start,
              age: now.timeIntervalSince(start), sla: sla, owner: people.owner, accountable: people.accountable))
        }
      }
    }

    var transitions: [MetricsReport.TransitionStats] = []
    for workflow in workflowOrder {
      let order = workflowStates[workflow] ?? []
      let rank = { (state: String) in order.firstIndex(of: state) ?? order.count }
      for (from, targets) in (durations[workflow] ?? [:]).sorted(by: { (rank($0.key), $0.key) < (rank($1.key), $1.key) }
      ) {
        for (to, values) in targets.sorted(by: { (rank($0.key), $0.key) < (rank($1.key), $1.key) }) {
          let sorted = values.sorted()
          transitions.append(
            MetricsReport.TransitionStats(
              workflow: workflow, from: from, to: to, count: sorted.count, median: Statistics.median(sorted),
              p90: Statistics.percentile(sorted, 90), max: sorted.last ?? 0))
        }
      }
    }

    let allStates = workflowOrder.flatMap { workflowStates[$0] ?? [] }
    var seenStates = Set<String>()
    let states = allStates.filter { seenStates.insert($0).inserted }

    var flows: [MetricsReport.Flow] = []
    let firstDate = timelines.compactMap { $0.entries.first(where: { inRange($0.date) })?.date }.min()
    if let firstDate {
      let start = since.map { max($0, firstDate) } ?? firstDate
      let samples = sampleDates(from: start, to: now)
      for workflow in workflowOrder {
        let intervals = intervalsByWorkflow[workflow] ?? []
        let flowSamples = samples.map { date in
          var counts: [String: Int] = [:]
          for interval in intervals where interval.start <= date && (interval.end.map { $0 > date } ?? true) {
            counts[interval.state, default: 0] += 1
          }
          return MetricsReport.FlowSample(date: date, counts: counts)
        }
        flows.append(
          MetricsReport.Flow(workflow: workflow, states: workflowStates[workflow] ?? [], samples: flowSamples))
      }
    }

    return MetricsReport(
      now: now, since: since, truncated: truncated,
      documents: documents.sorted { $0.path < $1.path }, transitions: transitions,
      stale: stale.sorted { ($0.age, $1.path) > ($1.age, $0.path) },
      throughput: entered.keys.sorted().map { MetricsReport.Week(start: $0, entered: entered[$0]!) },
      flows: flows, states: states, changesOutOfRange: changesOutOfRange,
      decisions: workflowOrder.map { workflow in
        DecisionLeadTime(
          workflow: workflow,
          monthly: (decisionTimes[workflow] ?? [:]).sorted { $0.key < $1.key }.map { month, values in
            let sorted = values.sorted()
            return .init(
              month: month, count: sorted.count, median: Statistics.median(sorted),
              p90: Statistics.percentile(sorted, 90))
          },
          waiting: (waiting[workflow] ?? []).sorted { ($0.since, $0.path) < ($1.since, $1.path) })
      })
  }

  /// Monday 00:00 UTC of the week holding `date`.
  static func weekStart(_ date: Date) -> Date {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
    return calendar.date(from: components) ?? date
  }

  /// Sample moments for the flow diagram: about 60 to 400 evenly spaced moments (daily when that
  /// fits), from `start` to `end` inclusive.
  static func sampleDates(from start: Date, to end: Date) -> [Date] {
    guard end > start else { return [start] }
    let span = end.timeIntervalSince(start)
    let day: TimeInterval = 86_400
    var step = day
    while span / step > 400 { step *= 2 }
    if span / step < 60 { step = span / 60 }
    var dates: [Date] = []
    var moment = start
    while moment < end {
      dates.append(moment)
      moment = moment.addingTimeInterval(step)
    }
    dates.append(end)
    return dates
  }
}

/// Order statistics over sorted values.
public enum Statistics {
  /// The middle value, or the mean of the two middle values; 0 for no values.
  public static func median(_ sorted: [TimeInterval]) -> TimeInterval {
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// Nearest rank: the smallest value with at least `percent`% of the values at or below it.
  public static func percentile(_ sorted: [TimeInterval], _ percent: Int) -> TimeInterval {
    guard !sorted.isEmpty else { return 0 }
    let rank = (percent * sorted.count + 99) / 100  // ceil(percent/100 × n)
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
  }
}
