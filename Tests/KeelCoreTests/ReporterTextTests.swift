import Foundation
import Testing

@testable import KeelCore

@Suite struct ReporterTextTests {
  @Test func rendersOneLinePerFindingThenTheSummary() {
    let output = TextReporter(colour: false).render(ReporterFixtures.review())
    #expect(
      output == """
        specs/checkout.md:3:1: error: missing required field "owner" [schema/required]
        specs/checkout.md:5:9: error: status cannot go from draft to approved (allowed: review) \
        [workflow/illegal-transition]
        workflows/spec.yaml:7:3: note: transitions of draft
        specs/checkout.md:14:9: warning: use "customer" instead of "user" | <b>avoid</b> `user`, 100% of the time: a,b \
        [glossary/avoided-term]
        specs/new spec.md:20:1: error: missing section [Solution] *after* _Problem_ [template/missing-section]
        3 errors, 1 warning in 3 documents

        """)
  }

  @Test func summaryIsSingularForOneAndMentionsNotesOnlyWhenThereAreSome() {
    let one = Report(
      toolVersion: "1", source: "index", documentCount: 1,
      diagnostics: [Diagnostic(rule: "r/x", message: "m", path: "a.md")], rules: [])
    #expect(TextReporter().render(one).hasSuffix("\n1 error, 0 warnings in 1 document\n"))

    let note = Report(
      toolVersion: "1", source: "index", documentCount: 2,
      diagnostics: [Diagnostic(rule: "r/x", severity: .note, message: "m", path: "a.md")], rules: [])
    #expect(TextReporter().render(note).hasSuffix("\n0 errors, 0 warnings, 1 note in 2 documents\n"))
    #expect(TextReporter().render(ReporterFixtures.clean()) == "0 errors, 0 warnings in 2 documents\n")
  }

  @Test func colourOnlyWhenAsked() {
    let plain = TextReporter(colour: false).render(ReporterFixtures.review())
    let coloured = TextReporter(colour: true).render(ReporterFixtures.review())
    #expect(!plain.contains("\u{1B}"))
    #expect(coloured.contains("\u{1B}[1;31merror:\u{1B}[0m"))
    #expect(coloured.contains("\u{1B}[1;33mwarning:\u{1B}[0m"))
    #expect(coloured.contains("\u{1B}[1;31m3 errors, 1 warning in 3 documents\u{1B}[0m"))
    // Removing the escape sequences gives back the plain text.
    #expect(coloured.replacing(/\x1B\[[0-9;]*m/, with: "") == plain)
  }

  @Test func controlCharactersFromDocumentsCannotDriveTheTerminal() {
    let report = Report(
      toolVersion: "1", source: "index", documentCount: 1,
      diagnostics: [Diagnostic(rule: "r/x", message: "title is \u{1B}[2J\u{7}\tbad\r\nnext", path: "a\nb.md")],
      rules: [])
    let output = TextReporter().render(report)
    #expect(!output.contains("\u{1B}"))
    #expect(!output.contains("\u{7}"))
    #expect(output.hasPrefix("a b.md:1:1: error: title is \\u{1B}[2J\\u{7}\tbad next [r/x]\n"))
  }

  @Test(
    arguments: [
      ([:], true, true),
      ([:], false, false),
      (["NO_COLOR": "1"], true, false),
      (["NO_COLOR": ""], true, true),
      (["TERM": "dumb"], true, false),
      (["TERM": "xterm-256color"], true, true),
      (["FORCE_COLOR": "1"], false, true),
      (["FORCE_COLOR": "1", "TERM": "dumb"], false, true),
      (["FORCE_COLOR": ""], false, false),
      (["FORCE_COLOR": "1", "NO_COLOR": "1"], true, false),
    ] as [([String: String], Bool, Bool)])
  func colourDecision(environment: [String: String], isTTY: Bool, expected: Bool) {
    #expect(Terminal.shouldColour(environment: environment, isTTY: isTTY) == expected)
  }

  @Test("--color always and never win over the environment and the terminal")
  func colourChoice() {
    for environment in [[:], ["NO_COLOR": "1"], ["FORCE_COLOR": "1"], ["TERM": "dumb"]] {
      for isTTY in [false, true] {
        #expect(Terminal.shouldColour(.always, environment: environment, isTTY: isTTY))
        #expect(!Terminal.shouldColour(.never, environment: environment, isTTY: isTTY))
      }
    }
  }

  @Test func everyFormatHasAReporter() {
    let report = ReporterFixtures.review()
    for format in OutputFormat.allCases {
      let output = format.reporter(colour: false).render(report)
      #expect(output.hasSuffix("\n"), "\(format) output ends with a newline")
      #expect(output.contains("schema/required"), "\(format) output names the rule")
    }
    #expect(OutputFormat(rawValue: "sarif") == .sarif)
    #expect(OutputFormat.allCases.map(\.rawValue) == ["text", "json", "sarif", "github", "junit", "markdown"])
  }

  @Test func sourceLinesSplitAtEveryKindOfLineBreak() {
    let lines = SourceLines(contents: ["a": "one\r\ntwo\rthree\nfour\n"])
    #expect(lines.text(path: "a", line: 1) == "one")
    #expect(lines.text(path: "a", line: 2) == "two")
    #expect(lines.text(path: "a", line: 3) == "three")
    #expect(lines.text(path: "a", line: 4) == "four")
    #expect(lines.text(path: "a", line: 5) == "")
    #expect(lines.text(path: "a", line: 6) == nil)
    #expect(lines.text(path: "a", line: 0) == nil)
    #expect(lines.text(path: "b", line: 1) == nil)
  }

  @Test func sourceLinesKeepNonASCIIText() {
    let lines = SourceLines(contents: ["a": "é\u{301}\n\u{301}x\r\n\r\nz🙂", "empty": ""])
    #expect(lines.text(path: "a", line: 1) == "é\u{301}")
    #expect(lines.text(path: "a", line: 2) == "\u{301}x")
    #expect(lines.text(path: "a", line: 3) == "")
    #expect(lines.text(path: "a", line: 4) == "z🙂")
    #expect(lines.text(path: "a", line: 5) == nil)
    #expect(lines.text(path: "empty", line: 1) == "")
    #expect(lines.text(path: "empty", line: 2) == nil)
  }

  @Test("findings sort by path, line, column, rule, then message")
  func diagnosticOrder() {
    func finding(_ path: String, _ line: Int, _ column: Int, _ rule: String, _ message: String) -> Diagnostic {
      Diagnostic(rule: rule, message: message, path: path, line: line, column: column)
    }
    let sorted = [
      finding("a", 1, 1, "r/a", "m"), finding("a", 1, 1, "r/a", "n"), finding("a", 1, 1, "r/b", "a"),
      finding("a", 1, 2, "r/a", "a"), finding("a", 2, 1, "r/a", "a"), finding("b", 1, 1, "r/a", "a"),
    ]
    #expect(sorted.reversed().sorted() == sorted)
    #expect(!(sorted[0] < sorted[0]))
  }

  @Test("a terminal line: text without control characters is kept, the others are escaped")
  func singleLineText() {
    #expect(TextKit.terminalLine("plain é © text") == "plain é © text")
    #expect(TextKit.terminalLine("a\r\nb\u{1B}[31m\u{85}c\u{7F}") == "a b\\u{1B}[31m\\u{85}c\\u{7F}")
  }

  @Test func sourceLinesReadFromASnapshot() {
    let snapshot = MemorySnapshot(files: ["a.md": Data("x\ny".utf8), "bin": Data([0xFF, 0xFE])])
    let lines = SourceLines(snapshot: snapshot, paths: ["a.md", "bin", "missing"])
    #expect(lines.text(path: "a.md", line: 2) == "y")
    #expect(lines.text(path: "bin", line: 1) == nil)
    #expect(lines.text(path: "missing", line: 1) == nil)
  }
}
