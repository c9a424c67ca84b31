import Foundation
import KeelTestSupport
import Testing

/// Issue 10's acceptance repository at test size: `bench/realistic.py --layout kep` (proposal
/// folders with `kep.yaml` and a long `README.md` template with optional headings, kept text and
/// pick-one lists; merges; folder renames; the first third of the history in single-file front
/// matter; keel.yaml with `template-since:` in the last commit only).
/// The generated repository, removed when the test process exits.
nonisolated(unsafe) private var generatedFolder: String?

@Suite("generated enhancement-proposal repository (issue 10 acceptance)", .serialized)
struct KEPRepositoryTests {
  /// Generated once (about 80 proposals, 600 commits); each test works in a clone of it.
  static let generated: Result<URL, TestFailure> = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-kep-\(UUID().uuidString)")
    let script = packageRoot.appendingPathComponent("bench/realistic.py").path
    do {
      let result = try runProcess(
        "/usr/bin/env",
        ["python3", script, folder.path, "--layout", "kep", "--docs", "100", "--commits", "600", "--seed", "1"],
        in: FileManager.default.temporaryDirectory)
      guard result.status == 0 else { return .failure(TestFailure("realistic.py failed: \(result.stderr)")) }
      generatedFolder = folder.path
      atexit { generatedFolder.map { try? FileManager.default.removeItem(atPath: $0) } }
      return .success(folder)
    } catch {
      return .failure(TestFailure("python3 could not run bench/realistic.py: \(error)"))
    }
  }()

  /// A clone of the generated repository (removed with the value).
  static func clone() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.git(["fetch", "-q", "--tags", try generated.get().path, "main"])
    try repo.git(["reset", "-q", "--hard", "FETCH_HEAD"])
    return repo
  }

  /// Findings (`path:line:col: severity: message [rule]` lines) of a check's output.
  static func findings(_ output: String, under folder: String) -> [String] {
    output.split(separator: "\n").map(String.init).filter { $0.hasPrefix(folder + "/") }
  }

  /// The folder of a proposal first committed after the kind's `template-since:` (so the template
  /// binds it) that is still there at HEAD.
  static func boundFolder(_ repo: TestRepository) throws -> String {
    let config = try repo.read("keel.yaml")
    let since = try #require(
      config.split(separator: "\n").first { $0.contains("template-since:") }?.split(separator: " ").last)
    let added = try repo.git([
      "log", "--since=\(since)T00:00:00Z", "--diff-filter=A", "-M", "--format=", "--name-only", "--",
      "keps",
    ])
    let folders = added.split(separator: "\n").filter { $0.hasSuffix("/kep.yaml") }.map { String($0.dropLast(9)) }
    return try #require(
      folders.first { FileManager.default.fileExists(atPath: repo.url.appendingPathComponent($0 + "/kep.yaml").path) })
  }

  @Test("every mode and command works on the folder layout; revisions from before keel.yaml use HEAD's")
  func commands() throws {
    let repo = try Self.clone()
    let folders = try repo.git(["ls-files", "keps/*/*/kep.yaml"]).split(separator: "\n").count
    #expect(folders > 50)
    // The generated proposals keep to the template's conventions: no template finding at all, and
    // only stale warnings (the history is from 2016).
    let check = try repo.keel(["check"])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(check.stdout.contains("0 errors, "), "\(check.stdout)")
    #expect(check.stdout.contains(" in \(folders) documents"), "\(check.stdout)")
    #expect(!check.stdout.contains("[template/"), "\(check.stdout)")
    // Without the history, the template binds every proposal: the old ones lack its late sections.
    let noHistory = try repo.keel(["check", "--no-history"])
    #expect(noHistory.status == 1)
    #expect(noHistory.stdout.contains("[template/missing-section]"), "\(noHistory.stdout)")
    #expect(!noHistory.stdout.contains("[template/pick-unmet]"), "\(noHistory.stdout)")
    #expect(!noHistory.stdout.contains("[template/keep-missing]"), "\(noHistory.stdout)")

    let revision = try repo.keel(["check", "--rev", "HEAD"])
    #expect(revision.status == 0, "\(revision.stdout)\(revision.stderr)")
    #expect(revision.stdout.contains(" in \(folders) documents"), "\(revision.stdout)")
    let review = try repo.keel(["check", "--base", "HEAD~30", "--head", "HEAD"])
    #expect(review.status == 0, "\(review.stdout)\(review.stderr)")
    #expect(!review.stdout.contains("[template/"), "\(review.stdout)")

    // Before keel.yaml: HEAD's configuration, said in a note; never exit 2.
    let before = try repo.keel(["check", "--rev", "HEAD~1"])
    #expect(before.status <= 1, "\(before.stderr)")
    #expect(before.stderr.contains("has no keel.yaml; reading it with HEAD"), "\(before.stderr)")
    let root = try repo.git(["rev-list", "--max-parents=0", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    try repo.git(["tag", "old", "HEAD~100"])
    let changelog = try repo.keel(["changelog", "--since", root, "--until", "old"])
    #expect(changelog.status <= 1, "\(changelog.stderr)")
    #expect(changelog.stderr.contains("old ("), "\(changelog.stderr)")
    #expect(changelog.stderr.contains("has no keel.yaml; reading it with HEAD"), "\(changelog.stderr)")
    #expect(changelog.stdout.contains("- **keps/sig-"), "\(changelog.stdout)")
    #expect(!changelog.stdout.contains("/kep.yaml"), "folders, not their metadata files: \(changelog.stdout)")

    let metrics = try repo.keel(["metrics", "--format", "csv"])
    #expect(metrics.status == 0, "\(metrics.stderr)")
    #expect(metrics.stdout.split(separator: "\n").count == folders + 1, "one row per folder: \(metrics.stdout)")
    #expect(!metrics.stdout.contains("kep.yaml"), "\(metrics.stdout)")

    // A renamed folder: its history reaches back past the rename, through both files.
    let renamed = try repo.git(["log", "-M", "--diff-filter=R", "--format=", "--name-status", "--", "keps"])
      .split(separator: "\n").compactMap { line -> String? in
        let fields = line.split(separator: "\t")
        guard fields.count == 3, fields[2].hasSuffix("/kep.yaml") else { return nil }
        return String(fields[2].dropLast(9))
      }.first { FileManager.default.fileExists(atPath: repo.url.appendingPathComponent($0).path) }
    let folder = try #require(renamed, "the generated history renames folders")
    let history = try repo.keel(["history", folder])
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stdout.contains("renamed keps/"), "\(history.stdout)")
    #expect(history.stdout.contains("/README.md"), "\(history.stdout)")
    #expect(history.stdout.contains("/kep.yaml"), "\(history.stdout)")

    let validate = try repo.keel(
      ["schema", "validate", "--schema", "schemas/kep.schema.yaml", folder + "/kep.yaml"])
    #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
  }

  @Test("a proposal broken on purpose gives exactly the planted findings; --staged, transition and new")
  func planted() throws {
    let repo = try Self.clone()
    let folder = try Self.boundFolder(repo)
    let before = Self.findings(try repo.keel(["check"]).stdout, under: folder)
    #expect(before.allSatisfy { $0.hasSuffix("[workflow/stale]") }, "\(before)")

    // 1. A misspelt status in kep.yaml.
    var metadata = try repo.read(folder + "/kep.yaml").split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    let statusLine = try #require(metadata.firstIndex { $0.hasPrefix("status: ") })
    let status = String(metadata[statusLine].dropFirst(8))
    metadata[statusLine] = "status: shipped-ish"
    try repo.write(folder + "/kep.yaml", metadata.joined(separator: "\n"))
    // 2. The Summary section removed; 3. the kept sentence of Test Plan changed; 4. the pick-one
    // list of enablement left without a tick.
    var lines = try repo.read(folder + "/README.md").split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    let summary = try #require(lines.firstIndex(of: "## Summary"))
    let motivation = try #require(lines.firstIndex(of: "## Motivation"))
    lines.removeSubrange(summary..<motivation)
    let testPlan = try #require(lines.firstIndex(of: "### Test Plan"))
    let kept = try #require(lines[testPlan...].firstIndex { $0.hasPrefix("Items marked with (R)") })
    lines[kept] = "We test it."
    let enablement = try #require(lines.firstIndex(of: "#### How can this feature be enabled or disabled?"))
    let list = try #require(lines[enablement...].firstIndex { $0.hasPrefix("- [") })
    var item = list
    while item < lines.count, lines[item].hasPrefix("- [") {
      lines[item] = lines[item].replacingOccurrences(of: "- [x]", with: "- [ ]")
      item += 1
    }
    try repo.write(folder + "/README.md", lines.joined(separator: "\n"))

    let planted = [
      "\(folder)/kep.yaml:\(statusLine + 1):9: error: 'shipped-ish' is not one of",
      "\(folder)/README.md:\(summary + 1):1: error: missing section '## Summary'",
      "\(folder)/README.md:\(testPlan + 1):1: error: ",
      "\(folder)/README.md:\(list + 1):1: error: ",
    ]
    let rules = ["[schema/enum]", "[template/missing-section]", "[template/keep-missing]", "[template/pick-unmet]"]
    for arguments in [["check"], ["check", "--base", "HEAD"]] {
      let after = Self.findings(try repo.keel(arguments).stdout, under: folder).filter { !before.contains($0) }
      #expect(after.count == planted.count, "\(arguments): \(after)")
      for (prefix, rule) in zip(planted, rules) {
        #expect(after.contains { $0.hasPrefix(prefix) && $0.hasSuffix(rule) }, "\(arguments) \(prefix): \(after)")
      }
    }
    try repo.git(["add", "-A"])
    let staged = try repo.keel(["check", "--staged"])
    #expect(staged.status == 1)
    #expect(staged.stdout.contains("in 1 document"), "one changed folder: \(staged.stdout)")
    let stagedFindings = Self.findings(staged.stdout, under: folder)
    #expect(stagedFindings.count == planted.count, "\(stagedFindings)")

    // transition edits kep.yaml (of a clean copy of the folder), new creates a folder.
    try repo.git(["reset", "-q", "--hard", "HEAD"])
    let next = status == "provisional" ? "implementable" : status == "implementable" ? "implemented" : nil
    if let next {
      let moved = try repo.keel(["transition", folder, next])
      #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
      #expect(try repo.read(folder + "/kep.yaml").contains("\nstatus: \(next)\n"))
    } else {
      let refused = try repo.keel(["transition", folder, "provisional"])
      #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
    }
    let group = String(folder.split(separator: "/")[1])
    let created = try repo.keel(["new", "kep", "--title", "Pod groups", "--in", "keps/\(group)"])
    #expect(created.status == 0, "\(created.stdout)\(created.stderr)")
    #expect(created.stdout.contains("created keps/\(group)/"), "\(created.stdout)")
  }
}
