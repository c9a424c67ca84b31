import Foundation
import JSONSchema

extension MetricsReport {
  public enum Format: String, CaseIterable, Sendable {
    case text, json, csv, svg
  }

  public func render(_ format: Format) -> String {
    switch format {
    case .text: TextKit.terminal(text)
    case .json: JSONText.render(json) + "\n"
    case .csv: csv
    case .svg: CumulativeFlowSVG.render(self)
    }
  }

  /// `3d 4h`, `5h 20m`, `45m`, `0m`.
  public static func duration(_ seconds: TimeInterval) -> String {
    // Durations come from dates in years 0001–9999; the bound only keeps a stray value from trapping.
    let total = seconds.isFinite ? Int(max(-1e15, min(1e15, seconds)).rounded()) : 0
    let days = total / 86_400
    let hours = (total % 86_400) / 3600
    let minutes = (total % 3600) / 60
    if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
    if hours > 0 { return minutes > 0 ? "\(hours)h \(minutes)m" : "\(hours)h" }
    return "\(minutes)m"
  }

  /// `2.00`, `0.04`: seconds as days with two decimals (a point, whatever the locale).
  static func days(_ seconds: TimeInterval) -> String {
    let hundredths = seconds.isFinite ? Int(max(-1e15, min(1e15, seconds / 864)).rounded()) : 0
    let sign = hundredths < 0 ? "-" : ""
    let fraction = abs(hundredths) % 100
    return "\(sign)\(abs(hundredths) / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }

  private static func number(_ seconds: TimeInterval) -> JSONValue {
    seconds == seconds.rounded() && abs(seconds) < 1e15 ? .integer(Int(seconds)) : .number(seconds)
  }

  /// Seconds as days, rounded to two decimals: `7.5`, `10` (the decision lead time's unit in JSON).
  private static func dayNumber(_ seconds: TimeInterval) -> JSONValue {
    let hundredths = seconds.isFinite ? Int(max(-1e15, min(1e15, seconds / 864)).rounded()) : 0
    return hundredths % 100 == 0 ? .integer(hundredths / 100) : .number(Double(hundredths) / 100)
  }

  /// `{"monthly": [...], "waiting": [...]}` of one workflow, durations in days.
  private static func json(_ decisions: DecisionLeadTime) -> JSONValue {
    .object(
      JSONObject([
        (
          "monthly",
          .array(
            decisions.monthly.map { month in
              .object(
                JSONObject([
                  ("month", .string(month.month)), ("count", .integer(month.count)),
                  ("median", dayNumber(month.median)), ("p90", dayNumber(month.p90)),
                ]))
            })
        ),
        (
          "waiting",
          .array(
            decisions.waiting.map { item in
              .object(
                JSONObject([
                  ("path", .string(item.path)), ("state", .string(item.state)),
                  ("since", .string(HistoryDates.iso(item.since))), ("days", dayNumber(item.age)),
                  ("owner", item.owner.map(JSONValue.string) ?? .null),
                  ("accountable", item.accountable.map(JSONValue.string) ?? .null),
                ]))
            })
        ),
      ]))
  }

  /// Why some changes count nowhere, or nil when every change is dated in years 0001–9999.
  public var outOfRangeNote: String? {
    guard changesOutOfRange > 0 else { return nil }
    return "\(changesOutOfRange) change\(changesOutOfRange == 1 ? " is" : "s are") dated outside the years 0001-9999; "
      + "left out of lead times, time in state, weeks, the flow and SLAs"
  }

  /// Durations are in seconds.
  public var json: JSONValue {
    var root = JSONObject()
    root["now"] = .string(HistoryDates.iso(now))
    root["since"] = since.map { .string(HistoryDates.iso($0)) } ?? .null
    root["truncated"] = .bool(truncated)
    root["documents"] = .array(
      documents.map { document in
        .object(
          JSONObject([
            ("path", .string(document.path)), ("kind", .string(document.kind)),
            ("workflow", .string(document.workflow)),
            ("state", document.state.map(JSONValue.string) ?? .null),
            ("enteredState", document.enteredState.map { .string(HistoryDates.iso($0)) } ?? .null),
            ("timeInState", .object(JSONObject(document.timeInState.map { ($0.state, Self.number($0.seconds)) }))),
          ]))
      })
    root["transitions"] = .array(
      transitions.map { stats in
        .object(
          JSONObject([
            ("workflow", .string(stats.workflow)), ("from", .string(stats.from)), ("to", .string(stats.to)),
            ("count", .integer(stats.count)), ("median", Self.number(stats.median)), ("p90", Self.number(stats.p90)),
            ("max", Self.number(stats.max)),
          ]))
      })
    root["stale"] = .array(
      stale.map { item in
        .object(
          JSONObject([
            ("path", .string(item.path)), ("kind", .string(item.kind)), ("state", .string(item.state)),
            ("since", .string(HistoryDates.iso(item.since))), ("age", Self.number(item.age)),
            ("sla", Self.number(item.sla)),
          ]))
      })
    root["workflows"] = .array(
      decisions.map { decisions in
        .object(JSONObject([("workflow", .string(decisions.workflow)), ("decisionLeadTime", Self.json(decisions))]))
      })
    root["throughput"] = .array(
      throughput.map { week in
        .object(
          JSONObject([
            ("week", .string(HistoryDates.day(week.start))),
            (
              "entered",
              .object(JSONObject(states.compactMap { state in week.entered[state].map { (state, .integer($0)) } }))
            ),
          ]))
      })
    return .object(root)
  }

  var text: String {
    var output = ""
    if truncated { output += "note: shallow clone, history truncated at its boundary\n\n" }
    if let note = outOfRangeNote { output += "note: \(note)\n\n" }
    output += "Lead time per transition (time spent in the first state):\n"
    let rows = transitions.map { stats in
      [
        stats.workflow, "\(stats.from) -> \(stats.to)", String(stats.count), Self.duration(stats.median),
        Self.duration(stats.p90), Self.duration(stats.max),
      ]
    }
    output +=
      rows.isEmpty
      ? "  none\n" : TextTable.render(header: ["workflow", "transition", "count", "median", "p90", "max"], rows: rows)
    output += "\nOver their SLA:\n"
    if stale.isEmpty { output += "  none\n" }
    for item in stale {
      output += "  \(item.path): \(item.state) for \(Self.duration(item.age)) (SLA \(Self.duration(item.sla)))\n"
    }
    output += "\nDecision lead time per month (initial state -> decided state, by month decided):\n"
    let months = decisions.flatMap { decisions in
      decisions.monthly.map { month in
        [
          decisions.workflow, month.month, String(month.count), Self.duration(month.median), Self.duration(month.p90),
        ]
      }
    }
    output +=
      months.isEmpty
      ? "  none\n" : TextTable.render(header: ["workflow", "month", "count", "median", "p90"], rows: months)
    output += "\nWaiting for a decision longer than their SLA (oldest first):\n"
    let waiting = decisions.flatMap { decisions in
      decisions.waiting.map { item in
        [
          item.path, decisions.workflow, item.state, HistoryDates.day(item.since), Self.duration(item.age),
          Self.duration(item.sla), item.owner ?? "-", item.accountable ?? "-",
        ]
      }
    }
    output +=
      waiting.isEmpty
      ? "  none\n"
      : TextTable.render(
        header: ["document", "workflow", "state", "since", "waiting", "SLA", "owner", "accountable"], rows: waiting)
    output += "\nThroughput (documents entering each state, per week):\n"
    output += TextTable.render(
      header: ["week"] + states,
      rows: throughput.map { week in [HistoryDates.day(week.start)] + states.map { String(week.entered[$0] ?? 0) } })
    output += "\nTime in state per document:\n"
    output += TextTable.render(
      header: ["document", "state"] + states,
      rows: documents.map { document in
        [document.path, document.state ?? "-"]
          + states.map { state in
            document.timeInState.first { $0.state == state }.map { Self.duration($0.seconds) } ?? ""
          }
      })
    return output
  }

  /// One row per document: path, kind, workflow, current state, date entered, then days per state
  /// (two decimals: `1.50` is a day and a half), as spreadsheets sum and chart them, then when the
  /// document was first decided and its decision lead time in days.
  var csv: String {
    var output =
      (["path", "kind", "workflow", "state", "entered_state"] + states.map { "days_in_\($0)" } + [
        "decided", "decision_lead_days",
      ])
      .map { TextKit.csvField($0, spreadsheetSafe: true) }.joined(separator: ",") + "\n"
    for document in documents {
      let days = states.map { state in
        document.timeInState.first { $0.state == state }.map { Self.days($0.seconds) } ?? ""
      }
      let cells =
        [
          document.path, document.kind, document.workflow, document.state ?? "",
          document.enteredState.map(HistoryDates.iso) ?? "",
        ]
        + days + [document.decided.map(HistoryDates.iso) ?? "", document.decisionLeadTime.map(Self.days) ?? ""]
      output += cells.map { TextKit.csvField($0, spreadsheetSafe: true) }.joined(separator: ",") + "\n"
    }
    return output
  }
}

enum TextTable {
  static func render(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    // Cells padded to their column's width, trailing blanks dropped (no regular expression or
    // NSString: a ranking of 10,000 rows is printed in milliseconds).
    func line(_ cells: [String]) -> String {
      var text = "  "
      for (index, cell) in cells.enumerated() {
        if index > 0 { text += "  " }
        text += cell
        if index < widths.count, cell.count < widths[index] {
          text += String(repeating: " ", count: widths[index] - cell.count)
        }
      }
      while let last = text.last, last.isWhitespace { text.removeLast() }
      return text + "\n"
    }
    return line(header) + rows.map(line).joined()
  }
}

/// A self-contained SVG of the cumulative flow: one panel per workflow, documents per state over
/// time as stacked bands (the workflow's last state at the bottom). No scripts, no external
/// resources; every text is escaped.
public enum CumulativeFlowSVG {
  static let palette = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
  ]

