import Foundation
import KeelTestSupport
import Testing

@Suite("keel hooks and the pre-commit framework")
struct HooksCommandTests {
  private static let keelDirectory = URL(fileURLWithPath: keelBinary).deletingLastPathComponent().path

  @Test("hooks install chains an existing hook; a bad commit is rejected; uninstall restores it byte for byte")
  func installChainsAndUninstallRestores() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.validSpec)
    try repo.commitAll("first")

    let existing = "#!/bin/sh\n# team hook\necho team-hook-ran >> \"$(git rev-parse --git-dir)/team-hook.log\"\n"
    let hook = repo.url.appendingPathComponent(".git/hooks/pre-commit")
    try Data(existing.utf8).write(to: hook)
    try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: hook.path)

    let install = try repo.keel(["hooks", "install"])
    #expect(install.status == 0, "\(install.stderr)")

    // A bad staged spec: the commit is refused, and the team's hook ran first.
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    try repo.git(["add", "specs/a.md"])
    let rejected = try runProcess("/usr/bin/git", ["commit", "-q", "-m", "bad"], in: repo.url)
    #expect(rejected.status != 0)
    #expect(
      (rejected.stdout + rejected.stderr).contains("specs/a.md:2:1: error:"), "\(rejected.stdout)\(rejected.stderr)")
    #expect(try repo.read(".git/team-hook.log").contains("team-hook-ran"))

    // Fixed: the commit goes through.
    try repo.write("specs/a.md", Fixtures.validSpec + "\nMore.\n")
    try repo.git(["add", "specs/a.md"])
    let accepted = try runProcess("/usr/bin/git", ["commit", "-q", "-m", "good"], in: repo.url)
    #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")

    let uninstall = try repo.keel(["hooks", "uninstall"])
    #expect(uninstall.status == 0)
    #expect(try Data(contentsOf: hook) == Data(existing.utf8))
    let permissions = try FileManager.default.attributesOfItem(atPath: hook.path)[.posixPermissions] as? Int
    #expect(permissions == 0o750)
  }

  @Test("hooks install honours core.hooksPath")
  func honoursHooksPath() throws {
    let repo = try TestRepository()
    try repo.git(["config", "core.hooksPath", "tools/githooks"])
    #expect(try repo.keel(["hooks", "install"]).status == 0)
    #expect(
      FileManager.default.isExecutableFile(atPath: repo.url.appendingPathComponent("tools/githooks/pre-commit").path))
    #expect(!FileManager.default.fileExists(atPath: repo.url.appendingPathComponent(".git/hooks/pre-commit").path))
  }

  /// The real pre-commit framework, using this project's `.pre-commit-hooks.yaml`.
  @Test(
    "the pre-commit framework rejects a bad commit and accepts a good one",
    .enabled(
      if: Self.preCommit != nil, "the pre-commit framework is not installed and 'pip install pre-commit' failed"),
    .enabled(
      if: Self.projectRevision != nil, "the keel project is not a Git checkout, so pre-commit cannot clone its hooks"))
  func preCommitFramework() throws {
    let preCommit = try #require(Self.preCommit)
    let hooksRevision = try #require(Self.projectRevision)
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write(
      ".pre-commit-config.yaml",
      """
      repos:
        - repo: \(packageRoot.path)
          rev: \(hooksRevision)
          hooks:
            - id: keel-check
      """)
    let cache = repo.url.appendingPathComponent(".cache-pre-commit").path
    try repo.write(".gitignore", ".cache-pre-commit/\n")
    let environment = [
      "PRE_COMMIT_HOME": cache,
      "PATH": "\(Self.keelDirectory):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")",
    ]
    let install = try runProcess(preCommit, ["install"], in: repo.url, environment: environment)
    #expect(install.status == 0, "\(install.stdout)\(install.stderr)")

    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    try repo.git(["add", "-A"])
    let bad = try runProcess("/usr/bin/git", ["commit", "-q", "-m", "bad"], in: repo.url, environment: environment)
    #expect(bad.status != 0)
    #expect((bad.stdout + bad.stderr).contains("schema/required"), "\(bad.stdout)\(bad.stderr)")

    try repo.write("specs/a.md", Fixtures.validSpec)
    try repo.git(["add", "-A"])
    let good = try runProcess("/usr/bin/git", ["commit", "-q", "-m", "good"], in: repo.url, environment: environment)
    #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
  }

  /// The commit this project is checked out at; nil when it is not a Git checkout.
  static let projectRevision: String? = {
    guard let result = try? runProcess("/usr/bin/git", ["rev-parse", "HEAD"], in: packageRoot), result.status == 0
    else { return nil }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }()

  static let preCommit = preCommitExecutable()

  /// pre-commit on PATH, else installed with pip into a private folder.
  static func preCommitExecutable() -> String? {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("keel-pre-commit-venv")
    let installed = home.appendingPathComponent("bin/pre-commit").path
    if FileManager.default.isExecutableFile(atPath: installed) { return installed }
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
      let candidate = "\(directory)/pre-commit"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    guard (try? runProcess("/usr/bin/env", ["python3", "-m", "venv", home.path]))?.status == 0,
      (try? runProcess(home.appendingPathComponent("bin/pip").path, ["install", "--quiet", "pre-commit"]))?.status == 0
    else { return nil }
    return FileManager.default.isExecutableFile(atPath: installed) ? installed : nil
  }
}
