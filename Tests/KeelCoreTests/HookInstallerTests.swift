import Foundation
import KeelTestSupport
import Testing

@testable import KeelCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A hooks directory in a fresh temporary folder, a fake `keel` that logs its
/// arguments, and a way to run the installed hook with `sh`.
private struct HookSandbox {
  let root: URL
  let hooks: URL
  let bin: URL
  let log: URL

  init() throws {
    root = try ReporterFixtures.temporaryDirectory()
    hooks = root.appendingPathComponent("repo/.git/hooks")
    bin = root.appendingPathComponent("bin")
    log = root.appendingPathComponent("log")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try Data().write(to: log)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }

  var hook: URL { hooks.appendingPathComponent("pre-commit") }
  var chained: URL { hooks.appendingPathComponent("pre-commit.keel-chained") }

  @discardableResult
  func write(_ text: String, to url: URL, mode: mode_t = 0o755) throws -> Data {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let data = Data(text.utf8)
    try data.write(to: url)
    chmod(url.path, mode)
    return data
  }

  /// A fake keel at `bin/keel` (or another place) that logs `keel <args>` and exits with `status`.
  func installFakeKeel(at url: URL? = nil, status: Int = 0, name: String = "keel") throws {
    try write(
      "#!/bin/sh\necho \"\(name) $*\" >> \"$LOG\"\nexit \(status)\n", to: url ?? bin.appendingPathComponent("keel"))
  }

  /// A user's own hook that logs its arguments and first line of input.
  @discardableResult
  func installUserHook(status: Int = 0, mode: mode_t = 0o755) throws -> Data {
    try write(
      "#!/bin/sh\nread line || true\necho \"user-hook args=$* stdin=$line\" >> \"$LOG\"\nexit \(status)\n", to: hook,
      mode: mode)
  }

  func runHook(
    _ url: URL? = nil, arguments: [String] = [], input: String = "", environment extra: [String: String] = [:]
  ) throws -> ProcessResult {
    var environment = ["PATH": bin.path + ":/usr/bin:/bin", "LOG": log.path]
    environment.merge(extra) { $1 }
    return try ReporterFixtures.run(
      ["sh", (url ?? hook).path] + arguments, in: root, environment: environment, input: Data(input.utf8))
  }

  func logLines() throws -> [String] {
    try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  func mode(_ url: URL) -> Int {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return -1 }
    return Int(info.st_mode & 0o7777)
  }

  func exists(_ url: URL) -> Bool {
    var info = stat()
    return lstat(url.path, &info) == 0
  }
}

@Suite struct HookInstallerTests {
  @Test func installsIntoAnEmptyOrMissingHooksDirectory() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    try sandbox.installFakeKeel()
    let installer = HookInstaller(hooksDirectory: sandbox.hooks)
    #expect(try installer.install(hook: "pre-commit") == .installed)
    #expect(sandbox.mode(sandbox.hook) == 0o755)
    #expect(!sandbox.exists(sandbox.chained))

