import Foundation
import KeelTestSupport
import Testing

/// The history cache under `.git/keel/` may only save time: `history`, `changelog`, `metrics` and
/// `check` (workflow/stale) answer exactly what `--no-cache` (or no cache at all) answers.
@Suite struct HistoryCacheCLITests {
  /// Issue 11's reproduction, as a new user ran it: a cache filled by `keel check` on branch `feat`
  /// made `changelog` and `history` on `main` list feat's commit.
  @Test(arguments: GitReader.allCases) func aCacheFilledOnABranchDoesNotLeakIntoMain(reader: GitReader) throws {
    let repository = try TestRepository()
    repository.reader = reader
    #expect(try repository.keel(["init"]).status == 0)
    try repository.commitAll("init")
    try repository.git(["checkout", "-q", "-b", "feat"])
    let spec = try repository.read("specs/example.md")
    try repository.write("specs/example.md", spec.replacingOccurrences(of: "reviewers: []", with: "reviewers: [alex]"))
    let transition = try repository.keel(["transition", "specs/example.md", "review"])
    #expect(transition.status == 0, "\(transition.stderr)")
    try repository.git(["commit", "-q", "-am", "to review"])
    let feat = try repository.git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    try repository.keel(["check"])
    #expect(FileManager.default.fileExists(atPath: repository.url.appendingPathComponent(".git/keel").path))
    try repository.git(["checkout", "-q", "main"])

    let expectedChangelog = try repository.keel(["changelog", "--no-cache"])
    #expect(expectedChangelog.status == 0)
    #expect(!expectedChangelog.stdout.contains("to review"))
    for _ in 0..<2 {
      let changelog = try repository.keel(["changelog"])
      #expect(changelog.stdout == expectedChangelog.stdout)
      #expect(!changelog.stdout.contains("to review"))
    }
    let expectedHistory = try repository.keel(["history", "specs/example.md", "--no-cache", "--format", "json"])
    let history = try repository.keel(["history", "specs/example.md", "--format", "json"])
    #expect(history.stdout == expectedHistory.stdout)
    #expect(!history.stdout.contains(feat))
    let metrics = try repository.keel(["metrics", "--now", "2030-01-01", "--format", "json"])
    #expect(
      metrics.stdout
        == (try repository.keel(["metrics", "--now", "2030-01-01", "--no-cache", "--format", "json"])).stdout)
    #expect(!metrics.stdout.contains("review"))
  }

  /// Issue 13, row 16: strings edited inside the cache files are never shown; the damaged file is
  /// discarded with a one-line note, and the answer is `--no-cache`'s.
  @Test func editedCacheFilesAreDiscardedWithANote() throws {
    let repository = try HistoryFixtures.makeRepository()
    let commands: [[String]] = [
      ["history", "specs/coupons.md", "--format", "json"], ["changelog", "--format", "json"],
      ["metrics", "--now", "2030-01-01", "--format", "json"],
    ]
    var expected: [String] = []
    for command in commands {
      let result = try repository.keel(command + ["--no-cache"])
      #expect(result.status == 0)
      expected.append(result.stdout)
    }
    let folder = repository.url.appendingPathComponent(".git/keel")
    // (file, a string it holds, the same number of bytes edited)
    let edits = [
      ("history-commits.bin", "Coupons to review", "Coupons to REVIEW"),
      ("history-commits.bin", "Test Author", "Evil Author"),
      ("history-scalars.bin", "Coupons", "Cuopons"),
      ("history-scalars.bin", "review", "shiped"),
    ]
    for (file, original, edited) in edits {
      for command in commands { try repository.keel(command) }
      let url = folder.appendingPathComponent(file)
      let bytes = try Data(contentsOf: url)
      let damaged = try #require(replacing(original, with: edited, in: bytes), "\(original) in \(file)")
      try damaged.write(to: url)
      var notes = 0
      for (index, command) in commands.enumerated() {
        let result = try repository.keel(command)
        #expect(result.status == 0)
        #expect(result.stdout == expected[index], "\(command) after editing \(original) in \(file)")
        #expect(!result.stdout.contains(edited) || expected[index].contains(edited))
        if result.stderr.contains("note: the history cache") && result.stderr.contains(file) {
          notes += 1
          #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
      }
      #expect(notes == 1, "one note for \(file)")
      #expect(FileManager.default.fileExists(atPath: url.path), "rebuilt")
    }
  }

  /// Without the commit cache, `keel history PATH` on a long history (here: any, with
  /// `KEEL_PATH_WALK_MINIMUM=1`) follows the path through Git and keeps what it found for the next
  /// call from the same commit; another commit is walked again; a damaged file is discarded with a note.
  @Test(arguments: GitReader.allCases) func aPathWalkLeavesItsVersionsForTheNextCall(reader: GitReader) throws {
    let repository = try HistoryFixtures.makeRepository()
    repository.reader = reader
    let environment = ["KEEL_PATH_WALK_MINIMUM": "1"]
    let arguments = ["history", "specs/payments/checkout.md", "--format", "json"]
    let folder = repository.url.appendingPathComponent(".git/keel")
    let expected = try repository.keel(arguments + ["--no-cache"], environment: environment)
    #expect(expected.status == 0)
    #expect(try repository.keel(arguments, environment: environment).stdout == expected.stdout)
    let paths = folder.appendingPathComponent("history-paths.bin")
    #expect(FileManager.default.fileExists(atPath: paths.path))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("history-commits.bin").path))
    let again = try repository.keel(arguments, environment: environment)
    #expect(again.stdout == expected.stdout && again.stderr.isEmpty)
    // A new commit: the kept versions are for the old tip, and are not used.
    try repository.write(
      "specs/payments/checkout.md", HistoryFixtures.spec("Checkout", "shipped", owner: "cy", note: "\nOwner changed.\n")
    )
    try repository.commitAll("Cy owns checkout", date: HistoryFixtures.date(12))
    let moved = try repository.keel(arguments, environment: environment)
    #expect(moved.stdout == (try repository.keel(arguments + ["--no-cache"], environment: environment)).stdout)
    #expect(moved.stdout.contains("Cy owns checkout"))
    // Damaged: discarded with a note, and the answer is the walk's.
    var bytes = try Data(contentsOf: paths)
    bytes[bytes.count / 2] ^= 0x20
    try bytes.write(to: paths)
    let damaged = try repository.keel(arguments, environment: environment)
    #expect(damaged.stdout == moved.stdout)
    #expect(damaged.stderr.contains("note: the history cache") && damaged.stderr.contains("history-paths.bin"))
  }

  /// `bytes` with the first occurrence of `original` replaced; nil when it does not occur.
  private func replacing(_ original: String, with edited: String, in bytes: Data) -> Data? {
    guard let range = bytes.range(of: Data(original.utf8)) else { return nil }
    var copy = bytes
    copy.replaceSubrange(range, with: Data(edited.utf8))
    return copy
  }

  /// How many random repositories the differential test builds: a few in `make test`, more with
  /// `KEEL_DIFFERENTIAL_SEEDS=N`.
  static let seeds: [UInt64] = {
    let count = ProcessInfo.processInfo.environment["KEEL_DIFFERENTIAL_SEEDS"].flatMap { Int($0) } ?? 3
    return (0..<UInt64(max(1, count))).map { 20_261_129 + $0 }
  }()

  /// Seeded random repositories (branches, merges, renames, deletions, rebases, amends, resets,
  /// pruning, a shallow clone deepened later) and a random sequence of commands on random revisions;
  /// after each command, its output through the cache is compared with its output without one.
  @Test(arguments: seeds) func cachedOutputEqualsUncachedOutput(seed: UInt64) throws {
    let history = try RandomHistory(seed: seed)
    for _ in 0..<20 {
      try history.mutate()
      if history.random.chance(0.8) { try history.compareRandomCommand() }
    }
    try history.compareRandomCommand(sameRevisionAsBefore: true)
    // An approved document edited after its approval, checked through the cache and without it.
    try history.editAnApprovedDocument()
    try history.compareRandomCommand(checkAt: "HEAD")
    // A shallow clone of it, then the same clone deepened: the boundary moves under the cache.
    let clone = try TestRepository(plainFolder: ())
    try runProcess(
      "/usr/bin/git",
      ["clone", "-q", "--depth", "3", "--no-single-branch", "file://\(history.repository.url.path)", clone.url.path])
    let shallow = RandomHistory(cloneOf: history, at: clone)
    for _ in 0..<3 { try shallow.compareRandomCommand() }
    try clone.git(["fetch", "-q", "--deepen", "2"])
    for _ in 0..<3 { try shallow.compareRandomCommand() }
    #expect(shallow.truncatedOutputs > 0, "the shallow clone's history says it is truncated")

    // The comparisons were not vacuous: the cache existed for most of them, and the commands found
    // histories, changelog entries and transitions.
    let all = [history, shallow]
    let comparisons = all.map(\.comparisons).reduce(0, +)
    #expect(all.map(\.cacheExisted).reduce(0, +) * 2 > comparisons, "the cache was there to be used")
    let counts = "\(history.nonEmpty) of \(history.ran)"
    for command in ["history", "changelog", "metrics"] {
      #expect(history.nonEmpty[command, default: 0] > 0, "\(counts)")
    }
    #expect(history.nonEmpty.values.reduce(0, +) * 2 > history.comparisons, "\(counts)")
    #expect(all.map(\.approvalFindings).reduce(0, +) > 0, "some check compared approved documents with their approval")
  }
}

