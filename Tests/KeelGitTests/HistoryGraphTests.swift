import Foundation
import KeelCore
import Testing

@testable import KeelGit

/// A scratch repository whose commits get distinct, increasing dates (one day apart).
final class DatedRepository {
  let scratch: Scratch
  private var day = 0

  init() throws {
    scratch = try Scratch()
    try FileManager.default.createDirectory(at: scratch.url("repo"), withIntermediateDirectories: true)
    try scratch.git(["init", "-q"])
  }

  var path: String { scratch.url("repo").path }

  func write(_ path: String, _ text: String) throws { try scratch.write("repo/\(path)", text) }
  func remove(_ path: String) throws { try scratch.remove("repo/\(path)") }

  @discardableResult
  func git(_ arguments: String...) throws -> String { try scratch.git(arguments) }

  /// Stages everything and commits (or finishes a merge) with the next date.
  @discardableResult
  func commit(_ message: String) throws -> String {
    try scratch.git(["add", "-A"])
    try scratch.git(["commit", "-q", "--allow-empty", "-m", message], environment: nextDate())
    return try scratch.git(["rev-parse", "HEAD"])
  }

  /// Merges `branch` into the current branch with the next date (fails on conflicts).
  func merge(_ branch: String) throws {
    try scratch.git(["merge", "-q", "--no-ff", "--no-edit", branch], environment: nextDate())
  }

  func nextDate() -> [String: String] {
    day += 1
    let date = "2024-01-01T09:00:00Z"
    let seconds = Int(ISO8601DateFormatter().date(from: date)!.timeIntervalSince1970) + day * 86_400
    return ["GIT_AUTHOR_DATE": "@\(seconds) +0000", "GIT_COMMITTER_DATE": "@\(seconds) +0000"]
  }

  /// `git log --follow --format=%H -- path`, newest first.
  func gitLogFollow(_ path: String, extra: [String] = []) throws -> [String] {
    try scratch.git(["log", "--follow", "--format=%H"] + extra + ["--", path]).split(separator: "\n").map(String.init)
  }
}

/// Text long enough for rename detection to behave as in real documents. Every line names the
/// title, so two documents are never similar: git's `--follow` also follows copies from any file of
/// the parent commit (a new spec made from a similar one would inherit its history); keel follows
/// renames only (see `doesNotFollowCopies`).
func specText(_ title: String, status: String, extra: String = "") -> String {
  """
  ---
  title: \(title)
  status: \(status)
  ---

  # \(title)

  ## Problem with \(title)

  Customers of \(title) cannot finish the \(title) flow on small screens.
  The \(title) button is hidden below the fold on most phones we support for \(title).
  \(extra)
  ## Solution for \(title)

  Move the \(title) button up and keep \(title) visible while scrolling.

  """
}

/// Builds the repository of the history acceptance test: renames, merges with changes arriving
/// through the second parent, deletions and status changes.
func makeHistoryRepository() throws -> DatedRepository {
  let repository = try DatedRepository()
  try repository.write("specs/a.md", specText("Checkout", status: "draft"))
  try repository.write("specs/b.md", specText("Basket", status: "draft"))
  try repository.write("README.md", "# Specs\n")
  try repository.commit("Add checkout and basket")
  try repository.write("specs/a.md", specText("Checkout", status: "review"))
  try repository.commit("Checkout to review")
  try repository.git("checkout", "-q", "-b", "side")
  try repository.write("specs/a.md", specText("Checkout", status: "review", extra: "\nA side note.\n"))
  try repository.write("specs/c.md", specText("Coupons", status: "draft"))
  try repository.commit("Side: note on checkout, add coupons")
  try repository.git("checkout", "-q", "main")
  try repository.write("specs/b.md", specText("Basket", status: "review"))
  try repository.commit("Basket to review")
  try repository.merge("side")
  try repository.remove("specs/a.md")
  try repository.write(
    "specs/checkout/a.md", specText("Checkout", status: "approved", extra: "\nA side note.\n"))
  try repository.commit("Move checkout, approve it")
  try repository.remove("specs/b.md")
  try repository.commit("Drop basket")
  try repository.write("README.md", "# Specs\n\nSee specs/.\n")
  try repository.commit("Readme only")
  try repository.git("checkout", "-q", "-b", "side2")
  try repository.write(
    "specs/checkout/a.md", specText("Checkout", status: "shipped", extra: "\nA side note.\nShipped on time.\n"))
  try repository.commit("Side2: ship checkout")
  try repository.git("checkout", "-q", "main")
  try repository.write("specs/c.md", specText("Coupons", status: "review"))
  try repository.commit("Coupons to review")
  try repository.merge("side2")
  try repository.write("specs/b.md", specText("Basket", status: "draft", extra: "\nBack again.\n"))
  try repository.commit("Basket is back")
  return repository
}

