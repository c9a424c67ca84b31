import Foundation
import Testing

@testable import KeelCore

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A keel.yaml with one `prd` kind following a workflow with an SLA on `review`.
let metricsConfig: [String: String] = [
  "keel.yaml": """
  version: 1
  kinds:
    prd:
      include: ["specs/**/*.md"]
      workflow: workflows/spec.yaml
  """,
  "workflows/spec.yaml": """
  name: spec
  field: status
  initial: [draft]
  states: {draft: {}, review: {}, approved: {}, shipped: {}}
  transitions: {draft: [review], review: [draft, approved], approved: [shipped]}
  sla: {review: 10d}
  """,
]

func metricsTimelines(_ builder: HistoryBuilder) throws -> [DocumentTimeline] {
  let configuration = try HistoryConfiguration.load(from: MemorySnapshot(texts: metricsConfig))
  let source = builder.source
  return TimelineBuilder(configuration: configuration).timelines(records: source.records, source: source)
}

@Suite struct MetricsTests {
  /// Three specs with known dates:
  /// - a: draft 01-01, review 01-03 (2d), approved 01-08 (5d), shipped 01-10 (2d)
  /// - b: draft 01-02, review 01-03 (1d), back to draft 01-05 (2d in review), review 01-06 (1d), approved 01-16 (10d)
  /// - c: draft 01-04, review 01-05 (1d), still in review at `now` (01-20: 15d, over the 10d SLA)
  func history() -> HistoryBuilder {
    var builder = HistoryBuilder()
    builder.commit("a draft", at: "2024-01-01", ["specs/a.md": spec("draft")])
    builder.commit("b draft", at: "2024-01-02", ["specs/b.md": spec("draft", owner: "bob")])
    builder.commit(
      "a, b review", at: "2024-01-03", ["specs/a.md": spec("review"), "specs/b.md": spec("review", owner: "bob")])
    builder.commit("c draft", at: "2024-01-04", ["specs/c.md": spec("draft", owner: "carol")])
    builder.commit(
      "b back, c review", at: "2024-01-05",
      ["specs/b.md": spec("draft", owner: "bob"), "specs/c.md": spec("review", owner: "carol")])
    builder.commit("b review", at: "2024-01-06", ["specs/b.md": spec("review", owner: "bob")])
    builder.commit("a edit", at: "2024-01-07", ["specs/a.md": spec("review", problem: "Edited.")])
    builder.commit("a approved", at: "2024-01-08", ["specs/a.md": spec("approved", problem: "Edited.")])
    builder.commit("a shipped", at: "2024-01-10", ["specs/a.md": spec("shipped", problem: "Edited.")])
    builder.commit("b approved", at: "2024-01-16", ["specs/b.md": spec("approved", owner: "bob")])
    builder.commit("readme", at: "2024-01-17", ["README.md": "hello\n"])
    return builder
  }

  let day: TimeInterval = 86_400

