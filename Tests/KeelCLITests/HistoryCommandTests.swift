import Foundation
import KeelTestSupport
import Testing

/// A keel repository whose documents follow `workflows/spec.yaml` (status field, SLA on review).
enum HistoryFixtures {
  static let keelYAML = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        workflow: workflows/spec.yaml
    """

  static let workflow = """
    name: spec
    field: status
    initial: [draft]
    states:
      draft: {}
      review: {}
      approved: {decided: true}
      shipped: {}
    transitions: {draft: [review], review: [draft, approved], approved: [shipped]}
    sla: {review: 10d}
    """

  /// Every line names the title, so different documents are never similar enough to be taken for
  /// copies by `git log --follow`.
  static func spec(_ title: String, _ status: String, owner: String = "alice", note: String = "") -> String {
    """
    ---
    title: \(title)
    owner: \(owner)
    status: \(status)
    ---

    # \(title)

    ## Problem

    Shoppers of \(title) give up on the \(title) page on small phones.
    The \(title) button sits below the fold on every \(title) screen.
    \(note)
    ## Solution

    Move the \(title) button up and keep the \(title) summary in view.

    """
  }

  static func seed(_ repository: TestRepository) throws {
    try repository.write("keel.yaml", keelYAML)
    try repository.write("workflows/spec.yaml", workflow)
  }

  /// `2024-01-DD` at noon, UTC, as git's date format.
  static func date(_ day: Int) -> String { String(format: "2024-01-%02dT12:00:00Z", day) }

  /// The acceptance repository: renames, merges bringing changes through their second parent,
  /// a deletion and a document that comes back, status changes on both sides of merges.
  static func makeRepository() throws -> TestRepository {
    let repository = try TestRepository()
    try seed(repository)
    try repository.write("specs/checkout.md", spec("Checkout", "draft"))
    try repository.write("specs/basket.md", spec("Basket", "draft"))
    try repository.commitAll("Add checkout and basket", date: date(1))
    try repository.write("specs/checkout.md", spec("Checkout", "review"))
    try repository.commitAll("Checkout to review", date: date(2))
    try repository.git(["checkout", "-q", "-b", "side"])
    try repository.write("specs/checkout.md", spec("Checkout", "review", owner: "bob", note: "\nOwner changed.\n"))
    try repository.write("specs/coupons.md", spec("Coupons", "draft"))
    try repository.commitAll("Side: bob owns checkout, add coupons", date: date(3))
    try repository.git(["checkout", "-q", "main"])
    try repository.write("specs/basket.md", spec("Basket", "review"))
    try repository.commitAll("Basket to review", date: date(4))
    try merge(repository, "side", day: 5)
    try repository.git(["rm", "-q", "specs/checkout.md"])
    try repository.write(
      "specs/payments/checkout.md", spec("Checkout", "approved", owner: "bob", note: "\nOwner changed.\n"))
    try repository.commitAll("Move checkout under payments, approve it", date: date(6))
    try repository.git(["rm", "-q", "specs/basket.md"])
    try repository.commitAll("Drop basket", date: date(7))
    try repository.git(["checkout", "-q", "-b", "side2"])
    try repository.write(
      "specs/payments/checkout.md",
      spec("Checkout", "shipped", owner: "bob", note: "\nOwner changed.\nShipped on the 8th.\n"))
    try repository.commitAll("Side2: ship checkout", date: date(8))
    try repository.git(["checkout", "-q", "main"])
    try repository.write("specs/coupons.md", spec("Coupons", "review"))
    try repository.commitAll("Coupons to review", date: date(9))
    try merge(repository, "side2", day: 10)
    try repository.write("specs/basket.md", spec("Basket", "draft", note: "\nBack again.\n"))
    try repository.commitAll("Basket is back", date: date(11))
    return repository
  }

  static func merge(_ repository: TestRepository, _ branch: String, day: Int) throws {
    try repository.git(
      ["merge", "-q", "--no-ff", "--no-edit", branch],
      environment: ["GIT_AUTHOR_DATE": date(day), "GIT_COMMITTER_DATE": date(day)])
  }

  static func json(_ result: ProcessResult) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
      throw TestFailure("not a JSON object: \(result.stdout)\n\(result.stderr)")
    }
    return object
  }
}

@Suite struct HistoryCommandTests {
  @Test(arguments: GitReader.allCases) func listsExactlyWhatGitLogFollowLists(reader: GitReader) throws {
    let repository = try HistoryFixtures.makeRepository()
    repository.reader = reader
    for path in ["specs/payments/checkout.md", "specs/basket.md", "specs/coupons.md", "keel.yaml", "specs/checkout.md"]
    {
      let result = try repository.keel(["history", path, "--format", "json"])
      #expect(result.status == 0, "\(result.stderr)")
      let events = try HistoryFixtures.json(result)["events"] as? [[String: Any]] ?? []
      let git = try repository.git(["log", "--follow", "--format=%H", "--", path]).split(separator: "\n").map(
        String.init)
      #expect(events.compactMap { $0["commit"] as? String } == git, "\(path)")
      #expect(!git.isEmpty)
    }
  }

  @Test(arguments: GitReader.allCases) func reportsStatesFieldsRenamesAndDeletions(reader: GitReader) throws {
    let repository = try HistoryFixtures.makeRepository()
    repository.reader = reader
    let result = try repository.keel(["history", "specs/payments/checkout.md", "--format", "json", "--reverse"])
    let root = try HistoryFixtures.json(result)
    #expect(root["path"] as? String == "specs/payments/checkout.md")
    #expect(root["truncated"] as? Bool == false)
    let events = try #require(root["events"] as? [[String: Any]])
    #expect(
      events.map { $0["summary"] as? String } == [
        "Add checkout and basket", "Checkout to review", "Side: bob owns checkout, add coupons",
        "Move checkout under payments, approve it", "Side2: ship checkout",
      ])
    #expect(events.map { $0["change"] as? String } == ["added", "modified", "modified", "renamed", "modified"])
    func state(_ event: [String: Any]) -> String? {
      guard let state = event["state"] as? [String: Any] else { return nil }
      return "\(state["from"] as? String ?? "-")>\(state["to"] as? String ?? "-")"
    }
    #expect(events.map(state) == ["->draft", "draft>review", nil, "review>approved", "approved>shipped"])
    #expect(events[2]["fields"] as? [String] == ["owner"])
    #expect(events[2]["sections"] as? [String] == ["Problem"])
    #expect(events[3]["previousPath"] as? String == "specs/checkout.md")
    #expect(events[3]["path"] as? String == "specs/payments/checkout.md")
    #expect(events[3]["fields"] as? [String] == ["status"])
    #expect(events[0]["date"] as? String == "2024-01-01T12:00:00Z")
    #expect(events[0]["author"] as? String == "Test Author")

    let basket = try HistoryFixtures.json(try repository.keel(["history", "specs/basket.md", "--format", "json"]))
    let basketEvents = try #require(basket["events"] as? [[String: Any]])
    #expect(basketEvents.map { $0["change"] as? String } == ["added", "deleted", "modified", "added"])
    #expect(basketEvents.map(state) == ["->draft", "review>-", "draft>review", "->draft"])
  }

  @Test(arguments: GitReader.allCases) func allParentsAlsoListsMerges(reader: GitReader) throws {
    let repository = try HistoryFixtures.makeRepository()
    repository.reader = reader
    let result = try repository.keel(["history", "specs/payments/checkout.md", "--format", "json", "--all-parents"])
    let events = try #require(try HistoryFixtures.json(result)["events"] as? [[String: Any]])
    var git = try repository.git(["log", "-m", "--follow", "--format=%H", "--", "specs/payments/checkout.md"])
      .split(separator: "\n").map(String.init)
    git = git.enumerated().filter { $0.offset == 0 || git[$0.offset - 1] != $0.element }.map(\.element)
    let ours = events.compactMap { $0["commit"] as? String }
    #expect(ours.enumerated().filter { $0.offset == 0 || ours[$0.offset - 1] != $0.element }.map(\.element) == git)
    #expect(events.contains { $0["parent"] is String })
  }

  @Test func worksWithoutKeelYAMLOnAnyFile() throws {
    let repository = try TestRepository()
    try repository.write("src/main.py", "print('one')\n")
    try repository.commitAll("Add main", date: HistoryFixtures.date(1))
    try repository.write("src/main.py", "print('two')\n")
    try repository.commitAll("Change main", date: HistoryFixtures.date(2))
    let result = try repository.keel(["history", "src/main.py"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("modified src/main.py"))
    #expect(result.stdout.contains("Change main"))
    #expect(!result.stdout.contains("state:"))
    // From a subfolder, the path is relative to it.
    let fromSubfolder = try keel(
      ["history", "main.py", "--format", "json"], in: repository.url.appendingPathComponent("src"))
    let events = try HistoryFixtures.json(fromSubfolder)["events"] as? [[String: Any]]
    #expect(events?.count == 2)
    #expect(events?.allSatisfy { $0["state"] is NSNull } == true)
    let markdown = try repository.keel(["history", "src/main.py", "--format", "markdown"])
    #expect(markdown.stdout.hasPrefix("# History of `src/main.py`"))
  }

  @Test(arguments: GitReader.allCases) func shallowCloneGivesATruncatedHistory(reader: GitReader) throws {
    let repository = try HistoryFixtures.makeRepository()
    let clone = try TestRepository(plainFolder: ())
    clone.reader = reader
    try runProcess("/usr/bin/git", ["clone", "-q", "--depth", "2", "file://\(repository.url.path)", clone.url.path])
    let result = try clone.keel(["history", "specs/coupons.md", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let root = try HistoryFixtures.json(result)
    #expect(root["truncated"] as? Bool == true)
    #expect(result.stderr.contains("shallow clone"))
    let git = try clone.git(["log", "--follow", "--format=%H", "--", "specs/coupons.md"]).split(separator: "\n")
    #expect((root["events"] as? [[String: Any]])?.compactMap { $0["commit"] as? String } == git.map(String.init))
    let text = try clone.keel(["history", "specs/coupons.md"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("history truncated"))
  }

  @Test(arguments: GitReader.allCases) func cacheLivesInTheGitDirectory(reader: GitReader) throws {
    let repository = try HistoryFixtures.makeRepository()
    repository.reader = reader
    let first = try repository.keel(["history", "specs/basket.md", "--format", "json"])
    let cache = repository.url.appendingPathComponent(".git/keel/history-commits.bin")
    #expect(FileManager.default.fileExists(atPath: cache.path))
    #expect(try repository.git(["status", "--porcelain"]).isEmpty)
    let second = try repository.keel(["history", "specs/basket.md", "--format", "json"])
    #expect(second.stdout == first.stdout)
    try FileManager.default.removeItem(at: cache.deletingLastPathComponent())
    let third = try repository.keel(["history", "specs/basket.md", "--format", "json"])
    #expect(third.stdout == first.stdout)
    let uncached = try repository.keel(["history", "specs/basket.md", "--format", "json", "--no-cache"])
    #expect(uncached.stdout == first.stdout)
  }

  @Test func progressOnlyOnATerminal() throws {
    let repository = try HistoryFixtures.makeRepository()
    // Through pipes: nothing on stderr, even with progress due at once.
    let piped = try repository.keel(
      ["history", "specs/basket.md", "--no-cache"], environment: ["KEEL_PROGRESS_AFTER": "0"])
    #expect(piped.stderr.isEmpty)
    // On a terminal (script(1) gives keel a pseudo-terminal), progress shows.
    let command = "\(keelBinary) history specs/basket.md --no-cache >/dev/null"
    let onTerminal = try runProcess(
      "/usr/bin/script", ["-qec", command, "/dev/null"], in: repository.url, environment: ["KEEL_PROGRESS_AFTER": "0"])
    #expect(onTerminal.stdout.contains("reading history"), "\(onTerminal.stdout)")
  }

  @Test func badInputsExitTwo() throws {
    let repository = try HistoryFixtures.makeRepository()
    #expect(try repository.keel(["history", "specs/basket.md", "--rev", "nope"]).status == 2)
    #expect(try repository.keel(["history", "specs/basket.md", "--since", "yesterday"]).status == 2)
    let plain = try TestRepository(plainFolder: ())
    #expect(try plain.keel(["history", "x.md"]).status == 2)
  }
}

@Suite struct StaleCheckTests {
  @Test(arguments: GitReader.allCases) func checkWarnsAboutDocumentsOverTheirSLA(reader: GitReader) throws {
    let repository = try TestRepository()
    repository.reader = reader
    try HistoryFixtures.seed(repository)
    try repository.write("specs/old.md", HistoryFixtures.spec("Old", "review"))
    try repository.commitAll("Old spec in review", date: HistoryFixtures.date(1))
    try repository.write("specs/fresh.md", HistoryFixtures.spec("Fresh", "review"))
    try repository.commitAll("Fresh spec in review")
    let result = try repository.keel(["check", "--format", "json"])
    let diagnostics = try HistoryFixtures.json(result)["diagnostics"] as? [[String: Any]] ?? []
    let stale = diagnostics.filter { $0["rule"] as? String == "workflow/stale" }
    #expect(stale.map { $0["path"] as? String } == ["specs/old.md"], "\(result.stdout)")
    #expect(stale.first?["severity"] as? String == "warning")
    #expect(stale.first?["line"] as? Int == 4)
    #expect(stale.first?["column"] as? Int == 9)
    #expect(result.status == 0)
    // A state changed in the working tree is not stale.
    try repository.write("specs/old.md", HistoryFixtures.spec("Old", "draft"))
    let changed = try repository.keel(["check", "--format", "json"])
    #expect(!changed.stdout.contains("workflow/stale"))
    // Nor is anything checked in the pre-commit mode.
    try repository.write("specs/old.md", HistoryFixtures.spec("Old", "review"))
    try repository.git(["add", "-A"])
    #expect(
      !(try repository.keel(["check", "--staged", "--all", "--format", "json"])).stdout.contains("workflow/stale"))
    // --no-history skips the walk, and with it the stale warnings.
    try repository.git(["reset", "-q", "--hard"])
    #expect(try repository.keel(["check", "--format", "json"]).stdout.contains("workflow/stale"))
    #expect(!(try repository.keel(["check", "--no-history", "--format", "json"])).stdout.contains("workflow/stale"))
  }
}
