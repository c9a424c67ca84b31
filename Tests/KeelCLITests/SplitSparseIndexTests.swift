import Foundation
import KeelTestSupport
import Testing

/// Issue 13, row 17: with a split index (`git update-index --split-index`) or a sparse index,
/// `keel check --staged` exited 2, so the pre-commit hook blocked every commit.
@Suite struct SplitSparseIndexTests {
  private func makeRepository() throws -> TestRepository {
    let repository = try TestRepository()
    try Fixtures.seed(repository)
    try repository.write("specs/a.md", Fixtures.validSpec)
    try repository.write("specs/deep/b.md", Fixtures.validSpec)
    try repository.write("other/c.md", Fixtures.validSpec)
    try repository.write(
      "keel.yaml",
      Fixtures.keelYAML.replacingOccurrences(of: "[\"specs/**/*.md\"]", with: "[\"specs/**/*.md\", \"other/**/*.md\"]"))
    try repository.commitAll("Specs")
    return repository
  }

  /// Commits through the installed pre-commit hook; returns git's exit status and output.
  private func commitThroughHook(_ repository: TestRepository, _ arguments: [String]) throws -> ProcessResult {
    try runProcess(
      "/usr/bin/git", ["commit", "-q", "-m", "Through the hook"] + arguments, in: repository.url,
      environment: ["KEEL": keelBinary])
  }

  @Test func stagedCheckReadsASplitIndex() throws {
    let repository = try makeRepository()
    try repository.git(["-c", "core.splitIndex=true", "update-index", "--split-index"])
    try repository.write("specs/a.md", Fixtures.specMissingOwner)
    try repository.write("specs/new.md", Fixtures.validSpec)
    try repository.git(["add", "specs/a.md", "specs/new.md"])
    try repository.git(["rm", "-q", "--cached", "other/c.md"])
    #expect(try repository.git(["ls-files", "--stage"]).contains("specs/new.md"))
    let result = try repository.keel(["check", "--staged", "--format", "json"])
    #expect(result.status == 1, "\(result.stderr)")
    let diagnostics = try HistoryFixtures.json(result)["diagnostics"] as? [[String: Any]] ?? []
    #expect(diagnostics.map { $0["path"] as? String } == ["specs/a.md"])
    let all = try HistoryFixtures.json(try repository.keel(["check", "--staged", "--all", "--format", "json"]))
    #expect((all["summary"] as? [String: Any])?["documents"] as? Int == 3)  // a, deep/b, new; c is unstaged
    // The pre-commit hook stops the broken spec and lets the fixed one through.
    #expect(try repository.keel(["hooks", "install"]).status == 0)
    #expect(try commitThroughHook(repository, []).status != 0)
    try repository.write("specs/a.md", Fixtures.validSpec)
    try repository.git(["add", "specs/a.md"])
    let committed = try commitThroughHook(repository, [])
    #expect(committed.status == 0, "\(committed.stderr)")
    try repository.write("specs/deep/b.md", Fixtures.specMissingOwner)
    #expect(try commitThroughHook(repository, ["-a"]).status != 0)  // git commit -a: a temporary split index
    try repository.write("specs/deep/b.md", Fixtures.validSpec + "\nEdited.\n")
    #expect(try commitThroughHook(repository, ["-a"]).status == 0)
    // Review mode against the working tree reads the same index.
    #expect(try repository.keel(["check", "--base", "HEAD~1"]).status == 0)
  }

  @Test func stagedCheckReadsASparseIndex() throws {
    let repository = try makeRepository()
    try repository.git(["sparse-checkout", "init", "--cone"])
    try repository.git(["config", "index.sparse", "true"])
    try repository.git(["sparse-checkout", "set", "specs", "schemas"])
    #expect(try repository.git(["ls-files", "--stage", "--sparse"]).contains("040000"))  // other/ is one entry
    #expect(!FileManager.default.fileExists(atPath: repository.url.appendingPathComponent("other/c.md").path))
    try repository.write("specs/a.md", Fixtures.specMissingOwner)
    try repository.git(["add", "specs/a.md"])
    let result = try repository.keel(["check", "--staged", "--format", "json"])
    #expect(result.status == 1, "\(result.stderr)")
    let diagnostics = try HistoryFixtures.json(result)["diagnostics"] as? [[String: Any]] ?? []
    #expect(diagnostics.map { $0["path"] as? String } == ["specs/a.md"])
    // --all reads other/c.md from the tree of the sparse directory entry.
    let all = try HistoryFixtures.json(try repository.keel(["check", "--staged", "--all", "--format", "json"]))
    #expect((all["summary"] as? [String: Any])?["documents"] as? Int == 3)
    #expect(try repository.keel(["hooks", "install"]).status == 0)
    #expect(try commitThroughHook(repository, []).status != 0)
    try repository.write("specs/a.md", Fixtures.validSpec + "\nFixed.\n")
    try repository.git(["add", "specs/a.md"])
    let committed = try commitThroughHook(repository, [])
    #expect(committed.status == 0, "\(committed.stderr)")
    // Files outside the cone are not deletions of the working tree.
    let review = try HistoryFixtures.json(try repository.keel(["check", "--base", "HEAD~1", "--format", "json"]))
    #expect((review["summary"] as? [String: Any])?["documents"] as? Int == 1)
  }
}
