import Foundation
import KeelCore
import Testing

@testable import KeelGit

@Suite struct IndexFileTests {
  private func makeRepositoryWithFolders(_ scratch: Scratch) throws {
    try scratch.makeRepository()
    try scratch.write("repo/specs/one.md", "1\n")
    try scratch.write("repo/specs/deep/two.md", "2\n")
    try scratch.write("repo/other/three.md", "3\n")
    try scratch.write("repo/other/sub dir/four é.md", "4\n")
    try scratch.git("add", "-A")
    try scratch.git("commit", "-q", "-m", "Folders")
  }

  private func gitListing(_ scratch: Scratch) throws -> [String] {
    try scratch.git("-c", "core.quotepath=false", "ls-files", "--cached").split(separator: "\n").map(String.init)
  }

  @Test(arguments: [2, 3, 4])
  func readsEveryEntryOfEachIndexVersion(version: Int) throws {
    let scratch = try Scratch()
    try makeRepositoryWithFolders(scratch)
    // An intent-to-add entry carries an extended flag, which needs version 3 (git writes 2 when no entry has one).
    if version >= 3 {
      try scratch.write("repo/specs/intent.md", "intent to add\n")
      try scratch.git("add", "-N", "specs/intent.md")
    }
    try scratch.git("update-index", "--index-version", "\(version)")
    let summary = try #require(try IndexFileSummary.read(scratch.url("repo/.git/index")))
    #expect(summary.version == UInt32(version))
    #expect(summary.paths == (try gitListing(scratch)))
    #expect(summary.isSplit == false)
    #expect(summary.isSparse == false)
    // libgit2 reads it too.
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try repository.indexSnapshot().paths() == summary.paths.filter { $0 != "specs/intent.md" }.sorted())
  }

  @Test func rejectsAFileThatIsNotAnIndex() throws {
    #expect(throws: GitError.self) { try IndexFileSummary(data: Data("not an index at all, really".utf8)) }
    #expect(throws: GitError.self) { try IndexFileSummary(data: Data()) }
  }

  /// `git ls-files --stage` as (mode, id, stage, path) lines, the way git resolves the index.
  private func gitStage(_ scratch: Scratch) throws -> [String] {
    try scratch.git("-c", "core.quotepath=false", "ls-files", "--stage").split(separator: "\n").map(String.init)
  }

  private func keelStage(_ repository: Repository) throws -> [String] {
    try (repository.indexEntries() ?? []).map { entry in
      "\(String(entry.mode, radix: 8)) \(entry.id.hex) \(entry.stage)\t\(entry.pathString)"
    }
  }

  /// Issue 13, row 17: a split index made `keel check --staged` exit 2 (libgit2 1.5 cannot read
  /// the `link` extension), so the pre-commit hook blocked every commit.
  @Test func splitIndexIsMergedWithItsSharedIndex() throws {
    let scratch = try Scratch()
    try makeRepositoryWithFolders(scratch)
    try scratch.git("-c", "core.splitIndex=true", "update-index", "--split-index")
    // Changes after the split: one entry replaced, one deleted, two added (the split index holds them).
    try scratch.write("repo/specs/one.md", "1 staged\n")
    try scratch.write("repo/specs/added.md", "added\n")
    try scratch.write("repo/aaa first.md", "sorts first\n")
    try scratch.git("add", "specs/one.md", "specs/added.md", "aaa first.md")
    try scratch.git("rm", "-q", "--cached", "other/three.md")
    let summary = try #require(try IndexFileSummary.read(scratch.url("repo/.git/index")))
    let link = try #require(summary.link)
    // (git also marks entries whose stat data it refreshed as replaced.)
    #expect(try #require(EWAHBitmap.setBits(link.replaced)).isEmpty == false)
    #expect(try #require(EWAHBitmap.setBits(link.deleted)).isEmpty == false)
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try keelStage(repository) == (try gitStage(scratch)))
    let index = try repository.indexSnapshot()
    #expect(try index.read("specs/one.md").text == "1 staged\n")
    #expect(try index.read("aaa first.md").text == "sorts first\n")
    #expect(try index.paths() == (try gitListing(scratch)).sorted())
    let staged = try repository.stagedChanges().map(\.description)
    #expect(
      staged == ["added aaa first.md", "deleted other/three.md", "added specs/added.md", "modified specs/one.md"])
    let worktree = try repository.changes(base: "HEAD", head: .workingTree).map(\.description)
    let tracked = try repository.workingTreeSnapshot().paths()
    // The same answers as from the same index written whole.
    try scratch.git("update-index", "--no-split-index")
    #expect(try IndexFileSummary.read(scratch.url("repo/.git/index"))?.isSplit == false)
    let whole = try Repository.discover(from: scratch.url("repo").path)
    #expect(try whole.indexSnapshot().paths() == (try index.paths()))
    #expect(try whole.stagedChanges().map(\.description) == staged)
    #expect(try whole.changes(base: "HEAD", head: .workingTree).map(\.description) == worktree)
    #expect(try whole.workingTreeSnapshot().paths() == tracked)
  }

  @Test func ewahBitmapsDecodeRunsAndLiterals() {
    func bitmap(bits: UInt32, _ words: [UInt64]) -> [UInt8] {
      func be32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(value >> (24 - 8 * $0) & 0xFF) } }
      return be32(bits) + be32(UInt32(words.count))
        + words.flatMap { word in (0..<8).map { UInt8(word >> (56 - 8 * UInt64($0)) & 0xFF) } } + be32(0)
    }
    // One marker: a run of 2 words of ones, then 1 literal word with bits 0 and 5.
    let marker: UInt64 = 1 | 2 << 1 | 1 << 33
    #expect(EWAHBitmap.setBits(bitmap(bits: 192, [marker, 0b100001])) == Array(0..<128) + [128, 133])
    // A run of zeros, then a literal: bits past the bit count are dropped.
    #expect(EWAHBitmap.setBits(bitmap(bits: 60, [1 << 33, 1 << 3 | 1 << 63])) == [3])
    #expect(EWAHBitmap.setBits([]) == [])
    #expect(EWAHBitmap.setBits([0, 0, 0, 9, 0, 0, 0, 1]) == nil)  // truncated
    #expect(EWAHBitmap.setBits(bitmap(bits: 64, [5 << 33])) == nil)  // literals past the end
  }

  /// Row 17 with a sparse index: folders outside the cone are one directory entry (mode 040000).
  @Test func sparseIndexDirectoriesAreExpandedFromTheirTrees() throws {
    let scratch = try Scratch()
    try makeRepositoryWithFolders(scratch)
    try scratch.git("sparse-checkout", "init", "--cone")
    try scratch.git("config", "index.sparse", "true")
    try scratch.git("sparse-checkout", "set", "specs")
    let summary = try #require(try IndexFileSummary.read(scratch.url("repo/.git/index")))
    #expect(summary.isSparse)
    #expect(summary.entries.contains { $0.isSparseDirectory && $0.pathString == "other/" })
    try scratch.write("repo/specs/one.md", "1 staged\n")
    try scratch.git("add", "specs/one.md")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try keelStage(repository) == (try gitStage(scratch)))
    let index = try repository.indexSnapshot()
    #expect(try index.read("other/three.md").text == "3\n")
    #expect(try index.read("other/sub dir/four é.md").text == "4\n")
    #expect(try repository.stagedChanges().map(\.description) == ["modified specs/one.md"])
    // Files outside the cone are not in the working tree, and not reported as deleted from it.
    let worktreeChanges = try repository.changes(base: "HEAD", head: .workingTree).map(\.description)
    #expect(worktreeChanges == ["modified specs/one.md"], "\(worktreeChanges)")
    #expect(try repository.treeSnapshot(at: "HEAD").read("other/three.md").text == "3\n")
  }
}
