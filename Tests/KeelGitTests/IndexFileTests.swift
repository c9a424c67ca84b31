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

  @Test func splitIndexGivesAClearError() throws {
    let scratch = try Scratch()
    try makeRepositoryWithFolders(scratch)
    try scratch.git("-c", "core.splitIndex=true", "update-index", "--split-index")
    let summary = try #require(try IndexFileSummary.read(scratch.url("repo/.git/index")))
    #expect(summary.isSplit)
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let message = "index uses split-index (core.splitIndex); run 'git update-index --no-split-index'"
    let error = #expect(throws: GitError.self) { try repository.indexSnapshot() }
    #expect(error?.kind == .splitIndex)
    #expect(error?.description == message)
    #expect(throws: GitError.self) { try repository.stagedChanges() }
    #expect(throws: GitError.self) { try repository.changes(base: "HEAD", head: .workingTree) }
    // Revisions and the working tree listing do not need the index.
    #expect(try repository.treeSnapshot(at: "HEAD").read("specs/one.md").text == "1\n")
    #expect(try repository.workingTreeSnapshot().paths().contains("specs/deep/two.md"))
    // After the suggested fix, it works.
    try scratch.git("update-index", "--no-split-index")
    #expect(try repository.indexSnapshot().read("specs/one.md").text == "1\n")
  }

  @Test func sparseIndexGivesAClearError() throws {
    let scratch = try Scratch()
    try makeRepositoryWithFolders(scratch)
    try scratch.git("sparse-checkout", "init", "--cone", "--sparse-index")
    try scratch.git("sparse-checkout", "set", "specs")
    let summary = try #require(try IndexFileSummary.read(scratch.url("repo/.git/index")))
    #expect(summary.isSparse)
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let error = #expect(throws: GitError.self) { try repository.indexSnapshot() }
    #expect(error?.kind == .sparseIndex)
    #expect(error?.description == "index is a sparse index; run 'git sparse-checkout init --no-sparse-index'")
    #expect(throws: GitError.self) { try repository.stagedChanges() }
    #expect(try repository.treeSnapshot(at: "HEAD").read("other/three.md").text == "3\n")
    try scratch.git("sparse-checkout", "init", "--no-sparse-index")
    #expect(try repository.indexSnapshot().read("other/three.md").text == "3\n")
  }
}
