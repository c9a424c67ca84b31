import Foundation
import KeelCore
import Testing

@testable import KeelGit

@Suite struct SnapshotTests {
  @Test func treeSnapshotReadsAnyRevision() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.git("tag", "v1", "HEAD~1")
    try scratch.git("tag", "-a", "-m", "Annotated", "v2", "HEAD")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let parentID = try scratch.git("rev-parse", "HEAD~1")

    let old = try repository.treeSnapshot(at: "HEAD~1")
    #expect(old.revision == parentID)
    #expect(old.label == "HEAD~1 (\(try scratch.git("rev-parse", "--short", "HEAD~1")))")
    #expect(try old.paths() == ["README.md", "docs/a.md"])
    #expect(try old.read("docs/a.md").text == "one\n")
    #expect(old.blobID("docs/a.md") == (try scratch.git("rev-parse", "HEAD~1:docs/a.md")))
    #expect(old.blobID("docs/b.md") == nil)
    #expect(throws: KeelError.self) { try old.read("docs/b.md") }
    #expect(old.contains("docs/b.md") == false)

    let head = try repository.treeSnapshot(at: "main")
    #expect(try head.paths() == ["README.md", "docs/a.md", "docs/b.md"])
    #expect(try head.read("docs/a.md").text == "two\n")

    #expect(try repository.treeSnapshot(at: "v1").revision == parentID)
    #expect(try repository.treeSnapshot(at: "v2").revision == (try scratch.git("rev-parse", "HEAD")))
    let short = String(parentID.prefix(7))
    let bySHA = try repository.treeSnapshot(at: short)
    #expect(bySHA.revision == parentID)
    #expect(bySHA.label == short)
    #expect(try repository.treeSnapshot(at: parentID).label == short)

    let treeOnly = try repository.treeSnapshot(at: "v1^{tree}")
    #expect(treeOnly.revision == nil)
    #expect(treeOnly.treeID == (try scratch.git("rev-parse", "v1^{tree}")))
    #expect(try treeOnly.read("docs/a.md").text == "one\n")
    #expect(treeOnly.label.hasPrefix("v1^{tree} (tree "))

