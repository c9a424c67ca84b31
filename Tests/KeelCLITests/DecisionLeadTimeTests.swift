import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `keel metrics`' decision lead time, on a scripted Git history over three months of 2026:
/// - a (alice): draft 01-05, review 01-10, approved 01-15 → 10d, decided in January
/// - b (bob): draft 01-02, review 01-20, approved 02-03 → 32d, February
/// - c (carol): draft 01-25, archived 02-05 (a final state) → 11d, February
/// - d (alice): draft 02-01, review 02-02, draft 02-10, review 02-12, approved 03-01 → 28d, March;
///   shipped 03-05 and archived 03-06 do not count again
/// - i (alice): draft 03-01, approved 03-03 at midnight → 1.5d, March
/// - j (alice): draft 03-02, approved 03-06 → 4d, March
/// - e (bob): draft 02-20, review 03-01, still in review on 03-31 → waiting 30d (SLA 10d)
/// - f (carol): draft 03-02, review 03-10 → waiting 21d
/// - h (zed): added in review 03-20 → waiting 11d; never in draft, so no lead time when decided
/// - g (alice): added approved 03-15: never in the initial state, no lead time
/// `raci-activity: approve-prd`: the A is amara in raci/a.yaml (which names alice and bob), dana in
/// raci/b.yaml (which names carol); zed is named nowhere, so the first matrix's A.
@Suite struct DecisionLeadTimeTests {
  static let now = "2026-03-31T12:00:00Z"

  static func repository() throws -> TestRepository {
    let repository = try TestRepository()
    try repository.write(
      "keel.yaml",
      """
      version: 1
      raci: ["raci/*.yaml"]
      kinds:
        prd:
          include: ["specs/*.md"]
          workflow: workflows/spec.yaml
      """)
    try repository.write(
      "workflows/spec.yaml",
      """
      name: spec
      field: status
      raci-activity: approve-prd
      initial: [draft]
      states: {draft: {}, review: {}, approved: {decided: true}, shipped: {}, archived: {final: true}}
      transitions: {draft: [review, archived], review: [draft, approved], approved: [shipped], shipped: [archived]}
      sla: {review: 10d}
      """)
    try repository.write(
      "raci/a.yaml", "activities:\n  - {id: approve-prd, R: [alice, bob], A: amara}\n  - {id: other, A: olga}\n")
    try repository.write("raci/b.yaml", "activities:\n  - {id: approve-prd, R: [carol], A: dana}\n")
    let owners = [
      "a": "alice", "b": "bob", "c": "carol", "d": "alice", "e": "bob", "f": "carol", "g": "alice",
      "h": "zed", "i": "alice", "j": "alice",
    ]
    let steps: [(String, [String: String])] = [
      ("01-02", ["b": "draft"]), ("01-05", ["a": "draft"]), ("01-10", ["a": "review"]), ("01-15", ["a": "approved"]),
      ("01-20", ["b": "review"]), ("01-25", ["c": "draft"]), ("02-01", ["d": "draft"]), ("02-02", ["d": "review"]),
      ("02-03", ["b": "approved"]), ("02-05", ["c": "archived"]), ("02-10", ["d": "draft"]),
      ("02-12", ["d": "review"]), ("02-20", ["e": "draft"]), ("03-01", ["d": "approved", "e": "review", "i": "draft"]),
      ("03-02", ["f": "draft", "j": "draft"]), ("03-03T00", ["i": "approved"]), ("03-05", ["d": "shipped"]),
      ("03-06", ["d": "archived", "j": "approved"]), ("03-10", ["f": "review"]), ("03-15", ["g": "approved"]),
      ("03-20", ["h": "review"]),
    ]
    for (day, states) in steps {
      for (name, state) in states {
        try repository.write(
          "specs/\(name).md", HistoryFixtures.spec(name.uppercased() + " spec", state, owner: owners[name]!))
      }
      let date = day.hasSuffix("T00") ? "2026-\(day):00:00Z" : "2026-\(day)T12:00:00Z"
      try repository.commitAll(states.keys.sorted().joined(separator: ", "), date: date)
    }
    return repository
  }