extension SeededGenerator {
  mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

  mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &self)] }
}

/// A keel repository grown by random Git operations, and the differential comparison of keel's
/// history commands on it.
final class RandomHistory {
  let repository: TestRepository
  var random: SeededGenerator
  private let seed: UInt64
  private var day = 0
  private var documents = 0
  private var branches = 0
  /// Every document path that ever existed (on any branch).
  private(set) var paths: Set<String> = []
  private var lastRevision = "HEAD"
  private(set) var comparisons = 0
  private(set) var cacheExisted = 0
  private(set) var truncatedOutputs = 0
  /// Checks whose output had `workflow/changed-after-approval` findings.
  private(set) var approvalFindings = 0
  private(set) var nonEmpty: [String: Int] = [:]
  private(set) var ran: [String: [Int32]] = [:]
  /// The commands still to run in this round: each kind in turn, in a random order.
  private var commandQueue: [Int] = []
  private static let states = ["draft", "review", "approved", "shipped"]

  init(seed: UInt64) throws {
    self.seed = seed
    random = SeededGenerator(state: seed)
    repository = try TestRepository()
    try HistoryFixtures.seed(repository)
    // `approved` locks: `check` compares approved documents with their approval commit's version.
    let locking = HistoryFixtures.workflow.replacingOccurrences(of: "approved: {}", with: "approved: {locks: true}")
      .replacingOccurrences(of: "approved: {decided: true}", with: "approved: {decided: true, locks: true}")
    guard locking.contains("locks: true") else { throw TestFailure("HistoryFixtures.workflow has no approved state") }
    try repository.write("workflows/spec.yaml", locking)
    try addDocument()
    try addDocument()
  }

