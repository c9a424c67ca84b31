import Foundation
import KeelTestSupport

/// A temporary directory in which tests build Git repositories with the `git` command-line tool,
/// isolated from the user's configuration. Removed when released.
final class Scratch {
  let root: URL

  init() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("keelgit-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    root = directory.resolvingSymlinksInPath()
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// Runs git in `directory` (relative to the scratch root) and returns its trimmed standard output.
  @discardableResult
  func git(_ arguments: [String], in directory: String = "repo", environment extra: [String: String] = [:])
    throws -> String
  {
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
    environment.merge([
      "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
      "GIT_AUTHOR_NAME": "Ada Lovelace", "GIT_AUTHOR_EMAIL": "ada@example.com",
      "GIT_AUTHOR_DATE": "2024-03-01T10:00:00Z",
      "GIT_COMMITTER_NAME": "Grace Hopper", "GIT_COMMITTER_EMAIL": "grace@example.com",
      "GIT_COMMITTER_DATE": "2024-03-02T11:00:00Z",
    ]) { $1 }
    environment.merge(extra) { $1 }
    let result = try TestProcess.run(
      "/usr/bin/env", ["git", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"] + arguments,
      in: url(directory), environment: environment)
    guard result.status == 0 else {
      throw ScratchError("git \(arguments.joined(separator: " ")) failed: \(result.stderr)")
    }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @discardableResult
  func git(_ arguments: String..., in directory: String = "repo") throws -> String {
    try git(arguments, in: directory)
  }

  func write(_ relative: String, _ text: String) throws {
    let file = url(relative)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
  }

  func remove(_ relative: String) throws { try FileManager.default.removeItem(at: url(relative)) }

  /// A repository at `repo` with two commits:
  /// 1. `docs/a.md` = "one\n", `README.md`
  /// 2. `docs/a.md` = "two\n", `docs/b.md`
  func makeRepository(_ name: String = "repo") throws {
    try FileManager.default.createDirectory(at: url(name), withIntermediateDirectories: true)
    try git(["init", "-q"], in: name)
    try write("\(name)/README.md", "# Readme\n")
    try write("\(name)/docs/a.md", "one\n")
    try git(["add", "-A"], in: name)
    try git(["commit", "-q", "-m", "First commit"], in: name)
    try write("\(name)/docs/a.md", "two\n")
    try write("\(name)/docs/b.md", "bee\n")
    try git(["add", "-A"], in: name)
    try git(["commit", "-q", "-m", "Second commit", "-m", "With a body."], in: name)
  }
}

struct ScratchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

extension Data {
  var text: String { String(decoding: self, as: UTF8.self) }
}
