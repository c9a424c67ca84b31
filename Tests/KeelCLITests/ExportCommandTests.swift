import Foundation
import KeelTestSupport
import Testing

/// A keel repository with people, a glossary and one RACI matrix whose A changes between revisions.
enum ExportRepositoryFixtures {
  static let keelYAML = SharedFixtures.exportKeelYAML

  static let people = """
    people:
      - {id: alice, name: "Alice Adams"}
      - {id: bob, name: "Bob \\"Bobby\\" Brown"}
      - {id: chen, name: "Chen, Wei"}
      - {id: zoë, name: "Zoë Müller"}
    teams:
      - {id: data, name: Data team, members: [chen, zoë]}
    """

  static func raci(accountable: String, consulted: String = "data") -> String {
    """
    title: Pricing
    activities:
      - id: set-prices
        name: Set prices, "quarterly"
        R: [chen]
        A: \(accountable)
        C: [\(consulted)]
        I: [zoë]
    """
  }

  static func glossary(_ definition: String) -> String {
    """
    terms:
      - term: Price
        definition: "\(definition)"
        aliases: [tariff]
        avoid: [cost]
    """
  }

  /// v1: alice accountable; v2 (HEAD): bob; working tree: carol and a broken keel.yaml.
  static func make() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("keel.yaml", keelYAML)
    try repo.write("people.yaml", people)
    try repo.write("raci/pricing.yaml", raci(accountable: "alice"))
    try repo.write("glossary.yaml", glossary("What a customer pays (v1)."))
    try repo.commitAll("v1", date: "2026-03-01T10:00:00Z")
    try repo.git(["tag", "v1"])
    try repo.write("raci/pricing.yaml", raci(accountable: "bob", consulted: "alice"))
    try repo.write("glossary.yaml", glossary("What a customer pays (v2)."))
    try repo.commitAll("v2", date: "2026-04-01T10:00:00Z")
    try repo.git(["tag", "v2"])
    return repo
  }

  /// Makes the working tree unusable, so that reading it would fail loudly.
  static func breakWorkingTree(_ repo: TestRepository) throws {
    try repo.write("raci/pricing.yaml", raci(accountable: "carol"))
    try repo.write("keel.yaml", "version: [this is not, a valid config\n")
  }
}

