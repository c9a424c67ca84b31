import Foundation
import KeelTestSupport
import Testing

/// Issue 13, row 13: ESC and BEL in a title, a status or a kind name were written raw to the
/// terminal by `history`, `changelog`, `metrics`, `transition` and the `keel: error:` lines.
@Suite struct TerminalSafetyTests {
  /// A control character a terminal would act on: C0 (but line feed and tab), DEL, C1.
  private static func rawControls(_ text: String) -> [UInt32] {
    text.unicodeScalars.filter { scalar in
      (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }.map(\.value)
  }

  private func expectNoRawControls(_ result: ProcessResult, _ arguments: [String]) {
    #expect(Self.rawControls(result.stdout).isEmpty, "stdout of \(arguments): \(result.stdout.debugDescription)")
    #expect(Self.rawControls(result.stderr).isEmpty, "stderr of \(arguments): \(result.stderr.debugDescription)")
  }

  /// The state `re<ESC>[31mview<BEL>`, a title with a clear-screen sequence and a C1 CSI, written
  /// as YAML escapes (the files hold no control byte; the values do).
  private func makeRepository(kindName: String = "prd") throws -> TestRepository {
    let repository = try TestRepository()
    try repository.write(
      "keel.yaml",
      """
      version: 1
      kinds:
        "\(kindName)":
          include: ["specs/**/*.md"]
          workflow: workflows/spec.yaml
      """)
    try repository.write(
      "workflows/spec.yaml",
      #"""
      name: "spec\e]0;pwned\a"
      field: status
      initial: [draft]
      states:
        draft: {}
        "re\e[31mview\a": {}
        done: {}
      transitions: {draft: ["re\e[31mview\a"], "re\e[31mview\a": [done]}
      sla: {"re\e[31mview\a": 1d}
      """#)
    let spec = { (status: String) in
      #"""
      ---
      title: "Guest \e[2J checkout \a \u009B31m"
      status: \#(status)
      ---

      # Guest checkout

      """#
    }
    try repository.write("specs/a.md", spec("draft"))
    try repository.commitAll("Draft \u{1B}[31mguest\u{7} checkout", date: "2024-01-01T12:00:00Z")
    try repository.write("specs/a.md", spec(#""re\e[31mview\a""#))
    try repository.commitAll("Review", date: "2024-01-03T12:00:00Z")
    return repository
  }

  @Test func historyChangelogAndMetricsShowControlsVisibly() throws {
    let repository = try makeRepository()
    for arguments in [
      ["history", "specs/a.md"], ["history", "specs/a.md", "--format", "markdown"],
      ["history", "specs/a.md", "--format", "json"], ["changelog"], ["changelog", "--format", "json"],
      ["metrics", "--now", "2024-01-10"], ["metrics", "--now", "2024-01-10", "--format", "json"],
      ["metrics", "--now", "2024-01-10", "--format", "svg"], ["check"], ["check", "--format", "markdown"],
      ["check", "--format", "junit"], ["check", "--format", "json"], ["check", "--format", "sarif"],
      ["check", "--format", "github"],
    ] {
      let result = try repository.keel(arguments)
      #expect(result.status == 0 || result.status == 1, "\(arguments): \(result.stderr)")
      expectNoRawControls(result, arguments)
    }
    // The values are there, shown: `\u{1B}` for the terminal, U+FFFD in Markdown, `\u001B` in JSON.
    let history = try repository.keel(["history", "specs/a.md"])
    #expect(history.stdout.contains("state: draft -> re\\u{1B}[31mview\\u{7}"), "\(history.stdout)")
    #expect(history.stdout.contains("Draft \\u{1B}[31mguest\\u{7} checkout"))
    #expect(history.stdout.contains("\\u{9B}31m"))
    let metrics = try repository.keel(["metrics", "--now", "2024-01-10"])
    #expect(metrics.stdout.contains("re\\u{1B}[31mview\\u{7}"), "\(metrics.stdout)")
    let changelog = try repository.keel(["changelog"])
    #expect(changelog.stdout.contains("Guest \u{FFFD}\\[2J checkout \u{FFFD} \u{FFFD}31m"), "\(changelog.stdout)")
    let json = try repository.keel(["history", "specs/a.md", "--format", "json"])
    #expect(json.stdout.contains("re\\u001B[31mview\\u0007"))
  }

  @Test func transitionAndErrorLinesShowControlsVisibly() throws {
    let repository = try makeRepository()
    try repository.write("specs/b.md", "---\ntitle: B\nstatus: draft\n---\n\n# B\n")
    let moved = try repository.keel(["transition", "specs/b.md", "re\u{1B}[31mview\u{7}"])
    #expect(moved.status == 0, "\(moved.stderr)")
    #expect(moved.stdout == "specs/b.md: draft → re\\u{1B}[31mview\\u{7}\n")
    expectNoRawControls(moved, ["transition"])
    let cases: [[String]] = [
      ["transition", "specs/b.md", "no\u{1B}[2Jpe\u{7}"],  // keel: error: not a state
      ["transition", "specs/b.md", "done\u{1B}"],
      ["metrics", "--now", "\u{1B}[31m2024\u{7}"],  // keel: error: not a date
      ["history", "../\u{1B}]0;title\u{7}.md"],
      ["check", "--format", "\u{1B}[31mtext"],  // argument parser errors
      ["export", "raci", "--at", "\u{9B}31m"],
    ]
    for arguments in cases {
      let result = try repository.keel(arguments)
      #expect(result.status != 0, "\(arguments)")
      #expect(!result.stderr.isEmpty, "\(arguments)")
      expectNoRawControls(result, arguments)
    }
    let error = try repository.keel(["transition", "specs/b.md", "no\u{1B}[2Jpe\u{7}"])
    #expect(error.stderr.contains("keel: error: 'no\\u{1B}[2Jpe\\u{7}' is not a state"), "\(error.stderr)")
  }

  /// A kind name cannot carry control characters (keel.yaml's schema), so check refuses it; the
  /// refusal and every history command stay terminal-safe.
  @Test func kindNameWithControlsNeverReachesTheTerminal() throws {
    let repository = try makeRepository(kindName: #"pr\e[31md\a"#)
    for arguments in [["check"], ["changelog"], ["history", "specs/a.md"], ["metrics", "--now", "2024-01-10"]] {
      let result = try repository.keel(arguments)
      expectNoRawControls(result, arguments)
    }
  }
}