  /// The same commands on another repository (a clone), with its own random sequence.
  init(cloneOf original: RandomHistory, at clone: TestRepository) {
    seed = original.seed &+ 1
    random = SeededGenerator(state: seed)
    repository = clone
    paths = original.paths
  }

  private var dateEnvironment: [String: String] {
    day += 1
    let seconds = 1_704_099_600 + day * 86_400 + Int.random(in: 0..<3_600, using: &random)
    return ["GIT_AUTHOR_DATE": "@\(seconds) +0000", "GIT_COMMITTER_DATE": "@\(seconds) +0000"]
  }

  private func commit(_ message: String, amend: Bool = false) throws {
    try repository.git(["add", "-A"])
    try repository.git(
      ["commit", "-q", "--allow-empty", "-m", message] + (amend ? ["--amend"] : []), environment: dateEnvironment)
  }

  private func git(_ arguments: [String]) throws -> String {
    try repository.git(arguments).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The documents on the current branch, and the drafts outside the kind's glob (`drafts/`).
  private func livePaths() throws -> [String] {
    try git(["ls-files", "specs", "drafts"]).split(separator: "\n").map(String.init).sorted()
  }

  private func branchNames() throws -> [String] {
    try git(["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes"]).split(separator: "\n")
      .map(String.init).filter { !$0.hasSuffix("/HEAD") && $0 != "origin" }.sorted()
  }

  /// The title a document's content names (every line of `HistoryFixtures.spec` names it).
  private func title(of path: String) throws -> String {
    let text = try repository.read(path)
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("title: ") }) else { return "Doc" }
    return String(line.dropFirst("title: ".count))
  }

  private func writeDocument(_ path: String, title: String, note: String = "") throws {
    let status = random.pick(Self.states)
    let owner = random.pick(["alice", "bob"])
    try repository.write(path, HistoryFixtures.spec(title, status, owner: owner, note: note))
    paths.insert(path)
  }

  private func addDocument() throws {
    documents += 1
    // A draft starts outside the kind's glob and is moved into it later (or never).
    let folder = random.pick(["specs", "specs", "specs/team", "drafts"])
    try writeDocument("\(folder)/doc\(documents).md", title: "Document \(documents)")
    try commit("Add document \(documents)")
  }

  /// One random change to the repository.
  func mutate() throws {
    let live = try livePaths()
    switch Int.random(in: 0..<100, using: &random) {
    case 0..<12 where live.count < 7:
      try addDocument()
    case 0..<38 where !live.isEmpty:
      let path = random.pick(live)
      try writeDocument(path, title: try title(of: path), note: random.chance(0.3) ? "Note \(day)." : "")
      try commit("Edit \(path)")
    case 38..<48 where !live.isEmpty:
      let path = random.pick(live)
      let folder = random.pick(["specs", "specs/team", "specs/moved"])
      let target = folder + "/renamed\(day).md"
      try FileManager.default.createDirectory(
        at: repository.url.appendingPathComponent(folder), withIntermediateDirectories: true)
      try repository.git(["mv", path, target])
      paths.insert(target)
      if random.chance(0.5) { try writeDocument(target, title: try title(of: target)) }
      try commit("Rename \(path)")
    case 48..<54 where live.count > 1:
      try repository.git(["rm", "-q", random.pick(live)])
      try commit("Delete a document")
    case 54..<64:
      branches += 1
      try repository.git(["checkout", "-q", "-b", "b\(branches)"])
    case 64..<72:
      try repository.git(["checkout", "-q", random.pick(try localBranches())])
    case 72..<82:
      let other = random.pick(try localBranches())
      let merged = try? repository.git(
        ["merge", "-q", "--no-ff", "--no-edit", "-X", "theirs", other], environment: dateEnvironment)
      if merged == nil { try repository.git(["merge", "--abort"]) }
    case 82..<88:
      let other = random.pick(try localBranches())
      if (try? repository.git(["rebase", "-q", other], environment: dateEnvironment)) == nil {
        try repository.git(["rebase", "--abort"])
      }
    case 88..<94 where !live.isEmpty:
      let path = random.pick(live)
      try writeDocument(path, title: try title(of: path))
      try commit("Amended edit of \(path)", amend: true)
    case 94..<97 where (try? git(["rev-parse", "-q", "--verify", "HEAD~2"])) != nil:
      try repository.git(["reset", "-q", "--hard", "HEAD~1"])
    case 97..<100:
      try repository.git(["reflog", "expire", "--expire=now", "--all"])
      try repository.git(["gc", "-q", "--prune=now"])
    default:
      try addDocument()
    }
  }

  private func localBranches() throws -> [String] {
    try git(["for-each-ref", "--format=%(refname:short)", "refs/heads"]).split(separator: "\n").map(String.init)
  }

  /// A random branch, sometimes one of its ancestors (which may not exist: both runs must then fail alike).
  private func randomRevision() throws -> String {
    let branch = random.pick(try branchNames())
    return random.chance(0.25) ? "\(branch)~\(Int.random(in: 1...3, using: &random))" : branch
  }

  /// Runs one random command through the cache and without it, and compares everything it printed.
  /// Adds a document, approves it, then edits it (still approved), a commit each.
  func editAnApprovedDocument() throws {
    documents += 1
    let path = "specs/approved\(documents).md"
    let title = "Approved \(documents)"
    try repository.write(path, HistoryFixtures.spec(title, "approved"))
    try commit("Approve \(path)")
    try repository.write(path, HistoryFixtures.spec(title, "approved", note: "Changed after approval."))
    try commit("Edit \(path)")
    paths.insert(path)
  }

  /// - Parameter checkAt: run `check` at this revision rather than a random command.
  func compareRandomCommand(sameRevisionAsBefore: Bool = false, checkAt: String? = nil) throws {
    if checkAt != nil { commandQueue.append(3) }
    let revision = try checkAt ?? (sameRevisionAsBefore || random.chance(0.3) ? lastRevision : randomRevision())
    lastRevision = revision
    let reader = random.chance(0.5) ? ["KEEL_GIT_READER": "libgit2"] : [:]
    let cacheFile = repository.url.appendingPathComponent(".git/keel/history-commits.bin")
    let existed = FileManager.default.fileExists(atPath: cacheFile.path)
    let name: String
    let cached: ProcessResult
    let uncached: ProcessResult
    if commandQueue.isEmpty { commandQueue = [0, 1, 2, 3].shuffled(using: &random) }
    switch commandQueue.removeLast() {
    case 0:
      name = "history"
      let path = random.pick(paths.sorted())
      var arguments = ["history", path, "--rev", revision, "--format", "json"]
      if random.chance(0.3) { arguments.append("--all-parents") }
      // Sometimes without the commit cache, as a long history is read: along the path, keeping what it
      // found for the next call (history-paths.bin).
      var environment = reader
      if random.chance(0.5) {
        environment["KEEL_PATH_WALK_MINIMUM"] = "1"
        if random.chance(0.5) { try? FileManager.default.removeItem(at: cacheFile) }
      }
      cached = try repository.keel(arguments, environment: environment)
      uncached = try repository.keel(arguments + ["--no-cache"], environment: environment)
    case 1:
      name = "changelog"
      var arguments = ["changelog", "--until", revision, "--format", "json"]
      if random.chance(0.3) { arguments += ["--since", try randomRevision()] }
      cached = try repository.keel(arguments, environment: reader)
      uncached = try repository.keel(arguments + ["--no-cache"], environment: reader)
    case 2:
      name = "metrics"
      let arguments = ["metrics", "--rev", revision, "--now", "2030-06-01", "--format", "json"]
      cached = try repository.keel(arguments, environment: reader)
      uncached = try repository.keel(arguments + ["--no-cache"], environment: reader)
    default:
      // `check` has no --no-cache: the uncached run is made with the cache moved away, then put back.
      name = "check"
      let arguments = ["check", "--rev", revision, "--now", "2030-06-01", "--format", "json"]
      cached = try repository.keel(arguments, environment: reader)
      let folder = repository.url.appendingPathComponent(".git/keel")
      let aside = repository.url.appendingPathComponent(".git/keel-aside")
      let moved = (try? FileManager.default.moveItem(at: folder, to: aside)) != nil
      uncached = try repository.keel(arguments, environment: reader)
      if moved {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.moveItem(at: aside, to: folder)
      }
    }
    comparisons += 1
    ran[name, default: []].append(cached.status)
    if existed { cacheExisted += 1 }
    let context = "seed \(seed), \(name) at \(revision), \(reader.isEmpty ? "keel" : "libgit2") reader"
    #expect(cached.status == uncached.status, "\(context)")
    #expect(cached.stdout == uncached.stdout, "\(context)")
    #expect(cached.stderr == uncached.stderr, "\(context)")
    if cached.stdout.contains("workflow/changed-after-approval") { approvalFindings += 1 }
    if cached.status == 0 || (name == "check" && cached.status == 1) {
      if Self.hasContent(cached.stdout, command: name) { nonEmpty[name, default: 0] += 1 }
      if cached.stdout.contains("\"truncated\" : true") || cached.stdout.contains("\"truncated\": true") {
        truncatedOutputs += 1
      }
    }
  }

  /// True when the output has something a cache could have got wrong.
  private static func hasContent(_ output: String, command: String) -> Bool {
    guard let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
      return false
    }
    switch command {
    case "history": return (object["events"] as? [Any])?.isEmpty == false
    case "changelog": return (object["kinds"] as? [Any])?.isEmpty == false
    case "metrics": return (object["documents"] as? [Any])?.isEmpty == false
    default:
      let rules: Set<String> = ["workflow/stale", "workflow/changed-after-approval"]
      return (object["diagnostics"] as? [[String: Any]])?.contains { rules.contains($0["rule"] as? String ?? "") }
        == true
    }
  }
}