@Suite struct HistoryGraphTests {
  @Test(arguments: objectReaders) func listsTheCommitsGitLogFollowLists(reader: String) throws {
    let repository = try makeHistoryRepository()
    let graph = try HistoryGraph.load(
      repository: try Repository(path: repository.path, environment: readerEnvironment(reader)), useCache: false)
    for path in ["specs/checkout/a.md", "specs/b.md", "specs/c.md", "README.md", "specs/a.md"] {
      let ours = PathHistory.versions(of: path, in: graph).map(\.commit.id)
      #expect(ours == (try repository.gitLogFollow(path)), "\(path)")
      let allParents = PathHistory.versions(of: path, in: graph, allParents: true).map(\.commit.id)
      var git = try repository.gitLogFollow(path, extra: ["-m"])
      git = git.enumerated().filter { $0.offset == 0 || git[$0.offset - 1] != $0.element }.map(\.element)
      #expect(allParents.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } } == git, "-m \(path)")
    }
  }

  @Test(arguments: objectReaders) func doesNotFollowCopies(reader: String) throws {
    let repository = try DatedRepository()
    try repository.write("specs/a.md", specText("Checkout", status: "draft"))
    try repository.commit("Add checkout")
    try repository.write("specs/a.md", specText("Checkout", status: "review"))
    try repository.commit("Checkout to review")
    try repository.write("specs/copy.md", specText("Checkout", status: "draft", extra: "A copy.\n"))
    let copy = try repository.commit("Copy checkout")
    let graph = try HistoryGraph.load(
      repository: try Repository(path: repository.path, environment: readerEnvironment(reader)), useCache: false)
    #expect(PathHistory.versions(of: "specs/copy.md", in: graph).map(\.commit.id) == [copy])
    // git follows the copy into the history of specs/a.md.
    #expect(try repository.gitLogFollow("specs/copy.md").count == 3)
  }