  @Test func leadTimesPerTransition() throws {
    let report = Metrics.compute(timelines: try metricsTimelines(history()), now: HistoryBuilder.date("2024-01-20"))
    let byTransition = Dictionary(uniqueKeysWithValues: report.transitions.map { ("\($0.from)->\($0.to)", $0) })
    #expect(
      report.transitions.map { "\($0.from)->\($0.to)" } == [
        "draft->review", "review->draft", "review->approved", "approved->shipped",
      ])
    // draft → review: a 2d, b 1d, b again 1d, c 1d.
    let draftReview = try #require(byTransition["draft->review"])
    #expect(draftReview.count == 4)
    #expect(draftReview.median == 1 * day)
    #expect(draftReview.p90 == 2 * day)
    #expect(draftReview.max == 2 * day)
    // review → approved: a 5d, b 10d: median is the mean of the two.
    let reviewApproved = try #require(byTransition["review->approved"])
    #expect(reviewApproved.count == 2)
    #expect(reviewApproved.median == 7.5 * day)
    #expect(reviewApproved.p90 == 10 * day)
    #expect(reviewApproved.max == 10 * day)
    #expect(byTransition["review->draft"]?.median == 2 * day)
    #expect(byTransition["approved->shipped"]?.max == 2 * day)
    #expect(report.transitions.allSatisfy { $0.workflow == "spec" })
  }

  @Test func timeInStateAndStaleness() throws {
    let report = Metrics.compute(timelines: try metricsTimelines(history()), now: HistoryBuilder.date("2024-01-20"))
    let documents = Dictionary(uniqueKeysWithValues: report.documents.map { ($0.path, $0) })
    let a = try #require(documents["specs/a.md"])
    #expect(a.state == "shipped")
    #expect(a.timeInState.map(\.state) == ["draft", "review", "approved", "shipped"])
    #expect(a.timeInState.map(\.seconds) == [2 * day, 5 * day, 2 * day, 10 * day])
    let b = try #require(documents["specs/b.md"])
    #expect(b.timeInState.map(\.seconds) == [(1 + 1) * day, (2 + 10) * day, 4 * day])
    #expect(report.stale.map(\.path) == ["specs/c.md"])
    #expect(report.stale.first?.age == 15 * day)
    #expect(report.stale.first?.sla == 10 * day)
    #expect(report.stale.first?.since == HistoryBuilder.date("2024-01-05"))
  }

  @Test func sinceLimitsTransitionsAndClipsTime() throws {
    let report = Metrics.compute(
      timelines: try metricsTimelines(history()), now: HistoryBuilder.date("2024-01-20"),
      since: HistoryBuilder.date("2024-01-08"))
    #expect(report.transitions.map { "\($0.from)->\($0.to)" } == ["review->approved", "approved->shipped"])
    let a = try #require(report.documents.first { $0.path == "specs/a.md" })
    #expect(a.timeInState.map(\.seconds) == [2 * day, 10 * day])
  }

  @Test func throughputPerWeek() throws {
    let report = Metrics.compute(timelines: try metricsTimelines(history()), now: HistoryBuilder.date("2024-01-20"))
    // 2024-01-01 is a Monday.
    #expect(report.throughput.map { HistoryDates.day($0.start) } == ["2024-01-01", "2024-01-08", "2024-01-15"])
    #expect(report.throughput[0].entered == ["draft": 4, "review": 4])
    #expect(report.throughput[1].entered == ["approved": 1, "shipped": 1])
    #expect(report.throughput[2].entered == ["approved": 1])
  }

  @Test func cumulativeFlowCountsDocumentsPerState() throws {
    let report = Metrics.compute(timelines: try metricsTimelines(history()), now: HistoryBuilder.date("2024-01-20"))
    let flow = try #require(report.flows.first)
    #expect(flow.states == ["draft", "review", "approved", "shipped"])
    let atEnd = try #require(flow.samples.last)
    #expect(atEnd.counts == ["shipped": 1, "approved": 1, "review": 1])
    let middle = try #require(
      flow.samples.first { $0.date >= HistoryBuilder.date("2024-01-09") && $0.date < HistoryBuilder.date("2024-01-10") }
    )
    #expect(middle.counts == ["approved": 1, "review": 2])
  }

  @Test func statistics() {
    #expect(Statistics.median([]) == 0)
    #expect(Statistics.median([3]) == 3)
    #expect(Statistics.median([1, 2, 3, 10]) == 2.5)
    let ten = (1...10).map(Double.init)
    #expect(Statistics.percentile(ten, 90) == 9)
    #expect(Statistics.percentile((1...11).map(Double.init), 90) == 10)
    #expect(Statistics.percentile([5], 90) == 5)
    #expect(MetricsReport.duration(2 * day + 3 * 3600) == "2d 3h")
    #expect(MetricsReport.duration(90 * 60) == "1h 30m")
  }

  @Test func renderingsAgree() throws {
    let report = Metrics.compute(timelines: try metricsTimelines(history()), now: HistoryBuilder.date("2024-01-20"))
    let json = try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as! [String: Any]
    let transitions = json["transitions"] as! [[String: Any]]
    #expect(
      transitions.first { $0["from"] as? String == "review" && $0["to"] as? String == "approved" }?["median"] as? Int
        == 648_000)
    #expect((json["stale"] as! [[String: Any]]).first?["path"] as? String == "specs/c.md")
    let csv = report.render(.csv).split(separator: "\n")
    #expect(
      csv.first.map(String.init)
        == "path,kind,workflow,state,entered_state,days_in_draft,days_in_review,days_in_approved,days_in_shipped,"
        + "decided,decision_lead_days")
    #expect(csv.contains("specs/a.md,prd,spec,shipped,2024-01-10T00:00:00Z,2.00,5.00,2.00,10.00,,"), "\(csv)")
    let text = report.render(.text)
    #expect(text.contains("review -> approved   2      7d 12h  10d  10d"))
    #expect(text.contains("specs/c.md: review for 15d (SLA 10d)"))
  }

  @Test("CSV durations are days with two decimals")
  func csvDays() {
    #expect(MetricsReport.days(0) == "0.00")
    #expect(MetricsReport.days(3600) == "0.04")
    #expect(MetricsReport.days(129_600) == "1.50")
    #expect(MetricsReport.days(86_400 * 365) == "365.00")
    #expect(MetricsReport.days(-43_200) == "-0.50")
    #expect(MetricsReport.days(.nan) == "0.00")
  }

  @Test func svgIsWellFormedAndSelfContained() throws {
    var builder = history()
    builder.commit("evil", at: "2024-01-18", ["specs/d.md": spec("<script>alert(1)</script>")])
    let report = Metrics.compute(timelines: try metricsTimelines(builder), now: HistoryBuilder.date("2024-01-20"))
    let svg = report.render(.svg)
    let document = try XMLDocument(data: Data(svg.utf8))
    #expect(document.rootElement()?.name == "svg")
    #expect(!svg.contains("<script"))
    #expect(svg.contains("&lt;script&gt;"))
    #expect(!svg.contains("href"))
    let polygons = try document.nodes(forXPath: "//*[local-name()='polygon']")
    #expect(polygons.count == 5)  // four workflow states and the unknown one
  }
}

