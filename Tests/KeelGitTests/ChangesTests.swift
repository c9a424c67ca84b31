import Foundation
import KeelCore
import Testing

@testable import KeelGit

@Suite struct ChangesTests {
  /// Commits a rename (with a small edit), a modification, an addition and a deletion on top of `makeRepository`.
  private func makeHistory(_ scratch: Scratch) throws {
    try scratch.makeRepository()
    let long = (1...30).map { "Line \($0) of a long enough document to be recognised after a rename.\n" }.joined()
    try scratch.write("repo/specs/old-name.md", long)
    try scratch.write("repo/specs/doomed.md", "to be deleted\n")
    try scratch.git("add", "-A")
    try scratch.git("commit", "-q", "-m", "Specs")
    try scratch.git("mv", "specs/old-name.md", "specs/new-name.md")
    try scratch.write("repo/specs/new-name.md", long + "One more line.\n")
    try scratch.write("repo/docs/a.md", "three\n")
    try scratch.write("repo/specs/fresh.md", "new\n")
    try scratch.git("rm", "-q", "specs/doomed.md")
    try scratch.git("add", "-A")
    try scratch.git("commit", "-q", "-m", "Rework")
  }

  private let expected: [PathChange] = [
    PathChange(status: .modified, path: "docs/a.md"),
    PathChange(status: .deleted, path: "specs/doomed.md"),
    PathChange(status: .added, path: "specs/fresh.md"),
    PathChange(status: .renamed, path: "specs/new-name.md", previousPath: "specs/old-name.md"),
  ]

  @Test func comparesTwoRevisionsWithRenames() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try repository.changes(base: "HEAD~1", head: .revision("HEAD")) == expected)
    let base = try repository.treeSnapshot(at: "HEAD~1")
    let head = try repository.treeSnapshot(at: "HEAD")
    #expect(try repository.changes(from: base, to: head) == expected)
    #expect(try repository.changes(from: base, to: .revision("main")) == expected)
    #expect(try repository.changes(base: "HEAD", head: .revision("HEAD")) == [])
    // From the empty tree everything is added.
    let all = try repository.changes(base: nil, head: .revision("HEAD"))
    #expect(all.allSatisfy { $0.status == .added })
    #expect(all.map(\.path) == (try head.paths()))
  }

  @Test func comparesWithTheIndexAndTheWorkingTree() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    try scratch.git("reset", "-q", "--soft", "HEAD~1")  // the rework is now staged, not committed
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try repository.stagedChanges() == expected)
    #expect(try repository.changes(base: "HEAD", head: .index) == expected)
    #expect(try repository.changes(base: "HEAD", head: .workingTree) == expected)

    // Unstaged edits and untracked files show in the working tree only; ignored files never.
    try scratch.write("repo/.gitignore", "*.tmp\n")
    try scratch.write("repo/scratch.tmp", "ignored\n")
    try scratch.write("repo/README.md", "# Changed on disk\n")
    let working = try repository.changes(base: "HEAD", head: .workingTree)
    #expect(working.contains(PathChange(status: .added, path: ".gitignore")))
    #expect(working.contains(PathChange(status: .modified, path: "README.md")))
    #expect(working.contains { $0.path == "scratch.tmp" } == false)
    #expect(try repository.stagedChanges() == expected)
  }

  @Test func findsRenamesOfUntrackedFilesInTheWorkingTree() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    try FileManager.default.moveItem(at: scratch.url("repo/specs/new-name.md"), to: scratch.url("repo/specs/moved.md"))
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(
      try repository.changes(base: "HEAD", head: .workingTree) == [
        PathChange(status: .renamed, path: "specs/moved.md", previousPath: "specs/new-name.md")
      ])
  }

  @Test func intentToAddIsNotStaged() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.write("repo/docs/later.md", "not staged yet\n")
    try scratch.git("add", "-N", "docs/later.md")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try repository.stagedChanges() == [])
    #expect(
      try repository.changes(base: "HEAD", head: .workingTree) == [PathChange(status: .added, path: "docs/later.md")])
  }
}
