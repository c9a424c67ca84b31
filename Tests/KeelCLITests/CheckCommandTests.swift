import Foundation
import KeelTestSupport
import Testing

@Suite("keel check end to end")
struct CheckCommandTests {
  @Test("--staged reads the index, not the working tree")
  func stagedReadsIndex() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.validSpec)
    try repo.commitAll("first")

    // Staged: missing owner. Working tree: valid.
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    try repo.git(["add", "specs/a.md"])
    try repo.write("specs/a.md", Fixtures.validSpec)

    let staged = try repo.keel(["check", "--staged"])
    #expect(staged.status == 1)
    #expect(staged.stdout.contains("specs/a.md:2:1: error:"))
    #expect(staged.stdout.contains("[schema/required]"))
    #expect(staged.stdout.contains("owner"))

    #expect(try repo.keel(["check"]).status == 0)

    // Swapped: staged valid, working tree broken.
    try repo.git(["add", "specs/a.md"])
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    #expect(try repo.keel(["check", "--staged"]).status == 0)
    #expect(try repo.keel(["check"]).status == 1)
  }

  @Test("--staged works on an unborn HEAD (the very first commit)")
  func stagedOnUnbornHead() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    try repo.git(["add", "-A"])
    try repo.write("specs/a.md", Fixtures.validSpec)

    let staged = try repo.keel(["check", "--staged"])
    #expect(staged.status == 1, "\(staged.stdout)\(staged.stderr)")
    #expect(staged.stdout.contains("specs/a.md:2:1: error:"))

    try repo.git(["add", "-A"])
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    let swapped = try repo.keel(["check", "--staged"])
    #expect(swapped.status == 0, "\(swapped.stdout)\(swapped.stderr)")
  }

  @Test("--rev HEAD~1 checks the documents as they were, also in a bare clone")
  func revisionAndBareClone() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    try repo.commitAll("broken")
    try repo.write("specs/a.md", Fixtures.validSpec)
    try repo.commitAll("fixed")

    #expect(try repo.keel(["check"]).status == 0)
    let old = try repo.keel(["check", "--rev", "HEAD~1"])
    #expect(old.status == 1)
    #expect(old.stdout.contains("specs/a.md:2:1: error:"))
    #expect(try repo.keel(["check", "--rev", "HEAD"]).status == 0)

    let bare = try TestRepository(plainFolder: ())
    _ = try runProcess(
      "/usr/bin/git", ["clone", "-q", "--bare", repo.url.path, bare.url.appendingPathComponent("r.git").path])
    let bareDir = bare.url.appendingPathComponent("r.git")
    let bareOld = try keel(["check", "--rev", "HEAD~1"], in: bareDir)
    #expect(bareOld.status == 1, "\(bareOld.stderr)")
    #expect(bareOld.stdout.contains("specs/a.md:2:1"))
    #expect(try keel(["check", "--rev", "main"], in: bareDir).status == 0)
    // A bare repository has no working tree or index: a clear error, exit 2.
    let noTree = try keel(["check"], in: bareDir)
    #expect(noTree.status == 2)
    #expect(noTree.stderr.contains("bare"))
  }

  @Test("exit codes: 0 clean, 1 findings, 2 usage or configuration error")
  func exitCodes() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.validSpec)
    #expect(try repo.keel(["check"]).status == 0)
    #expect(try repo.keel(["check", "--staged", "--rev", "HEAD"]).status == 2)
    #expect(try repo.keel(["check", "--format", "yaml"]).status == 2)
    #expect(try repo.keel(["check", "--rev", "no-such-branch"]).status == 2)

    try repo.write("keel.yaml", "version: 1\nkinds:\n  prd:\n    include: 12\n")
    let bad = try repo.keel(["check"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("keel.yaml:4:14"), "\(bad.stderr)")
    #expect(bad.stderr.split(separator: "\n").count == 1)

    let plain = try TestRepository(plainFolder: ())
    let missing = try keel(["check"], in: plain.url)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("keel.yaml"))
  }

  @Test("--format json has the shape README promises")
  func jsonShape() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    try repo.write("specs/b.md", Fixtures.validSpec)
    let result = try repo.keel(["check", "--format", "json"])
    #expect(result.status == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["tool"] as? String == "keel")
    #expect(object["version"] is String)
    #expect(object["source"] as? String == "working tree")
    let summary = try #require(object["summary"] as? [String: Int])
    #expect(
      summary == [
        "documents": 2, "errors": 1, "warnings": 0, "notes": 0, "files": 0, "suppressed": 0, "baselined": 0, "gone": 0,
      ])
    let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.count == 1)
    let first = try #require(diagnostics.first)
    #expect(first["rule"] as? String == "schema/required")
    #expect(first["severity"] as? String == "error")
    #expect(first["path"] as? String == "specs/a.md")
    #expect(first["line"] as? Int == 2)
    #expect(first["column"] as? Int == 1)
    #expect((first["message"] as? String)?.contains("owner") == true)
  }

  @Test("PATH arguments limit which documents are reported")
  func pathFilter() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/team-a/a.md", Fixtures.specMissingOwner)
    try repo.write("specs/team-b/b.md", Fixtures.validSpec)
    #expect(try repo.keel(["check", "specs/team-b"]).status == 0)
    #expect(try repo.keel(["check", "specs/team-a"]).status == 1)
    let sub = try keel(["check", "."], in: repo.url.appendingPathComponent("specs/team-b"))
    #expect(sub.status == 0, "\(sub.stdout)\(sub.stderr)")
  }

  @Test("--output writes the report to a file")
  func outputFile() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    let result = try repo.keel(["check", "--format", "sarif", "--output", "out/keel.sarif"])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    let sarif = try repo.read("out/keel.sarif")
    #expect(sarif.contains("\"ruleId\""))
  }

  @Test("keel init scaffolds a repository that checks clean, and refuses to overwrite")
  func initScaffold() throws {
    let repo = try TestRepository()
    let first = try repo.keel(["init"])
    #expect(first.status == 0, "\(first.stderr)")
    for path in [
      "keel.yaml", "people.yaml", "glossary.yaml", "specs/example.md", "templates/prd.md", "workflows/spec.yaml",
    ] {
      #expect(FileManager.default.fileExists(atPath: repo.url.appendingPathComponent(path).path), "\(path)")
    }
    let check = try repo.keel(["check"])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    let people = try repo.read("people.yaml")
    let again = try repo.keel(["init"])
    #expect(again.status == 2)
    #expect(again.stderr.contains("refusing to overwrite"))
    #expect(try repo.read("people.yaml") == people)
  }

  @Test("a keel repository in a folder the enclosing Git repository ignores is read as a plain folder")
  func keelRootInIgnoredFolder() throws {
    let repo = try TestRepository()
    try repo.write(".gitignore", "scratch/\n")
    let folder = repo.url.appendingPathComponent("scratch/docs")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(Fixtures.keelYAML.utf8).write(to: folder.appendingPathComponent("keel.yaml"))
    try repo.write("scratch/docs/schemas/prd.yaml", Fixtures.prdSchema)
    try repo.write("scratch/docs/specs/a.md", Fixtures.specMissingOwner)
    let result = try keel(["check"], in: folder)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stdout.contains("specs/a.md:2:1: error:"))
  }
}