@Suite struct ChangelogTests {
  @Test func groupsByKindAndTransition() throws {
    var builder = HistoryBuilder()
    builder.commit(
      "base", at: "2024-01-01",
      [
        "specs/a.md": spec("review"), "specs/b.md": spec("draft", owner: "bob"),
        "specs/gone.md": spec("draft", owner: "gil"),
        "specs/same.md": spec("draft", owner: "sam"),
      ])
    let base = builder.records.last!.commit.id
    builder.commit("approve a", at: "2024-01-02", ["specs/a.md": spec("approved")])
    builder.commit(
      "new c and d", at: "2024-01-03",
      ["specs/c.md": spec("draft", owner: "cat"), "specs/d.md": spec("draft", owner: "dan")])
    builder.commit("drop gone", at: "2024-01-04", ["specs/gone.md": nil])
    builder.commit("edit same", at: "2024-01-05", ["specs/same.md": spec("draft", owner: "sam", problem: "New text.")])
    builder.commit(
      "move b, review it", at: "2024-01-06", ["specs/b.md": nil, "specs/team/b.md": spec("review", owner: "bob")])
    let source = builder.source
    let byID = Dictionary(uniqueKeysWithValues: source.records.map { ($0.commit.id, $0) })
    let range = source.records.filter { $0.commit.id != base && byID[$0.commit.id] != nil }
    let configuration = try HistoryConfiguration.load(from: MemorySnapshot(texts: metricsConfig))
    let timelines = TimelineBuilder(configuration: configuration).timelines(records: range, source: source)
    let report = Changelog.build(
      timelines: timelines, kindOrder: ["prd"], since: "v1", until: "HEAD", truncated: false, title: { _ in "T" })
    let groups = try #require(report.kinds.first).groups
    #expect(groups.map(\.name) == ["new draft", "review", "approved", "updated", "deleted"])
    #expect(
      groups.map { $0.entries.map(\.path) } == [
        ["specs/c.md", "specs/d.md"], ["specs/team/b.md"], ["specs/a.md"], ["specs/same.md"], ["specs/gone.md"],
      ])
    let moved = groups[1].entries[0]
    #expect(moved.previousPaths == ["specs/b.md"])
    #expect(moved.from == "draft" && moved.to == "review")
    #expect(groups[2].entries[0].commits.map(\.summary) == ["approve a"])
    let markdown = report.render(.markdown)
    #expect(markdown.contains("### approved: 1 document"))
    #expect(markdown.contains("### new draft: 2 documents"))
    #expect(markdown.contains("- **specs/a.md** — T (review → approved)"))
    let json = try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as! [String: Any]
    let kinds = json["kinds"] as! [[String: Any]]
    #expect(kinds.first?["kind"] as? String == "prd")
  }
}
