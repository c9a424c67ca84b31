import Foundation
import KeelCore
import KeelTestSupport
import Testing

@testable import KeelGit

/// The cache may only save work: whatever it holds, the history of a revision is what a walk
/// without it gives.
@Suite struct HistoryCacheTests {
  /// A history as the tests compare it: every record, and the versions of a few paths.
  private struct Answer: Equatable {
    var records: [CommitRecord]
    var paths: [String: [PathVersion]] = [:]
  }

  private static let paths = [
    "specs/a.md", "specs/b.md", "specs/c.md", "specs/feat.md", "specs/topic.md", "specs/checkout/a.md", "README.md",
  ]

  /// The history of `revision` read without any cache.
  private func uncached(_ repo: Repository, _ revision: String) throws -> Answer {
    let graph = try HistoryGraph.load(repository: repo, revision: revision, useCache: false)
    var result = Answer(records: graph.records)
    for path in Self.paths { result.paths[path] = PathHistory.versions(of: path, in: graph) }
    #expect(!graph.records.isEmpty)
    return result
  }

  /// The history of `revision` read through the cache (loaded records, and one path's history read
  /// from the cache file when it can answer).
  private func cached(_ repo: Repository, _ revision: String) throws -> Answer {
    let graph = try HistoryGraph.load(repository: repo, revision: revision)
    var result = Answer(records: graph.records)
    for path in Self.paths {
      let fromIndex = try HistoryGraph.cachedVersions(of: path, repository: repo, revision: revision)
      let fromGraph = PathHistory.versions(of: path, in: graph)
      #expect(fromIndex == nil || fromIndex?.versions == fromGraph, "\(path) at \(revision)")
      result.paths[path] = fromGraph
    }
    // The same history decoded record by record from the file (`--staged`), when it was written for
    // this revision, as it is after `load`.
    let commits = try #require(try HistoryGraph.cachedCommits(repository: repo, revision: revision))
    #expect(commits.commitCount == graph.records.count)
    #expect(commits.isTruncated == graph.isTruncated)
    var followed = FollowedPaths()
    for path in Self.paths + ["specs"] {
      followed.insert(path)
      var one = FollowedPaths()
      one.insert(path)
      for position in graph.records.indices {
        #expect(try commits.changes(anyOf: one, at: position) == graph.records.changes(anyOf: one, at: position))
        #expect(
          try commits.changes(anyOf: followed, at: position) == graph.records.changes(anyOf: followed, at: position))
      }
    }
    for position in graph.records.indices { #expect(try commits.record(at: position) == graph.records[position]) }
    return result
  }

  /// Issue 11's reproduction at the library level: a cache filled on a branch must not add that
  /// branch's commits to the history of main, neither on the first run after switching nor later.
  @Test(arguments: objectReaders) func commitsOfAnotherBranchNeverLeakIn(reader: String) throws {
    let repository = try makeHistoryRepository()
    let repo = try Repository(path: repository.path, environment: readerEnvironment(reader))
    try repository.git("checkout", "-q", "-b", "feat")
    try repository.write("specs/c.md", specText("Coupons", status: "approved"))
    try repository.write("specs/feat.md", specText("Feature", status: "draft"))
    try repository.commit("Feat: approve coupons, add feature")
    _ = try HistoryGraph.load(repository: repo, revision: "feat")
    try repository.git("checkout", "-q", "main")
    let expected = try uncached(repo, "main")
    for _ in 0..<3 { #expect(try cached(repo, "main") == expected) }
    // Asking for feat again, then main again, with the cache written for each in turn.
    #expect(try cached(repo, "feat") == (try uncached(repo, "feat")))
    #expect(try cached(repo, "main") == expected)
    #expect(try cached(repo, "HEAD~2") == (try uncached(repo, "HEAD~2")))
  }

  @Test(arguments: objectReaders) func rewrittenHistoryIsFollowedFromTheRevision(reader: String) throws {
    let repository = try makeHistoryRepository()
    let repo = try Repository(path: repository.path, environment: readerEnvironment(reader))
    _ = try HistoryGraph.load(repository: repo)
    // Amend the tip, then rebase a branch, then drop commits with a hard reset.
    try repository.write("specs/c.md", specText("Coupons", status: "shipped"))
    try repository.git("commit", "-q", "-a", "--amend", "-m", "Amended")
    #expect(try cached(repo, "HEAD") == (try uncached(repo, "HEAD")))
    try repository.git("checkout", "-q", "-b", "topic", "HEAD~3")
    try repository.write("specs/topic.md", specText("Topic", status: "draft"))
    try repository.commit("Topic")
    _ = try HistoryGraph.load(repository: repo, revision: "topic")
    try repository.git("rebase", "-q", "main")
    #expect(try cached(repo, "topic") == (try uncached(repo, "topic")))
    try repository.git("checkout", "-q", "main")
    try repository.git("reset", "-q", "--hard", "HEAD~2")
    #expect(try cached(repo, "main") == (try uncached(repo, "main")))
  }

  /// After `git gc --prune=now` removed commits that only the cache still mentions, they are dropped
  /// from the file at the next write, and nothing is read from them.
  @Test(arguments: objectReaders) func commitsPrunedByGitAreDroppedFromTheCache(reader: String) throws {
    let repository = try makeHistoryRepository()
    let repo = try Repository(path: repository.path, environment: readerEnvironment(reader))
    try repository.git("checkout", "-q", "-b", "doomed")
    try repository.write("specs/doomed.md", specText("Doomed", status: "draft"))
    let doomed = try repository.commit("Doomed")
    _ = try HistoryGraph.load(repository: repo, revision: "doomed")
    try repository.git("checkout", "-q", "main")
    try repository.git("branch", "-q", "-D", "doomed")
    try repository.git("reflog", "expire", "--expire=now", "--all")
    try repository.git("gc", "-q", "--prune=now")
    let fresh = try Repository(path: repository.path, environment: readerEnvironment(reader))
    try repository.write("README.md", "# Specs, again\n")
    try repository.commit("Readme again")
    #expect(try cached(fresh, "HEAD") == (try uncached(fresh, "HEAD")))
    var damaged = false
    let contents = try #require(
      HistoryCache.read(HistoryCache.file(in: fresh), shallow: [], damaged: &damaged))
    #expect(!contents.ordered.contains { $0.commit.id == doomed })
    #expect(!damaged)
  }