    let result = try sandbox.runHook()
    #expect(result.status == 0)
    #expect(try sandbox.logLines() == ["keel check --staged"])
  }

  @Test func chainsAnExistingHookThatKeepsRunningFirstWithItsArgumentsAndInput() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    try sandbox.installFakeKeel()
    let original = try sandbox.installUserHook()
    let installer = HookInstaller(hooksDirectory: sandbox.hooks)

    #expect(try installer.install() == .chained(previous: sandbox.chained))
    #expect(try Data(contentsOf: sandbox.chained) == original)
    #expect(sandbox.mode(sandbox.hook) == 0o755)

    let result = try sandbox.runHook(arguments: ["one", "two words"], input: "refs line\n")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try sandbox.logLines() == ["user-hook args=one two words stdin=refs line", "keel check --staged"])
  }

  @Test func aFailingChainedHookFailsTheHookAndKeelDoesNotRun() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    try sandbox.installFakeKeel()
    try sandbox.installUserHook(status: 3)
    _ = try HookInstaller(hooksDirectory: sandbox.hooks).install()
    let result = try sandbox.runHook()
    #expect(result.status == 3)
    #expect(try sandbox.logLines() == ["user-hook args= stdin="])
  }

  @Test func keelsFailureIsTheHooksFailure() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    try sandbox.installFakeKeel(status: 1)
    try sandbox.installUserHook()
    _ = try HookInstaller(hooksDirectory: sandbox.hooks).install()
    let result = try sandbox.runHook()
    #expect(result.status == 1)
    #expect(try sandbox.logLines() == ["user-hook args= stdin=", "keel check --staged"])
  }

  @Test func aNonExecutableExistingHookIsKeptButNotRunLikeGitWould() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    try sandbox.installFakeKeel()
    let original = try sandbox.installUserHook(mode: 0o644)
    let installer = HookInstaller(hooksDirectory: sandbox.hooks)
    _ = try installer.install()
    #expect(try sandbox.runHook().status == 0)
    #expect(try sandbox.logLines() == ["keel check --staged"])
    #expect(try installer.uninstall() == .restored(hook: sandbox.hook))
    #expect(try Data(contentsOf: sandbox.hook) == original)
    #expect(sandbox.mode(sandbox.hook) == 0o644)
  }

  @Test func installingTwiceChangesNothing() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    let original = try sandbox.installUserHook()
    let installer = HookInstaller(hooksDirectory: sandbox.hooks)
    _ = try installer.install()
    let installed = try Data(contentsOf: sandbox.hook)
    #expect(try installer.install() == .alreadyInstalled)
    #expect(try Data(contentsOf: sandbox.hook) == installed)
    #expect(try Data(contentsOf: sandbox.chained) == original)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: sandbox.hooks.path).sorted() == [
        "pre-commit", "pre-commit.keel-chained",
      ])
  }

  @Test func aDifferentKeelHookIsUpdatedInPlaceKeepingTheChainedOne() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    let original = try sandbox.installUserHook()
    _ = try HookInstaller(hooksDirectory: sandbox.hooks, keelCommand: "/old/keel").install()
    let newer = HookInstaller(hooksDirectory: sandbox.hooks, keelCommand: "/new/keel")
    #expect(try newer.install() == .updated)
    #expect(try String(contentsOf: sandbox.hook, encoding: .utf8) == (try newer.script(for: "pre-commit")))
    #expect(try Data(contentsOf: sandbox.chained) == original)
    // A keel hook whose executable bit was lost is repaired too.
    chmod(sandbox.hook.path, 0o644)
    #expect(try newer.install() == .updated)
    #expect(sandbox.mode(sandbox.hook) == 0o755)
  }

  @Test func uninstallRestoresTheOriginalByteForByteWithItsPermissions() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    // Odd bytes: CRLF, no final newline, invalid UTF-8.
    var original = Data("#!/bin/sh\r\necho 'mine'\r\nexit 0".utf8)
    original.append(contentsOf: [0xFF, 0xFE, 0x00])
    try FileManager.default.createDirectory(at: sandbox.hooks, withIntermediateDirectories: true)
    try original.write(to: sandbox.hook)
    chmod(sandbox.hook.path, 0o750)
    let installer = HookInstaller(hooksDirectory: sandbox.hooks)
    _ = try installer.install()
    _ = try installer.install()
    #expect(try installer.uninstall() == .restored(hook: sandbox.hook))
    #expect(try Data(contentsOf: sandbox.hook) == original)
    #expect(sandbox.mode(sandbox.hook) == 0o750)
    #expect(!sandbox.exists(sandbox.chained))
    #expect(try installer.uninstall() == .notInstalled)
    #expect(try Data(contentsOf: sandbox.hook) == original)
  }

  @Test func uninstallRemovesKeelsHookWhenThereWasNoneBefore() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    let installer = HookInstaller(hooksDirectory: sandbox.hooks)
    _ = try installer.install()
    #expect(try installer.uninstall() == .removed)
    #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.hooks.path).isEmpty)
    #expect(try installer.uninstall() == .notInstalled)
  }

  @Test func aSymbolicLinkHookIsChainedAndRestoredAsALinkWithItsTargetUntouched() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    try sandbox.installFakeKeel()
    let shared = sandbox.root.appendingPathComponent("shared-hooks/pre-commit")
    let sharedBytes = try sandbox.write("#!/bin/sh\necho \"shared-hook\" >> \"$LOG\"\n", to: shared)
    try FileManager.default.createDirectory(at: sandbox.hooks, withIntermediateDirectories: true)
    try #require(symlink(shared.path, sandbox.hook.path) == 0)

    let installer = HookInstaller(hooksDirectory: sandbox.hooks)
    #expect(try installer.install() == .chained(previous: sandbox.chained))
    #expect(try Data(contentsOf: shared) == sharedBytes, "the link's target is not overwritten")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.chained.path) == shared.path)
    #expect(try sandbox.runHook().status == 0)
    #expect(try sandbox.logLines() == ["shared-hook", "keel check --staged"])

    #expect(try installer.uninstall() == .restored(hook: sandbox.hook))
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.hook.path) == shared.path)
    #expect(try Data(contentsOf: shared) == sharedBytes)
  }

  @Test func neverClobbersALeftoverChainedHook() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    let mine = try sandbox.installUserHook()
    let leftover = try sandbox.write("#!/bin/sh\nexit 0\n", to: sandbox.chained)
    #expect(throws: KeelError.self) { try HookInstaller(hooksDirectory: sandbox.hooks).install() }
    #expect(try Data(contentsOf: sandbox.hook) == mine)
    #expect(try Data(contentsOf: sandbox.chained) == leftover)
  }

  @Test func rejectsHooksKeelDoesNotProvide() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    let installer = HookInstaller(hooksDirectory: sandbox.hooks)
    #expect(throws: KeelError.self) { try installer.install(hook: "post-merge") }
    #expect(throws: KeelError.self) { try installer.uninstall(hook: "../pre-commit") }
    #expect(!sandbox.exists(sandbox.hooks))
  }

  @Test func findsKeelThroughKEELThenTheInstalledPathThenPATH() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    let pinned = sandbox.root.appendingPathComponent("opt dir/it's/keel")
    try sandbox.installFakeKeel(at: pinned, name: "pinned")
    let override = sandbox.root.appendingPathComponent("override-keel")
    try sandbox.installFakeKeel(at: override, name: "override")
    _ = try HookInstaller(hooksDirectory: sandbox.hooks, keelCommand: pinned.path).install()

    #expect(try sandbox.runHook(environment: ["KEEL": override.path]).status == 0)
    #expect(try sandbox.runHook().status == 0)
    try FileManager.default.removeItem(at: pinned)
    try sandbox.installFakeKeel()
    #expect(try sandbox.runHook().status == 0)
    #expect(try sandbox.logLines() == ["override check --staged", "pinned check --staged", "keel check --staged"])
  }

  @Test func withoutKeelTheHookExplainsHowToInstallItAndFails() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    _ = try HookInstaller(hooksDirectory: sandbox.hooks).install()
    let result = try sandbox.runHook()
    #expect(result.status == 1)
    #expect(result.stderr.contains("keel: command not found"))
    #expect(result.stderr.contains("KEEL"))
    #expect(result.stderr.contains("--no-verify"))
  }

  @Test func theShippedPreCommitScriptRunsKeelCheckStaged() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    let script = packageRoot.appendingPathComponent("hooks/pre-commit")
    #expect(sandbox.mode(script) & 0o111 == 0o111, "hooks/pre-commit is executable")
    let missing = try sandbox.runHook(script)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("keel: command not found"))

    try sandbox.installFakeKeel(status: 1)
    #expect(try sandbox.runHook(script).status == 1)
    let override = sandbox.root.appendingPathComponent("other-keel")
    try sandbox.installFakeKeel(at: override, name: "override")
    #expect(try sandbox.runHook(script, environment: ["KEEL": override.path]).status == 0)
    #expect(try sandbox.logLines() == ["keel check --staged", "override check --staged"])
  }

  /// The whole path through Git: the user's hook failing stops the commit; once
  /// it passes, both it and keel run and the commit is made.
  @Test func gitCommitRunsTheChainedHookAndKeel() throws {
    let sandbox = try HookSandbox()
    defer { sandbox.remove() }
    let repo = sandbox.root.appendingPathComponent("repo")
    let environment = [
      "PATH": sandbox.bin.path + ":/usr/bin:/bin", "LOG": sandbox.log.path, "HOME": sandbox.root.path,
      "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
      "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
    ]
    func git(_ arguments: String...) throws -> ProcessResult {
      try ReporterFixtures.run(["git"] + arguments, in: repo, environment: environment)
    }
    try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
    guard (try? git("init", "-q"))?.status == 0 else {
      Issue.record("git is needed for this test")
      return
    }
    try sandbox.installFakeKeel()
    try sandbox.write("#!/bin/sh\necho user-hook >> \"$LOG\"\nexit \"${USER_HOOK_STATUS:-1}\"\n", to: sandbox.hook)
    _ = try HookInstaller(hooksDirectory: sandbox.hooks).install()
    try Data("# Spec\n".utf8).write(to: repo.appendingPathComponent("spec.md"))
    #expect(try git("add", "spec.md").status == 0)

    let refused = try git("commit", "-q", "-m", "first")
    #expect(refused.status != 0)
    #expect(try sandbox.logLines() == ["user-hook"])

    let accepted = try ReporterFixtures.run(
      ["git", "commit", "-q", "-m", "first"], in: repo,
      environment: environment.merging(["USER_HOOK_STATUS": "0"]) { $1 })
    #expect(accepted.status == 0, "\(accepted.stderr)")
    #expect(try sandbox.logLines() == ["user-hook", "user-hook", "keel check --staged"])
  }
}