@Suite("keel export end to end")
struct ExportCommandTests {
  private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
  }

  private func accountable(_ object: [String: Any]) -> Any? {
    ((object["matrices"] as? [[String: Any]])?.first?["activities"] as? [[String: Any]])?.first?["A"]
  }

  @Test("--at v1 returns the v1 matrix from Git objects; the working tree is not read")
  func atRevision() throws {
    let repo = try ExportRepositoryFixtures.make()
    let v1 = try repo.git(["rev-parse", "v1"]).trimmingCharacters(in: .whitespacesAndNewlines)
    try ExportRepositoryFixtures.breakWorkingTree(repo)

    let result = try repo.keel(["export", "raci", "--at", "v1", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try json(result.stdout)
    #expect(object["revision"] as? String == v1)
    #expect(object["date"] as? String == "2026-03-01T10:00:00Z")
    #expect(accountable(object) as? String == "alice")
    let matrix = try #require((object["matrices"] as? [[String: Any]])?.first)
    #expect(matrix["path"] as? String == "raci/pricing.yaml")
    #expect(matrix["title"] as? String == "Pricing")
    let activity = try #require((matrix["activities"] as? [[String: Any]])?.first)
    #expect(activity["id"] as? String == "set-prices")
    #expect(activity["name"] as? String == "Set prices, \"quarterly\"")
    #expect(activity["R"] as? [String] == ["chen"])
    #expect(activity["C"] as? [String] == ["data"])
    #expect(activity["I"] as? [String] == ["zoë"])

    let head = try json(try repo.keel(["export", "raci", "--at", "HEAD", "--format", "json"]).stdout)
    #expect(accountable(head) as? String == "bob")

    // Proof that the working tree is broken: reading it fails with exit 2.
    let workingTree = try repo.keel(["export", "raci", "--format", "json"])
    #expect(workingTree.status == 2)
    #expect(workingTree.stderr.contains("keel.yaml"))
  }

  @Test("--at v1 works the same in a bare clone")
  func bareClone() throws {
    let repo = try ExportRepositoryFixtures.make()
    let bare = try TestRepository(plainFolder: ())
    try bare.git(["clone", "-q", "--bare", repo.url.path, bare.url.appendingPathComponent("bare.git").path])
    let bareURL = bare.url.appendingPathComponent("bare.git")
    let result = try keel(["export", "raci", "--at", "v1", "--format", "json", "-C", bareURL.path], in: bare.url)
    #expect(result.status == 0, "\(result.stderr)")
    let fromBare = try json(result.stdout)
    #expect(accountable(fromBare) as? String == "alice")
    let fromClone = try repo.keel(["export", "raci", "--at", "v1", "--format", "json"])
    #expect(result.stdout == fromClone.stdout, "the bare clone and the repository export the same bytes")

    let glossary = try keel(["export", "glossary", "--at", "v1", "--format", "json", "-C", bareURL.path], in: bare.url)
    #expect(glossary.status == 0, "\(glossary.stderr)")
    #expect(glossary.stdout.contains("What a customer pays (v1)."))

    let noRevision = try keel(["export", "raci", "-C", bareURL.path], in: bare.url)
    #expect(noRevision.status == 2)
    #expect(noRevision.stderr.contains("bare"))
  }

  @Test("--diff v1..v2: who gained or lost which letter")
  func diff() throws {
    let repo = try ExportRepositoryFixtures.make()
    try ExportRepositoryFixtures.breakWorkingTree(repo)
    let result = try repo.keel(["export", "raci", "--diff", "v1..v2", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try json(result.stdout)
    let changes = try #require(object["changes"] as? [[String: Any]])
    let described = changes.map { "\($0["person"]!) \($0["change"]!) \($0["role"]!) on \($0["activity"]!)" }
    #expect(
      described == [
        "alice lost A on set-prices", "alice gained C on set-prices", "bob gained A on set-prices",
        "data lost C on set-prices",
      ])
    let markdown = try repo.keel(["export", "raci", "--diff", "v1..", "--format", "markdown"])
    #expect(
      markdown.stdout.contains(
        "| `raci/pricing.yaml` | Set prices, \"quarterly\" | Bob \"Bobby\" Brown | gained A (accountable) |"))
    let invalid = try repo.keel(["export", "raci", "--diff", "v1"])
    #expect(invalid.status == 2)
    let unknown = try repo.keel(["export", "raci", "--diff", "v1..nope"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.split(separator: "\n").count == 1, "one line: \(unknown.stderr)")
  }

  @Test("--by-person expands teams; CSV reads back with Python's csv module")
  func byPersonCSV() throws {
    let repo = try ExportRepositoryFixtures.make()
    let result = try repo.keel(["export", "raci", "--at", "v1", "--by-person", "--format", "csv"])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try readCSV(result.stdout)
    #expect(rows.first == ["person", "person name", "path", "title", "activity", "name", "roles", "via"])
    #expect(
      rows.contains([
        "alice", "Alice Adams", "raci/pricing.yaml", "Pricing", "set-prices", "Set prices, \"quarterly\"", "A", "",
      ]))
    #expect(
      rows.contains([
        "chen", "Chen, Wei", "raci/pricing.yaml", "Pricing", "set-prices", "Set prices, \"quarterly\"", "R/C", "data",
      ]))
    #expect(
      rows.contains([
        "zoë", "Zoë Müller", "raci/pricing.yaml", "Pricing", "set-prices", "Set prices, \"quarterly\"", "C/I", "data",
      ]))
    #expect(!rows.contains { $0.first == "bob" }, "bob has nothing at v1")
  }

  @Test("the matrix CSV reads back with Python's csv module: commas, quotes, non-ASCII")
  func matrixCSV() throws {
    let repo = try ExportRepositoryFixtures.make()
    let result = try repo.keel(["export", "raci", "--at", "v2", "--format", "csv"])
    let rows = try readCSV(result.stdout)
    #expect(
      rows == [
        ["path", "title", "activity", "name", "Alice Adams", "Bob \"Bobby\" Brown", "Chen, Wei", "Zoë Müller"],
        ["raci/pricing.yaml", "Pricing", "set-prices", "Set prices, \"quarterly\"", "C", "A", "R", "I"],
      ])
  }

  @Test("--spreadsheet-safe is for CSV only; with CSV the export is otherwise the same")
  func spreadsheetSafe() throws {
    let repo = try ExportRepositoryFixtures.make()
    let refused = try repo.keel(["export", "glossary", "--spreadsheet-safe", "--format", "json"])
    #expect(refused.status == 2)
    #expect(refused.stdout.isEmpty)
    #expect(refused.stderr.contains("--spreadsheet-safe goes with --format csv"))
    // The fixtures hold no formula-like values: the safe CSV is byte for byte the plain one.
    let plain = try repo.keel(["export", "raci", "--at", "v2", "--format", "csv"])
    let safe = try repo.keel(["export", "raci", "--at", "v2", "--spreadsheet-safe", "--output", "raci.csv"])
    #expect(safe.status == 0, "\(safe.stderr)")
    #expect(try repo.read("raci.csv") == plain.stdout)
  }

  @Test("--output writes the file atomically; the format follows its extension")
  func output() throws {
    let repo = try ExportRepositoryFixtures.make()
    let written = try repo.keel(["export", "glossary", "--at", "v2", "--output", "out/glossary.html"])
    #expect(written.status == 0, "\(written.stderr)")
    #expect(written.stdout.isEmpty)
    let html = try repo.read("out/glossary.html")
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<dt id=\"price\">"))
    #expect(html.contains("What a customer pays (v2)."))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: repo.url.appendingPathComponent("out").path)
    #expect(leftovers == ["glossary.html"])
  }

  @Test("an unknown revision is a one-line error with exit 2")
  func unknownRevision() throws {
    let repo = try ExportRepositoryFixtures.make()
    let result = try repo.keel(["export", "raci", "--at", "no-such-tag"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("no-such-tag"))
  }

  @Test("the example repository exports every format")
  func exampleRepository() throws {
    let example = packageRoot.appendingPathComponent("examples/product-ops")
    for format in ["csv", "markdown", "json", "html"] {
      for what in ["raci", "glossary"] {
        let result = try keel(["export", what, "--format", format], in: example)
        #expect(result.status == 0, "\(what) \(format): \(result.stderr)")
        #expect(!result.stdout.isEmpty)
      }
    }
    let markdown = try keel(["export", "raci", "--format", "markdown"], in: example).stdout
    #expect(markdown.contains("| Release a payment change `release-payment-change` | I | C | A/R |"))
  }
}

/// Rows of a CSV text as Python's `csv` module reads them.
func readCSV(_ text: String) throws -> [[String]] {
  let script = """
    import csv, io, json, sys
    data = sys.stdin.buffer.read().decode("utf-8")
    print(json.dumps(list(csv.reader(io.StringIO(data, newline="")))))
    """
  let result = try runProcess("/usr/bin/env", ["python3", "-c", script], input: text)
  guard result.status == 0 else { throw TestFailure("python3 could not read the CSV: \(result.stderr)") }
  return try JSONDecoder().decode([[String]].self, from: Data(result.stdout.utf8))
}