    let blob = #expect(throws: GitError.self) { try repository.treeSnapshot(at: "HEAD:docs/a.md") }
    #expect(blob?.kind == .wrongObjectType)
  }

  @Test func treeSnapshotSkipsSymlinksAndKeepsExecutables() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.write("repo/tools/run.sh", "#!/bin/sh\n")
    try scratch.git("add", "tools/run.sh")
    try scratch.git("update-index", "--chmod=+x", "tools/run.sh")
    try FileManager.default.createSymbolicLink(
      atPath: scratch.url("repo/link.md").path, withDestinationPath: "README.md")
    try scratch.git("add", "link.md")
    try scratch.git("commit", "-q", "-m", "More")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let paths = try repository.treeSnapshot(at: "HEAD").paths()
    #expect(paths.contains("tools/run.sh"))
    #expect(paths.contains("link.md") == false)
    #expect(try repository.indexSnapshot().paths() == paths)
    #expect(try repository.workingTreeSnapshot().paths() == paths)
  }

  @Test func workingTreeReadsWithALimitMeasureTheOpenedFile() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    // A sparse file: 1 GiB claimed, nothing written.
    let huge = scratch.url("repo/docs/huge.md")
    #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
    let handle = try FileHandle(forWritingTo: huge)
    try handle.truncate(atOffset: 1 << 30)
    try handle.close()
    try FileManager.default.createSymbolicLink(
      atPath: scratch.url("repo/docs/link.md").path, withDestinationPath: "a.md")
    let snapshot = try Repository.discover(from: scratch.url("repo").path).workingTreeSnapshot()
    #expect(try snapshot.read("docs/a.md", maxBytes: 4).text == "two\n")
    let error = try #require(throws: FileTooLargeError.self) { try snapshot.read("docs/huge.md", maxBytes: 1 << 20) }
    #expect(error.size == 1 << 30)
    #expect(error.path == "docs/huge.md")
    #expect(throws: FileTooLargeError.self) { try snapshot.read("docs/a.md", maxBytes: 3) }
    #expect(throws: PathRefusal.self) { try snapshot.read("docs/link.md", maxBytes: 100) }
    #expect(throws: KeelError.self) { try snapshot.read(".git/HEAD", maxBytes: 100) }
    // Through a subdirectory, the error names the path as the subdirectory's snapshot knows it.
    let docs = SubdirectorySnapshot(base: snapshot, directory: "docs")
    #expect(try docs.read("a.md", maxBytes: 100).text == "two\n")
    let inDocs = try #require(throws: FileTooLargeError.self) { try docs.read("huge.md", maxBytes: 1 << 20) }
    #expect(inDocs.path == "huge.md")
  }

  @Test func indexSnapshotReadsStagedBytes() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.write("repo/docs/a.md", "staged\n")
    try scratch.git("add", "docs/a.md")
    try scratch.write("repo/docs/a.md", "working\n")
    try scratch.write("repo/docs/new.md", "untracked\n")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let index = try repository.indexSnapshot()
    #expect(index.label == "index")
    #expect(index.revision == nil)
    #expect(try index.read("docs/a.md").text == "staged\n")
    #expect(index.blobID("docs/a.md") == (try scratch.git("rev-parse", ":docs/a.md")))
    #expect(try index.paths() == ["README.md", "docs/a.md", "docs/b.md"])
    #expect(index.conflictedPaths.isEmpty)
    #expect(throws: KeelError.self) { try index.read("docs/new.md") }
    let working = try repository.workingTreeSnapshot()
    #expect(try working.read("docs/a.md").text == "working\n")
    #expect(try working.paths() == ["README.md", "docs/a.md", "docs/b.md", "docs/new.md"])
    #expect(working.blobID("docs/a.md") == nil)
  }

  @Test func indexSnapshotWorksBeforeTheFirstCommit() throws {
    let scratch = try Scratch()
    try FileManager.default.createDirectory(at: scratch.url("repo"), withIntermediateDirectories: true)
    try scratch.git("init", "-q")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try repository.indexSnapshot().paths() == [])  // no index file yet
    #expect(try repository.stagedChanges() == [])
    try scratch.write("repo/keel.yaml", "version: 1\n")
    try scratch.write("repo/specs/first.md", "staged\n")
    try scratch.git("add", "-A")
    try scratch.write("repo/specs/first.md", "changed after staging\n")
    let index = try repository.indexSnapshot()
    #expect(repository.isHeadUnborn)
    #expect(try index.paths() == ["keel.yaml", "specs/first.md"])
    #expect(try index.read("specs/first.md").text == "staged\n")
    #expect(
      try repository.stagedChanges() == [
        PathChange(status: .added, path: "keel.yaml"), PathChange(status: .added, path: "specs/first.md"),
      ])
    #expect(try repository.changes(from: nil, to: index).count == 2)
  }

  @Test func indexSnapshotReportsConflictsAndSkipsIntentToAdd() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.git("checkout", "-q", "-b", "other", "HEAD~1")
    try scratch.write("repo/docs/a.md", "other side\n")
    try scratch.git("commit", "-q", "-am", "Other")
    try scratch.git("checkout", "-q", "main")
    #expect(throws: ScratchError.self) { try scratch.git("merge", "-q", "other") }
    try scratch.write("repo/docs/later.md", "intent to add\n")
    try scratch.git("add", "-N", "docs/later.md")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let index = try repository.indexSnapshot()
    #expect(index.conflictedPaths == ["docs/a.md"])
    #expect(try index.paths() == ["README.md", "docs/b.md"])
    let error = #expect(throws: KeelError.self) { try index.read("docs/a.md") }
    #expect(error?.message.contains("merge conflicts") == true)
  }

  @Test func workingTreeSnapshotSkipsIgnoredFiles() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.write("repo/.gitignore", "build/\n*.log\n/local.md\n")
    try scratch.write("repo/docs/.gitignore", "draft-*.md\n")
    try scratch.write("repo/.git/info/exclude", "secret.txt\n")
    try scratch.write("repo/build/out.md", "ignored directory\n")
    try scratch.write("repo/build/deep/more.md", "ignored directory\n")
    try scratch.write("repo/debug.log", "ignored by pattern\n")
    try scratch.write("repo/docs/trace.log", "ignored by pattern in a subfolder\n")
    try scratch.write("repo/local.md", "ignored at the root only\n")
    try scratch.write("repo/docs/local.md", "not ignored: the pattern is anchored\n")
    try scratch.write("repo/docs/draft-x.md", "ignored by a nested .gitignore\n")
    try scratch.write("repo/secret.txt", "ignored by info/exclude\n")
    try scratch.write("repo/notes/todo.md", "untracked, not ignored\n")
    try scratch.write("repo/vendor/lib/file.md", "inside a nested repository\n")
    try scratch.git("init", "-q", in: "repo/vendor/lib")
    try scratch.write("repo/generated/keep.md", "tracked although ignored\n")
    try scratch.write("repo/generated/skip.md", "ignored\n")
    try scratch.git("add", "-f", "generated/keep.md")
    try scratch.write("repo/.gitignore", "build/\n*.log\n/local.md\ngenerated/\n")

    let repository = try Repository.discover(from: scratch.url("repo/docs").path)
    let snapshot = try repository.workingTreeSnapshot()
    #expect(snapshot.label == "working tree")
    #expect(snapshot.revision == nil)
    #expect(
      try snapshot.paths() == [
        ".gitignore", "README.md", "docs/.gitignore", "docs/a.md", "docs/b.md", "docs/local.md",
        "generated/keep.md", "notes/todo.md",
      ])
    #expect(try snapshot.read("notes/todo.md").text == "untracked, not ignored\n")
    #expect(throws: KeelError.self) { try snapshot.read("missing.md") }
    #expect(throws: PathRefusal.self) { try snapshot.read("docs") }
    #expect(throws: PathRefusal.self) { try snapshot.read("../outside.md") }
    #expect(throws: KeelError.self) { try snapshot.read(".git/HEAD") }
    // The same list git itself gives (git shows the nested repository as a directory, `vendor/lib/`).
    let gitList = try scratch.git(
      "-c", "core.quotepath=false", "ls-files", "--cached", "--others", "--exclude-standard")
    let gitFiles = gitList.split(separator: "\n").map(String.init).filter { !$0.hasSuffix("/") }.sorted()
    #expect(try snapshot.paths() == gitFiles)
  }

  @Test func handlesPathsWithSpacesAndNonASCIINames() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let names = ["docs/my spec.md", "docs/café/naïve — ü.md", "日本語.md"]
    for (number, name) in names.enumerated() { try scratch.write("repo/" + name, "file \(number)\n") }
    try scratch.git("add", "-A")
    try scratch.git("commit", "-q", "-m", "Unicode")
    try scratch.write("repo/docs/my spec.md", "changed\n")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let snapshots: [any Snapshot] = [
      try repository.treeSnapshot(at: "HEAD"), try repository.indexSnapshot(), try repository.workingTreeSnapshot(),
    ]
    for snapshot in snapshots {
      let paths = try snapshot.paths()
      for name in names { #expect(paths.contains(name), "\(snapshot.label) lists \(name)") }
      #expect(paths == paths.sorted())
      #expect(try snapshot.read("docs/café/naïve — ü.md").text == "file 1\n")
      #expect(try snapshot.read("日本語.md").text == "file 2\n")
    }
    #expect(
      try repository.changes(base: "HEAD", head: .workingTree) == [
        PathChange(status: .modified, path: "docs/my spec.md")
      ])
    #expect(
      try repository.changes(base: "HEAD~1", head: .revision("HEAD")).map(\.path) == names.sorted())
  }

  @Test func snapshotsCanBeReadConcurrently() async throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    for number in 0..<50 {
      try scratch.write("repo/many/file-\(number).md", String(repeating: "\(number) ", count: 50))
    }
    try scratch.git("add", "-A")
    try scratch.git("commit", "-q", "-m", "Many")
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let snapshot = try repository.treeSnapshot(at: "HEAD")
    let paths = try snapshot.paths()
    let serial = try paths.map { try snapshot.read($0) }
    let parallel = try await withThrowingTaskGroup(of: (Int, Data).self) { group in
      for (position, path) in paths.enumerated() { group.addTask { (position, try snapshot.read(path)) } }
      var results = [Data](repeating: Data(), count: paths.count)
      for try await (position, data) in group { results[position] = data }
      return results
    }
    #expect(parallel == serial)
  }
}