  public static func render(_ report: MetricsReport) -> String {
    let width = SVGChartPanel.width
    let panelHeight = 320.0
    let flows =
      report.flows.isEmpty ? [MetricsReport.Flow(workflow: "no documents", states: [], samples: [])] : report.flows
    let flowHeight = SVGChartPanel.height(of: flows.count, plotHeight: panelHeight)
    let trend = DecisionTrendSVG.panels(report.decisions, top: flowHeight)
    let height = flowHeight + trend.height
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
      <title>Cumulative flow</title>
      <rect width="100%" height="100%" fill="#ffffff"/>

      """
    for (index, flow) in flows.enumerated() {
      let panel = SVGChartPanel(index, plotHeight: panelHeight)
      let (margin, plotWidth, bottom) = (SVGChartPanel.margin, panel.plotWidth, panel.bottom)
      svg += panel.title("Cumulative flow", flow.workflow)
      guard let first = flow.samples.first?.date, let last = flow.samples.last?.date else {
        svg += panel.note("No documents.")
        continue
      }
      let span = max(last.timeIntervalSince(first), 1)
      let totals = flow.samples.map { sample in flow.states.reduce(0) { $0 + (sample.counts[$1] ?? 0) } }
      let maximum = max(totals.max() ?? 1, 1)
      let yStep = niceStep(Double(maximum) / 5)
      let yMax = max(Double(maximum), ceil(Double(maximum) / yStep) * yStep)
      func x(_ date: Date) -> Double { margin.left + date.timeIntervalSince(first) / span * plotWidth }
      func y(_ count: Double) -> Double { bottom - count / yMax * panelHeight }
      // Bands: the last state at the bottom, each band stacked on the ones below.
      let stacked = Array(flow.states.reversed())
      var lower = [Double](repeating: 0, count: flow.samples.count)
      for state in stacked {
        let upper = zip(lower, flow.samples).map { $0 + Double($1.counts[state] ?? 0) }
        var points: [String] = []
        for (index, sample) in flow.samples.enumerated() {
          points.append("\(fmt(x(sample.date))),\(fmt(y(upper[index])))")
        }
        for (index, sample) in flow.samples.enumerated().reversed() {
          points.append("\(fmt(x(sample.date))),\(fmt(y(lower[index])))")
        }
        let colour = palette[(flow.states.firstIndex(of: state) ?? 0) % palette.count]
        svg += "<polygon points=\"\(points.joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.85\" "
        svg += "stroke=\"\(colour)\" stroke-width=\"0.5\"><title>\(TextKit.xml(state))</title></polygon>\n"
        lower = upper
      }
      svg += panel.axes()
      svg += panel.grid(upTo: yMax, step: yStep, y: y)
      for index in 0...5 {
        let date = first.addingTimeInterval(span * Double(index) / 5)
        let position = x(date)
        svg +=
          "<line x1=\"\(fmt(position))\" y1=\"\(fmt(bottom))\" x2=\"\(fmt(position))\" y2=\"\(fmt(bottom + 4))\" stroke=\"#333\"/>\n"
        svg +=
          "<text x=\"\(fmt(position))\" y=\"\(fmt(bottom + 18))\" text-anchor=\"middle\">\(HistoryDates.day(date))</text>\n"
      }
      svg += panel.axisLabel("documents")
      // Legend, in workflow order.
      for (index, state) in flow.states.enumerated() {
        let current = flow.samples.last?.counts[state] ?? 0
        svg += panel.legend(index, colour: palette[index % palette.count], "\(TextKit.xml(state)) (\(current))")
      }
    }
    svg += trend.svg
    svg += "</svg>\n"
    return svg
  }

  static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

  /// 1, 2 or 5 times a power of ten, at least `raw`.
  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0 else { return 1 }
    let power = pow(10, floor(log10(raw)))
    for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= raw { return max(1, factor * power) }
    return max(1, 10 * power)
  }
}

/// The second chart of `keel metrics --format svg`: per workflow, the decision lead time's median
/// and 90th percentile per month of the decision, in days. Its panels are one group,
/// `<g id="decision-lead-time">`, whose `data-top` and `data-height` say where it lies (to crop it).
enum DecisionTrendSVG {
  static func panels(_ decisions: [DecisionLeadTime], top start: Double) -> (svg: String, height: Double) {
    let panelHeight = 260.0
    let items = decisions.isEmpty ? [DecisionLeadTime(workflow: "no documents", monthly: [], waiting: [])] : decisions
    let height = SVGChartPanel.height(of: items.count, plotHeight: panelHeight)
    let fmt = CumulativeFlowSVG.fmt
    var svg = "<g id=\"decision-lead-time\" data-top=\"\(Int(start))\" data-height=\"\(Int(height))\">\n"
    let colours = (median: "#4e79a7", p90: "#e15759")
    for (index, item) in items.enumerated() {
      let panel = SVGChartPanel(index, plotHeight: panelHeight, from: start)
      let (margin, plotWidth, top, bottom) = (SVGChartPanel.margin, panel.plotWidth, panel.top, panel.bottom)
      svg += panel.title("Decision lead time", item.workflow)
      guard let first = item.monthly.first?.month, let last = item.monthly.last?.month else {
        svg += panel.note("No decisions.")
        continue
      }
      let months = monthRange(from: first, to: last)
      let days = 86_400.0
      let maximum = max(item.monthly.map { $0.p90 / days }.max() ?? 1, 1)
      let yStep = CumulativeFlowSVG.niceStep(maximum / 5)
      let yMax = max(maximum, ceil(maximum / yStep) * yStep)
      let position = Dictionary(months.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
      func x(_ month: String) -> Double {
        let index = Double(position[month] ?? 0)
        return months.count == 1
          ? margin.left + plotWidth / 2 : margin.left + 20 + index / Double(months.count - 1) * (plotWidth - 40)
      }
      func y(_ seconds: TimeInterval) -> Double { bottom - seconds / days / yMax * panelHeight }
      // Grid and axes.
      svg += panel.grid(upTo: yMax, step: yStep) { y($0 * days) }
      svg += panel.axes()
      let labelEvery = max(1, (months.count + 11) / 12)
      for (index, month) in months.enumerated() where index % labelEvery == 0 || index == months.count - 1 {
        svg += "<text x=\"\(fmt(x(month)))\" y=\"\(fmt(bottom + 18))\" text-anchor=\"middle\">\(month)</text>\n"
      }
      svg += panel.axisLabel("days")
      // One line per statistic, a dot per month with decisions (its numbers as a tooltip).
      for (name, colour, value, dash) in [
        ("median", colours.median, \DecisionLeadTime.Month.median, ""),
        ("p90", colours.p90, \DecisionLeadTime.Month.p90, " stroke-dasharray=\"6 4\""),
      ] {
        let points = item.monthly.map { "\(fmt(x($0.month))),\(fmt(y($0[keyPath: value])))" }
        svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" "
        svg += "stroke-width=\"2\"\(dash)/>\n"
        for month in item.monthly {
          svg += "<circle cx=\"\(fmt(x(month.month)))\" cy=\"\(fmt(y(month[keyPath: value])))\" r=\"3.5\" "
          svg += "fill=\"\(colour)\"><title>\(month.month) \(name): \(MetricsReport.duration(month[keyPath: value])) "
          svg += "(\(month.count) decision\(month.count == 1 ? "" : "s"))</title></circle>\n"
        }
      }
      // Legend.
      let legendX = margin.left + plotWidth + 20
      let total = item.monthly.reduce(0) { $0 + $1.count }
      for (index, (name, colour)) in [("median", colours.median), ("p90", colours.p90)].enumerated() {
        svg += panel.legend(index, colour: colour, name)
      }
      svg += "<text x=\"\(fmt(legendX))\" y=\"\(fmt(top + 60))\">\(total) decision\(total == 1 ? "" : "s")</text>\n"
      svg += "<text x=\"\(fmt(legendX))\" y=\"\(fmt(top + 80))\">\(item.waiting.count) waiting over SLA</text>\n"
    }
    svg += "</g>\n"
    return (svg, height)
  }

  /// Every month from `first` to `last` (`2026-01`), both included.
  static func monthRange(from first: String, to last: String) -> [String] {
    func parts(_ month: String) -> (Int, Int)? {
      let pieces = month.split(separator: "-")
      guard pieces.count == 2, let year = Int(pieces[0]), let number = Int(pieces[1]) else { return nil }
      return (year, number)
    }
    guard var (year, number) = parts(first), let end = parts(last) else { return [first] }
    var months: [String] = []
    while (year, number) <= end && months.count < 120_000 {
      months.append(String(format: "%04d-%02d", year, number))
      number += 1
      if number > 12 { (year, number) = (year + 1, 1) }
    }
    return months
  }
}

/// One panel of a metrics chart (`CumulativeFlowSVG`, `DecisionTrendSVG`): where it lies, and the
/// parts every chart draws the same way (title, note, grid, axes, axis label, legend entries).
struct SVGChartPanel {
  static let width = 900.0
  static let margin = (left: 60.0, right: 170.0, top: 40.0, bottom: 50.0)
  /// The height of the plot area; the panel adds the top and bottom margins.
  let plotHeight: Double
  /// Where the plot area starts and ends.
  let top: Double
  var bottom: Double { top + plotHeight }
  var plotWidth: Double { Self.width - Self.margin.left - Self.margin.right }

  /// The panel at `index` in a column of panels whose plots are `plotHeight` high, from `start` down.
  init(_ index: Int, plotHeight: Double, from start: Double = 0) {
    self.plotHeight = plotHeight
    top = start + Double(index) * (plotHeight + Self.margin.top + Self.margin.bottom) + Self.margin.top
  }

  /// The height of `count` such panels.
  static func height(of count: Int, plotHeight: Double) -> Double {
    Double(count) * (plotHeight + margin.top + margin.bottom)
  }

  private func fmt(_ value: Double) -> String { CumulativeFlowSVG.fmt(value) }

  /// `chart: name` above the plot, in bold; `name` is escaped.
  func title(_ chart: String, _ name: String) -> String {
    "<text x=\"\(Self.margin.left)\" y=\"\(fmt(top - 14))\" font-size=\"15\" font-weight=\"bold\">"
      + "\(chart): \(TextKit.xml(name))</text>\n"
  }

  /// A line of text in place of the plot (nothing to draw).
  func note(_ text: String) -> String {
    "<text x=\"\(Self.margin.left)\" y=\"\(fmt(top + 20))\">\(text)</text>\n"
  }

  /// Horizontal grid lines with their values, every `step` from 0 to `maximum`; `y` places a value.
  func grid(upTo maximum: Double, step: Double, y: (Double) -> Double) -> String {
    var svg = ""
    var tick = 0.0
    while tick <= maximum + 0.001 {
      svg += "<line x1=\"\(fmt(Self.margin.left - 4))\" y1=\"\(fmt(y(tick)))\" "
      svg +=
        "x2=\"\(fmt(Self.margin.left + plotWidth))\" y2=\"\(fmt(y(tick)))\" stroke=\"#000\" stroke-opacity=\"0.1\"/>\n"
      svg +=
        "<text x=\"\(fmt(Self.margin.left - 8))\" y=\"\(fmt(y(tick) + 4))\" text-anchor=\"end\">\(Int(tick))</text>\n"
      tick += step
    }
    return svg
  }

  /// The x axis along the bottom of the plot and the y axis along its left side.
  func axes() -> String {
    let left = fmt(Self.margin.left)
    return "<line x1=\"\(left)\" y1=\"\(fmt(bottom))\" x2=\"\(fmt(Self.margin.left + plotWidth))\" "
      + "y2=\"\(fmt(bottom))\" stroke=\"#333\"/>\n"
      + "<line x1=\"\(left)\" y1=\"\(fmt(top))\" x2=\"\(left)\" y2=\"\(fmt(bottom))\" stroke=\"#333\"/>\n"
  }

  /// The y axis's unit, written upwards beside it.
  func axisLabel(_ text: String) -> String {
    let (x, y) = (fmt(Self.margin.left - 45), fmt(top + plotHeight / 2))
    return "<text x=\"\(x)\" y=\"\(y)\" transform=\"rotate(-90 \(x) \(y))\" text-anchor=\"middle\">\(text)</text>\n"
  }

  /// The `index`th legend entry right of the plot: a swatch of `colour` and `label` (escaped already).
  func legend(_ index: Int, colour: String, _ label: String) -> String {
    let legendX = Self.margin.left + plotWidth + 20
    let legendY = top + 10 + Double(index) * 20
    return "<rect x=\"\(fmt(legendX))\" y=\"\(fmt(legendY - 10))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>\n"
      + "<text x=\"\(fmt(legendX + 18))\" y=\"\(fmt(legendY))\">\(label)</text>\n"
  }
}
