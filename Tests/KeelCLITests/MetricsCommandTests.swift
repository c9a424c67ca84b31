import Foundation
import KeelTestSupport
import Testing

/// Three specs with known commit dates (noon UTC):
/// - a: draft day 1, review day 3 (2d), approved day 8 (5d), shipped day 10 (2d)
/// - b: draft day 2, review day 3 (1d), draft day 5 (2d in review), review day 6 (1d), approved day 16 (10d)
/// - c: draft day 4, review day 5 (1d), still in review on day 20 (15d > SLA 10d)
func makeMetricsRepository() throws -> TestRepository {
  let repository = try TestRepository()
  try HistoryFixtures.seed(repository)
  let spec = HistoryFixtures.spec
  let steps: [(Int, String, [String: String])] = [
    (1, "a draft", ["a": "draft"]), (2, "b draft", ["b": "draft"]), (3, "a, b review", ["a": "review", "b": "review"]),
    (4, "c draft", ["c": "draft"]), (5, "b back to draft, c review", ["b": "draft", "c": "review"]),
    (6, "b review", ["b": "review"]), (8, "a approved", ["a": "approved"]), (10, "a shipped", ["a": "shipped"]),
    (16, "b approved", ["b": "approved"]),
  ]
  for (day, message, states) in steps {
    for (name, state) in states {
      try repository.write("specs/\(name).md", spec(name.uppercased() + " spec", state, "alice", ""))
    }
    try repository.commitAll(message, date: HistoryFixtures.date(day))
  }
  return repository
}

@Suite struct MetricsCommandTests {
  let day = 86_400

  @Test(arguments: GitReader.allCases) func exactDurationsAndPercentiles(reader: GitReader) throws {
    let repository = try makeMetricsRepository()
    repository.reader = reader
    let result = try repository.keel(["metrics", "--format", "json", "--now", "2024-01-20T12:00:00Z"])
    #expect(result.status == 0, "\(result.stderr)")
    let root = try HistoryFixtures.json(result)
    let transitions = try #require(root["transitions"] as? [[String: Any]])
    func stats(_ from: String, _ to: String) -> [String: Int]? {
      guard let item = transitions.first(where: { $0["from"] as? String == from && $0["to"] as? String == to }) else {
        return nil
      }
      return [
        "count": item["count"] as! Int, "median": item["median"] as! Int, "p90": item["p90"] as! Int,
        "max": item["max"] as! Int,
      ]
    }
    #expect(stats("draft", "review") == ["count": 4, "median": 1 * day, "p90": 2 * day, "max": 2 * day])
    #expect(stats("review", "approved") == ["count": 2, "median": 15 * day / 2, "p90": 10 * day, "max": 10 * day])
    #expect(stats("review", "draft") == ["count": 1, "median": 2 * day, "p90": 2 * day, "max": 2 * day])
    #expect(stats("approved", "shipped") == ["count": 1, "median": 2 * day, "p90": 2 * day, "max": 2 * day])
    let documents = try #require(root["documents"] as? [[String: Any]])
    let a = try #require(documents.first { $0["path"] as? String == "specs/a.md" })
    #expect(
      a["timeInState"] as? [String: Int] == [
        "draft": 2 * day, "review": 5 * day, "approved": 2 * day, "shipped": 10 * day,
      ])
    let stale = try #require(root["stale"] as? [[String: Any]])
    #expect(stale.map { $0["path"] as? String } == ["specs/c.md"])
    #expect(stale.first?["age"] as? Int == 15 * day)

    let text = try repository.keel(["metrics", "--now", "2024-01-20T12:00:00Z"])
    #expect(text.stdout.contains("review -> approved   2      7d 12h  10d  10d"))
    #expect(text.stdout.contains("specs/c.md: review for 15d (SLA 10d)"))
    let csv = try repository.keel(["metrics", "--format", "csv", "--now", "2024-01-20T12:00:00Z"])
    #expect(csv.stdout.contains("specs/a.md,prd,spec,shipped,2024-01-10T12:00:00Z,2.00,5.00,2.00,10.00"))
  }

  @Test func svgOpensInHeadlessChromium() throws {
    let repository = try makeMetricsRepository()
    let svgFile = repository.url.appendingPathComponent("cfd.svg")
    let result = try repository.keel([
      "metrics", "--format", "svg", "--now", "2024-01-20T12:00:00Z", "--output", svgFile.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let svg = try String(contentsOf: svgFile, encoding: .utf8)
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    guard
      let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else {
      print("skipped: no Chromium found (apt-get install -y chromium) to open the SVG")
      return
    }
    let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    // The DOM Chromium built from the file: an XML error page if the SVG were malformed.
    let dom = try runProcess(chromium, flags + ["--dump-dom", svgFile.absoluteString])
    #expect(dom.stdout.contains("<polygon"), "\(dom.stderr)")
    #expect(!dom.stdout.contains("parsererror") && !dom.stdout.contains("This page contains the following errors"))
    let png = repository.url.appendingPathComponent("cfd.png")
    try runProcess(chromium, flags + ["--screenshot=\(png.path)", "--window-size=900,410", svgFile.absoluteString])
    let data = try Data(contentsOf: png)
    #expect(data.starts(with: [0x89, 0x50, 0x4e, 0x47]))
    #expect(data.count > 5_000)
  }

  @Test func needsKeelYAML() throws {
    let repository = try TestRepository()
    try repository.write("a.md", "---\nstatus: draft\n---\n")
    try repository.commitAll("a", date: HistoryFixtures.date(1))
    let result = try repository.keel(["metrics"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("keel.yaml"))
  }
}

@Suite struct ChangelogCommandTests {
  @Test(arguments: GitReader.allCases) func groupsTheRangeByKindAndTransition(reader: GitReader) throws {
    let repository = try makeMetricsRepository()
    repository.reader = reader
    try repository.git(["tag", "v1", "HEAD~3"])  // after "b review" (day 6)
    let result = try repository.keel(["changelog", "--since", "v1", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let root = try HistoryFixtures.json(result)
    let kinds = try #require(root["kinds"] as? [[String: Any]])
    let groups = try #require(kinds.first?["groups"] as? [[String: Any]])
    // Groups follow the workflow's order of states.
    #expect(groups.map { $0["group"] as? String } == ["approved", "shipped"])
    let approved = try #require(groups.first?["documents"] as? [[String: Any]])
    #expect(approved.map { $0["path"] as? String } == ["specs/b.md"])
    #expect(approved.first?["from"] as? String == "review")
    #expect((approved.first?["commits"] as? [[String: Any]])?.map { $0["summary"] as? String } == ["b approved"])
    let shipped = try #require(groups.last?["documents"] as? [[String: Any]])
    #expect(shipped.first?["from"] as? String == "review")
    #expect((shipped.first?["commits"] as? [[String: Any]])?.count == 2)

    let markdown = try repository.keel(["changelog", "--since", "v1"])
    #expect(markdown.stdout.contains("# Changelog v1..HEAD"))
    #expect(markdown.stdout.contains("### approved: 1 document"))
    #expect(markdown.stdout.contains("- **specs/b.md** — B spec (review → approved)"))
    let everything = try repository.keel(["changelog", "--format", "json"])
    let all = try HistoryFixtures.json(everything)
    let allGroups = (all["kinds"] as? [[String: Any]])?.first?["groups"] as? [[String: Any]]
    #expect(allGroups?.map { $0["group"] as? String } == ["new review", "new approved", "new shipped"])
  }
}
