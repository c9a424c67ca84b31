import Foundation
import KeelCore
import Testing

@testable import KeelGit

@Suite struct RepositoryTests {
  @Test func discoversFromASubfolder() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let repository = try Repository.discover(from: scratch.url("repo/docs").path)
    #expect(repository.isBare == false)
    #expect(repository.isLinkedWorktree == false)
    #expect(repository.workingDirectory?.path == scratch.url("repo").path)
    #expect(repository.gitDirectory.path == scratch.url("repo/.git").path)
    #expect(repository.commonDirectory.path == scratch.url("repo/.git").path)
    #expect(repository.headCommitID == (try scratch.git("rev-parse", "HEAD")))
    #expect(repository.currentBranch == "main")
    #expect(repository.isHeadUnborn == false)
    #expect(repository.isHeadDetached == false)
    #expect(repository.isShallow == false)
  }

  @Test func openingExactlyDoesNotSearchParents() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    #expect(try Repository(path: scratch.url("repo").path).workingDirectory?.path == scratch.url("repo").path)
    #expect(try Repository(path: scratch.url("repo/.git").path).workingDirectory?.path == scratch.url("repo").path)
    let error = #expect(throws: GitError.self) { try Repository(path: scratch.url("repo/docs").path) }
    #expect(error?.kind == .notARepository)
  }

  @Test func reportsAFolderOutsideAnyRepository() throws {
    let scratch = try Scratch()
    try FileManager.default.createDirectory(at: scratch.url("plain"), withIntermediateDirectories: true)
    let error = #expect(throws: GitError.self) { try Repository.discover(from: scratch.url("plain").path) }
    #expect(error?.kind == .notARepository)
    #expect(error?.description.hasPrefix("not a git repository") == true)
    #expect(error?.description.contains(scratch.url("plain").path) == true)
  }

  @Test func opensABareClone() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.git(["clone", "-q", "--bare", "repo", "bare.git"], in: "")
    let repository = try Repository.discover(from: scratch.url("bare.git/refs").path)
    #expect(repository.isBare)
    #expect(repository.workingDirectory == nil)
    #expect(repository.gitDirectory.path == scratch.url("bare.git").path)
    #expect(repository.hooksDirectory.path == scratch.url("bare.git/hooks").path)
    let head = try repository.treeSnapshot(at: "HEAD")
    #expect(try head.read("docs/a.md").text == "two\n")
    #expect(try repository.treeSnapshot(at: "main~1").read("docs/a.md").text == "one\n")
    let error = #expect(throws: GitError.self) { try repository.workingTreeSnapshot() }
    #expect(error?.kind == .bareRepository)
    #expect(throws: GitError.self) { try repository.changes(base: "HEAD", head: .workingTree) }
  }

  @Test func opensALinkedWorktree() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.git("worktree", "add", "-q", "-b", "feature", "../linked")
    try scratch.write("linked/docs/c.md", "staged in the worktree\n")
    try scratch.git("add", "docs/c.md", in: "linked")
    let repository = try Repository.discover(from: scratch.url("linked/docs").path)
    #expect(repository.isLinkedWorktree)
    #expect(repository.isBare == false)
    #expect(repository.workingDirectory?.path == scratch.url("linked").path)
    #expect(repository.gitDirectory.path == scratch.url("repo/.git/worktrees/linked").path)
    #expect(repository.commonDirectory.path == scratch.url("repo/.git").path)
    #expect(repository.hooksDirectory.path == scratch.url("repo/.git/hooks").path)
    #expect(repository.currentBranch == "feature")
    #expect(try repository.indexSnapshot().read("docs/c.md").text == "staged in the worktree\n")
    #expect(try repository.stagedChanges() == [PathChange(status: .added, path: "docs/c.md")])
    // The main working tree's index is separate.
    let main = try Repository.discover(from: scratch.url("repo").path)
    #expect(try main.indexSnapshot().paths().contains("docs/c.md") == false)
  }

  @Test func detectsADetachedHead() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let parent = try scratch.git("rev-parse", "HEAD~1")
    try scratch.git("checkout", "-q", "--detach", "HEAD~1")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(repository.isHeadDetached)
    #expect(repository.currentBranch == nil)
    #expect(repository.headCommitID == parent)
    let head = try repository.treeSnapshot(at: "HEAD")
    #expect(head.revision == parent)
    #expect(try head.read("docs/a.md").text == "one\n")
    #expect(try repository.workingTreeSnapshot().read("docs/a.md").text == "one\n")
  }

  @Test func detectsAnUnbornHead() throws {
    let scratch = try Scratch()
    try FileManager.default.createDirectory(at: scratch.url("repo"), withIntermediateDirectories: true)
    try scratch.git("init", "-q")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(repository.isHeadUnborn)
    #expect(repository.headCommitID == nil)
    #expect(repository.currentBranch == "main")
    for revision in ["HEAD", "HEAD~1", "main", "@"] {
      let error = #expect(throws: GitError.self) { try repository.treeSnapshot(at: revision) }
      #expect(error?.kind == .unbornHead)
      #expect(error?.description == "HEAD has no commits yet")
    }
    let other = #expect(throws: GitError.self) { try repository.treeSnapshot(at: "v1") }
    #expect(other?.description == "unknown revision 'v1'")
  }

  @Test func reportsUnknownRevisionsClearly() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let repository = try Repository.discover(from: scratch.url("repo").path)
    for revision in ["HEAD~9", "no-such-branch", "deadbeef"] {
      let error = #expect(throws: GitError.self) { try repository.treeSnapshot(at: revision) }
      #expect(error?.kind == .unknownRevision)
      #expect(error?.description == "unknown revision '\(revision)'")
      #expect(error?.code ?? 0 < 0)
    }
    #expect(throws: GitError.self) { try repository.resolveCommitID("HEAD~9") }
    #expect(throws: GitError.self) { try repository.commit(id: "HEAD~9") }
  }

  @Test func detectsAShallowCloneAndExplainsTruncatedHistory() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.git(["clone", "-q", "--depth", "1", "file://" + scratch.url("repo").path, "shallow"], in: "")
    let repository = try Repository.discover(from: scratch.url("shallow").path)
    #expect(repository.isShallow)
    let head = try repository.resolveCommitID("HEAD")
    #expect(repository.shallowBoundaryIDs == [head])
    #expect(try repository.commit(id: head).isShallowBoundary)
    #expect(try repository.treeSnapshot(at: "HEAD").read("docs/a.md").text == "two\n")
    let error = #expect(throws: GitError.self) { try repository.treeSnapshot(at: "HEAD~1") }
    #expect(error?.kind == .shallowHistory)
    #expect(error?.description.hasPrefix("unknown revision 'HEAD~1'") == true)
    #expect(error?.description.contains("shallow") == true)
    #expect(try Repository.discover(from: scratch.url("repo").path).isShallow == false)
  }

  @Test func readsCommitMetadata() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let headID = try scratch.git("rev-parse", "HEAD")
    let parentID = try scratch.git("rev-parse", "HEAD~1")
    #expect(try repository.resolveCommitID("HEAD") == headID)
    #expect(try repository.resolveCommitID(String(headID.prefix(8))) == headID)
    let commit = try repository.commit(id: headID)
    #expect(commit.id == headID)
    #expect(commit.parents == [parentID])
    #expect(commit.authorName == "Ada Lovelace")
    #expect(commit.authorEmail == "ada@example.com")
    #expect(commit.authorDate == ISO8601DateFormatter().date(from: "2024-03-01T10:00:00Z"))
    #expect(commit.committerName == "Grace Hopper")
    #expect(commit.committerDate == ISO8601DateFormatter().date(from: "2024-03-02T11:00:00Z"))
    #expect(commit.summary == "Second commit")
    #expect(commit.message == "Second commit\n\nWith a body.\n")
    #expect(commit.isShallowBoundary == false)
    #expect(try repository.commit(id: "HEAD~1").parents == [])
    #expect(try repository.commit(id: "HEAD~1").id == parentID)
  }

  @Test func findsTheMergeBaseOfTwoBranches() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let fork = try scratch.git("rev-parse", "HEAD")
    try scratch.git("checkout", "-q", "-b", "feature")
    try scratch.write("repo/docs/feature.md", "feature\n")
    try scratch.git("add", "-A")
    try scratch.git("commit", "-q", "-m", "Feature")
    try scratch.git("checkout", "-q", "main")
    try scratch.write("repo/docs/main.md", "main\n")
    try scratch.git("add", "-A")
    try scratch.git("commit", "-q", "-m", "Main moves on")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try repository.mergeBase("main", "feature") == fork)
    // Compared with the merge base, only the branch's own change shows.
    let base = try #require(try repository.mergeBase("main", "feature"))
    #expect(
      try repository.changes(base: base, head: .revision("feature")) == [.init(status: .added, path: "docs/feature.md")]
    )
    #expect(try repository.changes(base: "main", head: .revision("feature")).count == 2)
  }

  @Test func findsTheHooksDirectory() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(repository.configString("core.hooksPath") == nil)
    #expect(repository.hooksDirectory.path == scratch.url("repo/.git/hooks").path)
    try scratch.git("config", "core.hooksPath", "tools/hooks")
    #expect(repository.configString("core.hooksPath") == "tools/hooks")
    // Relative to the working tree root, also when discovered from a subfolder.
    let fromSubfolder = try Repository.discover(from: scratch.url("repo/docs").path)
    #expect(fromSubfolder.hooksDirectory.path == scratch.url("repo/tools/hooks").path)
    try scratch.git("config", "core.hooksPath", "/opt/hooks")
    #expect(repository.hooksDirectory.path == "/opt/hooks")
  }

  @Test func honoursGitIndexFileFromTheEnvironment() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let alternate = scratch.url("alternate-index")
    try scratch.write("repo/docs/a.md", "in the alternate index\n")
    try scratch.git(["read-tree", "HEAD"], environment: ["GIT_INDEX_FILE": alternate.path])
    try scratch.git(["add", "docs/a.md"], environment: ["GIT_INDEX_FILE": alternate.path])
    let repository = try Repository.discover(
      from: scratch.url("repo").path, environment: ["GIT_INDEX_FILE": alternate.path])
    #expect(repository.indexFile.path == alternate.path)
    #expect(try repository.indexSnapshot().read("docs/a.md").text == "in the alternate index\n")
    #expect(try repository.stagedChanges() == [PathChange(status: .modified, path: "docs/a.md")])
    let plain = try Repository.discover(from: scratch.url("repo").path, environment: [:])
    #expect(try plain.indexSnapshot().read("docs/a.md").text == "two\n")
    #expect(try plain.stagedChanges() == [])
  }
}