  @Test(arguments: objectReaders) func followsRenamesWithTheRightKinds(reader: String) throws {
    let repository = try makeHistoryRepository()
    let graph = try HistoryGraph.load(
      repository: try Repository(path: repository.path, environment: readerEnvironment(reader)), useCache: false)
    let versions = PathHistory.versions(of: "specs/checkout/a.md", in: graph)
    #expect(versions.map(\.change) == [.modified, .renamed, .modified, .modified, .added])
    #expect(
      versions.map(\.path) == ["specs/checkout/a.md", "specs/checkout/a.md", "specs/a.md", "specs/a.md", "specs/a.md"])
    #expect(versions[1].previousPath == "specs/a.md")
    #expect(versions[1].oldBlob != nil && versions[1].newBlob != nil)
    let basket = PathHistory.versions(of: "specs/b.md", in: graph)
    #expect(basket.map(\.change) == [.added, .deleted, .modified, .added])
  }

  @Test(arguments: objectReaders) func ordersCommitsAsGitLog(reader: String) throws {
    let repository = try makeHistoryRepository()
    let graph = try HistoryGraph.load(
      repository: try Repository(path: repository.path, environment: readerEnvironment(reader)), useCache: false)
    let git = try repository.git("log", "--format=%H").split(separator: "\n").map(String.init)
    #expect(graph.records.map(\.commit.id) == git)
    #expect(graph.isTruncated == false)
    let merge = try #require(graph.records.first { $0.isMerge })
    #expect(merge.changes.count == 2)
  }

  @Test(arguments: objectReaders) func comparesTreesWithoutMissingAnything(reader: String) throws {
    let repository = try makeHistoryRepository()
    let graph = try HistoryGraph.load(
      repository: try Repository(path: repository.path, environment: readerEnvironment(reader)), useCache: false)
    for record in graph.records {
      for (index, list) in record.changes.enumerated() {
        let base =
          record.commit.parents.isEmpty ? "4b825dc642cb6eb9a060e54bf8d69288fbee4904" : record.commit.parents[index]
        let raw = try repository.git("diff-tree", "-r", "--no-renames", "--no-commit-id", base, record.commit.id)
        let expected = raw.split(separator: "\n").map { line -> TreeChange in
          let fields = line.split(separator: "\t", maxSplits: 1)
          let meta = fields[0].split(separator: " ")
          let zero = String(repeating: "0", count: 40)
          return TreeChange(
            path: String(fields[1]), oldBlob: meta[2] == zero ? nil : String(meta[2]),
            newBlob: meta[3] == zero ? nil : String(meta[3]))
        }
        #expect(list == expected.sorted { $0.path < $1.path }, "\(record.commit.summary) parent \(index)")
      }
    }
  }

  @Test(arguments: objectReaders) func cachesWalkedCommits(reader: String) throws {
    let repository = try makeHistoryRepository()
    let repo = try Repository(path: repository.path, environment: readerEnvironment(reader))
    let cold = try HistoryGraph.load(repository: repo)
    #expect(cold.walkedCommits == cold.records.count)
    let cacheFile = repo.commonDirectory.appendingPathComponent("keel/history-commits.bin")
    #expect(FileManager.default.fileExists(atPath: cacheFile.path))
    let warm = try HistoryGraph.load(repository: repo)
    #expect(warm.walkedCommits == 0)
    #expect(warm.records == cold.records)
    // Only new commits are walked.
    try repository.write("specs/c.md", specText("Coupons", status: "approved"))
    try repository.commit("Coupons approved")
    let next = try HistoryGraph.load(repository: repo)
    #expect(next.walkedCommits == 1)
    #expect(next.records.count == cold.records.count + 1)
    // An older revision is served from the cache.
    let older = try HistoryGraph.load(repository: repo, revision: "HEAD~3")
    #expect(older.walkedCommits == 0)
    // A damaged or foreign cache is ignored.
    try Data("garbage".utf8).write(to: cacheFile)
    let afterDamage = try HistoryGraph.load(repository: repo)
    #expect(afterDamage.walkedCommits == next.records.count)
    #expect(afterDamage.records == next.records)
    // Deleting it is safe.
    try FileManager.default.removeItem(at: cacheFile.deletingLastPathComponent())
    #expect(try HistoryGraph.load(repository: repo).records == next.records)
    // The cache is never part of the repository's content.
    #expect(try repository.git("status", "--porcelain").isEmpty)
  }

  @Test(arguments: objectReaders) func stopsAtAShallowBoundary(reader: String) throws {
    let repository = try makeHistoryRepository()
    try repository.scratch.git(["clone", "-q", "--depth", "3", "file://\(repository.path)", "shallow"], in: "")
    let repo = try Repository(path: repository.scratch.url("shallow").path, environment: readerEnvironment(reader))
    #expect(repo.isShallow)
    let graph = try HistoryGraph.load(repository: repo)
    #expect(graph.isTruncated)
    let git = try repository.scratch.git(["log", "--format=%H"], in: "shallow").split(separator: "\n").map(String.init)
    #expect(graph.records.map(\.commit.id) == git)
    let follow = try repository.scratch.git(["log", "--follow", "--format=%H", "--", "specs/c.md"], in: "shallow")
    #expect(PathHistory.versions(of: "specs/c.md", in: graph).map(\.commit.id).joined(separator: "\n") == follow)
    // A full clone's cache is not reused for the shallow one and vice versa.
    #expect(try HistoryGraph.load(repository: repo).walkedCommits == 0)
  }

  @Test(arguments: objectReaders) func pathWalkFindsWhatTheFullWalkFinds(reader: String) throws {
    let repository = try makeHistoryRepository()
    let repo = try Repository(path: repository.path, environment: readerEnvironment(reader))
    let graph = try HistoryGraph.load(repository: repo, useCache: false)
    for path in ["specs/checkout/a.md", "specs/b.md", "specs/c.md", "README.md", "specs/a.md", "specs", "nope/x.md"] {
      for allParents in [false, true] {
        let walk = try PathHistoryWalk.versions(of: path, repository: repo, allParents: allParents)
        let full = PathHistory.versions(of: path, in: graph, allParents: allParents)
        #expect(walk.versions.map(\.commit) == full.map(\.commit), "\(path) \(allParents)")
        #expect(walk.versions.map(\.change) == full.map(\.change), "\(path) \(allParents)")
        #expect(walk.versions.map(\.path) == full.map(\.path), "\(path) \(allParents)")
        #expect(walk.versions.map(\.previousPath) == full.map(\.previousPath), "\(path) \(allParents)")
        #expect(walk.versions.map(\.oldBlob) == full.map(\.oldBlob), "\(path) \(allParents)")
        #expect(walk.versions.map(\.newBlob) == full.map(\.newBlob), "\(path) \(allParents)")
        #expect(walk.versions.map(\.parentIndex) == full.map(\.parentIndex), "\(path) \(allParents)")
        #expect(walk.versions.map(\.record.isMerge) == full.map(\.record.isMerge), "\(path) \(allParents)")
        #expect(walk.walkedCommits == graph.records.count)
        #expect(!walk.isTruncated)
      }
      // A folder is no file: both walks find nothing there, git lists the commits under it.
      if path != "specs" {
        #expect(
          try PathHistoryWalk.versions(of: path, repository: repo).versions.map(\.commit.id)
            == (try repository.gitLogFollow(path)), "\(path)")
      }
    }
    // It neither reads nor writes the cache.
    #expect(!FileManager.default.fileExists(atPath: repo.commonDirectory.appendingPathComponent("keel").path))
    #expect(!HistoryGraph.hasCache(in: repo))
    _ = try HistoryGraph.load(repository: repo)
    #expect(HistoryGraph.hasCache(in: repo))
  }

  /// With a cache written for the tip, one path's history is read from the cache's bytes (only the
  /// commits that changed the path decoded); it must be exactly what the loaded records give.
  @Test(arguments: objectReaders) func cachedVersionsAreWhatTheLoadedRecordsGive(reader: String) throws {
    let repository = try makeHistoryRepository()
    let repo = try Repository(path: repository.path, environment: readerEnvironment(reader))
    #expect(try HistoryGraph.cachedVersions(of: "specs/c.md", repository: repo) == nil, "no cache yet")
    let graph = try HistoryGraph.load(repository: repo)
    for path in ["specs/checkout/a.md", "specs/b.md", "specs/c.md", "README.md", "specs/a.md", "specs", "nope/x.md"] {
      for allParents in [false, true] {
        let cached = try #require(try HistoryGraph.cachedVersions(of: path, repository: repo, allParents: allParents))
        let full = PathHistory.versions(of: path, in: graph, allParents: allParents)
        #expect(cached.versions == full, "\(path) \(allParents)")
        #expect(cached.walkedCommits == 0)
        #expect(!cached.isTruncated)
      }
    }
    #expect(try HistoryGraph.cachedVersions(of: "specs/checkout/a.md", repository: repo)?.versions.count == 5)
    // The cache answers only for the tip it was written for; a damaged one does not answer.
    #expect(try HistoryGraph.cachedVersions(of: "specs/c.md", repository: repo, revision: "HEAD~1") == nil)
    try repository.write("specs/c.md", specText("Coupons", status: "approved"))
    try repository.commit("Coupons approved")
    #expect(try HistoryGraph.cachedVersions(of: "specs/c.md", repository: repo) == nil)
    _ = try HistoryGraph.load(repository: repo)
    #expect(try HistoryGraph.cachedVersions(of: "specs/c.md", repository: repo)?.versions.count == 3)
    let cacheFile = repo.commonDirectory.appendingPathComponent("keel/history-commits.bin")
    let bytes = try Data(contentsOf: cacheFile)
    try bytes.prefix(bytes.count - 7).write(to: cacheFile)
    #expect(try HistoryGraph.cachedVersions(of: "specs/c.md", repository: repo) == nil)
  }

  @Test(arguments: objectReaders) func cachedVersionsOfAShallowCloneAreTruncated(reader: String) throws {
    let repository = try makeHistoryRepository()
    try repository.scratch.git(["clone", "-q", "--depth", "3", "file://\(repository.path)", "shallow"], in: "")
    let repo = try Repository(path: repository.scratch.url("shallow").path, environment: readerEnvironment(reader))
    _ = try HistoryGraph.load(repository: repo)
    let cached = try #require(try HistoryGraph.cachedVersions(of: "specs/c.md", repository: repo))
    #expect(cached.isTruncated)
    let follow = try repository.scratch.git(["log", "--follow", "--format=%H", "--", "specs/c.md"], in: "shallow")
    #expect(cached.versions.map(\.commit.id).joined(separator: "\n") == follow)
  }

  @Test(arguments: objectReaders) func pathWalkStopsAtAShallowBoundary(reader: String) throws {
    let repository = try makeHistoryRepository()
    try repository.scratch.git(["clone", "-q", "--depth", "3", "file://\(repository.path)", "shallow"], in: "")
    let repo = try Repository(path: repository.scratch.url("shallow").path, environment: readerEnvironment(reader))
    let walk = try PathHistoryWalk.versions(of: "specs/c.md", repository: repo)
    #expect(walk.isTruncated)
    let follow = try repository.scratch.git(["log", "--follow", "--format=%H", "--", "specs/c.md"], in: "shallow")
    #expect(walk.versions.map(\.commit.id).joined(separator: "\n") == follow)
  }

  /// The walk compares trees on several threads only for long histories; forced here on a short one,
  /// every thread's result must be what one thread finds.
  @Test(arguments: objectReaders) func parallelComparisonsAgreeWithSequentialOnes(reader: String) throws {
    let repository = try makeHistoryRepository()
    let repo = try Repository(path: repository.path, environment: readerEnvironment(reader))
    let graph = try HistoryGraph.load(repository: repo, useCache: false)
    let pairs: [(ObjectID?, ObjectID)] = try graph.records.map { record in
      let tree = { (commit: String) throws -> ObjectID in
        try #require(ObjectID(hex: try repository.git("rev-parse", "\(commit)^{tree}")))
      }
      return (try record.commit.parents.first.map(tree), try tree(record.commit.id))
    }
    let parallel = try repo.withLock { () throws(GitError) -> [[TreeChange]] in
      try ParallelTrees.map(count: pairs.count, repository: repo, minimumCount: 0) {
        (objects, index) throws(GitError) -> [TreeChange] in
        try objects.changes(from: pairs[index].0, to: pairs[index].1)
      }
    }
    #expect(parallel == graph.records.map { $0.changes[0] })
    #expect(parallel.contains { !$0.isEmpty })
  }
}

/// The history tests run under both object readers: KeelGit's own (the default) and libgit2's.
let objectReaders = ["keel", "libgit2"]

/// The environment that selects `reader` (`KEEL_GIT_READER`).
func readerEnvironment(_ reader: String) -> [String: String] { ["KEEL_GIT_READER": reader] }
