import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

/// `keel metrics`: how long documents spend in each workflow state, lead times per transition,
/// documents over their SLA, throughput per week, and a cumulative flow diagram.
struct MetricsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metrics",
    abstract: "Workflow metrics: time in state, lead times, SLA breaches, throughput, flow, decision lead time.",
    discussion: """
      Read from the history of --rev (default HEAD). Dates are author dates, in UTC. Lead time of a \
      transition A -> B is the time a document spent in A before moving to B; median is the middle \
      value (the mean of the two middle ones for an even count), p90 the nearest-rank 90th percentile. \
      A document is over its SLA when it has been in its current state longer than the workflow's \
      'sla' for that state. Decision lead time: from a workflow's initial state to a decided state \
      (final, or 'decided: true'), per month of the decision, and the undecided documents over their \
      SLA with their owner and accountable person (the A of the workflow's 'raci-activity'). \
      --format svg draws the cumulative flow diagram and the decision lead time trend.
      """
  )

  @OptionGroup var options: HistoryOptions

  @Option(
    help: ArgumentHelp(
      "Only what happened on or after this date (YYYY-MM-DD or ISO-8601) or this revision's date.",
      valueName: "date|rev"))
  var since: String?

  @Option(
    help: ArgumentHelp(
      "The report as it was at this date or this revision's date: later changes are left out, ages measured there.",
      valueName: "date|rev"))
  var until: String?

  @Option(
    help: ArgumentHelp(
      "Measure up to this moment instead of now (reproducible reports; a real date in 1970-9999).", valueName: "date"))
  var now: String?

  @Option(help: ArgumentHelp("Read the history of this revision.", valueName: "rev"))
  var rev: String = "HEAD"

  @OptionGroup var result: OutputOptions<MetricsReport.Format>

  func run() throws {
    let now = try now.map { try HistoryDates.parseArgument($0, option: "--now") } ?? Date()
    try Engine.metrics(
      options.request(output: result.output),
      revision: rev, since: since, until: until, now: now, format: result.format)
  }
}