  @Test(arguments: GitReader.allCases) func monthlyTrendAndWaitingList(reader: GitReader) throws {
    let repository = try Self.repository()
    repository.reader = reader
    let result = try repository.keel(["metrics", "--format", "json", "--now", Self.now])
    #expect(result.status == 0, "\(result.stderr)")
    let root = try HistoryFixtures.json(result)
    let workflows = try #require(root["workflows"] as? [[String: Any]])
    #expect(workflows.map { $0["workflow"] as? String } == ["spec"])
    let decisions = try #require(workflows.first?["decisionLeadTime"] as? [String: Any])
    let monthly = try #require(decisions["monthly"] as? [[String: Any]])
    #expect(monthly.map { $0["month"] as? String } == ["2026-01", "2026-02", "2026-03"])
    #expect(monthly.map { $0["count"] as? Int } == [1, 2, 3])
    // February: 11 and 32 days (median: their mean; p90: nearest rank, the 2nd of 2).
    // March: 1.5, 4 and 28 days (median 4; p90: the 3rd of 3).
    #expect(monthly.map { ($0["median"] as? NSNumber)?.doubleValue } == [10, 21.5, 4])
    #expect(monthly.map { ($0["p90"] as? NSNumber)?.doubleValue } == [10, 32, 28])
    let waiting = try #require(decisions["waiting"] as? [[String: Any]])
    #expect(waiting.map { $0["path"] as? String } == ["specs/e.md", "specs/f.md", "specs/h.md"])
    #expect(waiting.map { $0["state"] as? String } == ["review", "review", "review"])
    #expect(
      waiting.map { $0["since"] as? String } == [
        "2026-03-01T12:00:00Z", "2026-03-10T12:00:00Z", "2026-03-20T12:00:00Z",
      ])
    #expect(waiting.map { $0["days"] as? Int } == [30, 21, 11])
    #expect(waiting.map { $0["owner"] as? String } == ["bob", "carol", "zed"])
    #expect(waiting.map { $0["accountable"] as? String } == ["amara", "dana", "amara"])

    // The same numbers from --no-cache (no cache at all, then a cache filled by the first run).
    let uncached = try repository.keel(["metrics", "--format", "json", "--now", Self.now, "--no-cache"])
    #expect(uncached.stdout == result.stdout)

    let text = try repository.keel(["metrics", "--now", Self.now])
    for line in [
      "  workflow  month    count  median   p90",
      "  spec      2026-02  2      21d 12h  32d",
      "  spec      2026-03  3      4d       28d",
      "  document    workflow  state   since       waiting  SLA  owner  accountable",
      "  specs/e.md  spec      review  2026-03-01  30d      10d  bob    amara",
      "  specs/h.md  spec      review  2026-03-20  11d      10d  zed    amara",
    ] {
      #expect(text.stdout.contains(line + "\n"), "\(text.stdout)")
    }
    let csv = try repository.keel(["metrics", "--format", "csv", "--now", Self.now])
    let lines = csv.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasSuffix(",days_in_archived,decided,decision_lead_days") == true, "\(lines)")
    #expect(lines.contains { $0.hasPrefix("specs/i.md,") && $0.hasSuffix(",2026-03-03T00:00:00Z,1.50") }, "\(lines)")
    #expect(lines.contains { $0.hasPrefix("specs/g.md,") && $0.hasSuffix(",,") }, "\(lines)")
  }

  @Test func sinceLeavesOutEarlierDecisions() throws {
    let repository = try Self.repository()
    let result = try repository.keel(["metrics", "--format", "json", "--now", Self.now, "--since", "2026-02-04"])
    let root = try HistoryFixtures.json(result)
    let workflows = try #require(root["workflows"] as? [[String: Any]])
    let monthly = try #require((workflows.first?["decisionLeadTime"] as? [String: Any])?["monthly"] as? [[String: Any]])
    // b (decided 02-03) is before --since; c (02-05) is not.
    #expect(monthly.map { $0["month"] as? String } == ["2026-02", "2026-03"])
    #expect(monthly.map { $0["count"] as? Int } == [1, 3])
  }

  @Test func svgHasTheTrendChart() throws {
    let repository = try Self.repository()
    let result = try repository.keel(["metrics", "--format", "svg", "--now", Self.now])
    #expect(result.status == 0, "\(result.stderr)")
    let svg = result.stdout
    #expect(svg.contains("<g id=\"decision-lead-time\" data-top=\"410\" data-height=\"350\">"))
    #expect(svg.contains("Decision lead time: spec</text>"))
    #expect(svg.contains("<title>2026-02 median: 21d 12h (2 decisions)</title>"))
    #expect(svg.contains("<title>2026-03 p90: 28d (3 decisions)</title>"))
    #expect(svg.contains("3 waiting over SLA</text>"))
    _ = try XMLDocument(data: Data(svg.utf8))
  }
}