  /// Any damaged byte is caught by the checksum: the file is discarded (and reported), the answer
  /// comes from Git, and the next run has a good cache again.
  @Test(arguments: objectReaders) func damagedCacheIsDiscardedAndReported(reader: String) throws {
    let repository = try makeHistoryRepository()
    let repo = try Repository(path: repository.path, environment: readerEnvironment(reader))
    let expected = try uncached(repo, "HEAD")
    _ = try HistoryGraph.load(repository: repo)
    let file = HistoryCache.file(in: repo)
    let good = try Data(contentsOf: file)
    var generator = SeededGenerator(state: 11)
    for round in 0..<12 {
      var bytes = good
      let position = Int.random(in: 40..<bytes.count, using: &generator)
      bytes[position] ^= UInt8.random(in: 1...255, using: &generator)
      try bytes.write(to: file)
      var reported: [URL] = []
      let loaded = try HistoryGraph.load(repository: repo, damagedCache: { reported.append($0) })
      #expect(reported == [file], "round \(round), byte \(position)")
      #expect(loaded.walkedCommits == loaded.records.count)
      #expect(try cached(repo, "HEAD") == expected)
      try bytes.write(to: file)
      reported = []
      let versions = try HistoryGraph.cachedVersions(
        of: "specs/c.md", repository: repo, damagedCache: { reported.append($0) })
      #expect(versions == nil && reported == [file])
      try bytes.write(to: file)
      reported = []
      #expect(try HistoryGraph.cachedCommits(repository: repo, damagedCache: { reported.append($0) }) == nil)
      #expect(reported == [file])
    }
  }

  /// Two processes writing at once: each write is a whole file (temporary file, then rename), so a
  /// reader sees one or the other, never a mix; the concurrent writers here are threads.
  @Test(arguments: objectReaders) func concurrentWritersLeaveAWholeFile(reader: String) throws {
    let repository = try makeHistoryRepository()
    try repository.git("branch", "other", "HEAD~2")
    let path = repository.path
    DispatchQueue.concurrentPerform(iterations: 8) { index in
      guard let repo = try? Repository(path: path, environment: readerEnvironment(reader)) else { return }
      for _ in 0..<4 { _ = try? HistoryGraph.load(repository: repo, revision: index % 2 == 0 ? "main" : "other") }
    }
    let repo = try Repository(path: path, environment: readerEnvironment(reader))
    var damaged = false
    #expect(HistoryCache.read(HistoryCache.file(in: repo), shallow: [], damaged: &damaged) != nil)
    #expect(!damaged)
    #expect(try cached(repo, "other") == (try uncached(repo, "other")))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: HistoryCache.directory(in: repo).path)
    #expect(leftovers.sorted() == ["history-commits.bin"])
  }
}
