import Foundation
import Testing

@testable import KeelCore

@Suite("Baseline")
struct BaselineTests {
  static func finding(_ rule: String, _ path: String, line: Int, _ message: String = "m") -> Diagnostic {
    Diagnostic(rule: rule, message: message, path: path, line: line)
  }

  static func prints(_ diagnostics: [Diagnostic], _ lines: [String: String]) -> [String] {
    SARIFReporter.fingerprints(for: diagnostics, sourceLines: SourceLines(contents: lines))
  }

  @Test("a recorded finding matches after its line moved; a fixed one is gone; a new one is new")
  func compare() {
    let before = [Self.finding("r/a", "a.md", line: 2), Self.finding("r/b", "a.md", line: 3)]
    let baseline = Baseline(diagnostics: before, fingerprints: Self.prints(before, ["a.md": "x\nold one\nold two\n"]))
    // Two lines inserted above; the r/b finding fixed; a new r/c finding.
    let after = [Self.finding("r/a", "a.md", line: 4), Self.finding("r/c", "a.md", line: 5)]
    let comparison = baseline.compare(after, fingerprints: Self.prints(after, ["a.md": "x\n\n\nold one\nnew\n"]))
    #expect(comparison.unchanged.map(\.rule) == ["r/a"])
    #expect(comparison.kept.map(\.line) == [4])
    #expect(comparison.new.map(\.rule) == ["r/c"])
    #expect(comparison.gone.map(\.rule) == ["r/b"])
  }

  @Test("identical findings are counted: fixing one of three leaves one gone")
  func duplicates() {
    let lines = ["a.md": "same\nsame\nsame\n"]
    let three = (1...3).map { Self.finding("r/a", "a.md", line: $0) }
    let baseline = Baseline(diagnostics: three, fingerprints: Self.prints(three, lines))
    #expect(Set(baseline.entries.map(\.fingerprint)).count == 3)
    let two = Array(three.prefix(2))
    let comparison = baseline.compare(two, fingerprints: Self.prints(two, lines))
    #expect(comparison.unchanged.count == 2)
    #expect(comparison.new.isEmpty)
    #expect(comparison.gone.count == 1)
  }

  @Test("entries outside the checked scope are neither kept nor gone")
  func scope() {
    let findings = [Self.finding("r/a", "a.md", line: 1), Self.finding("r/a", "b.md", line: 1)]
    let baseline = Baseline(diagnostics: findings, fingerprints: Self.prints(findings, [:]))
    let comparison = baseline.compare([], fingerprints: [], scope: { $0 == "a.md" })
    #expect(comparison.gone.map(\.path) == ["a.md"])
  }

  @Test("a message that differs only in its numbers keeps its fingerprint (a stale warning's age)")
  func digitsDoNotCount() {
    let monday = Self.finding("workflow/stale", "a.md", line: 1, "in 'review' since 2026-01-01 (12d)")
    let tuesday = Self.finding("workflow/stale", "a.md", line: 1, "in 'review' since 2026-01-01 (13d)")
    #expect(Self.prints([monday], [:]) == Self.prints([tuesday], [:]))
  }

  @Test("the file round-trips, sorted, one finding per line; a damaged file is a located error")
  func fileFormat() throws {
    let findings = [Self.finding("r/b", "b.md", line: 1, "quote \" and ü"), Self.finding("r/a", "a.md", line: 9)]
    let baseline = Baseline(diagnostics: findings, fingerprints: Self.prints(findings, [:]))
    let text = baseline.rendered()
    #expect(text.hasPrefix("{\n  \"version\": 1,\n  \"tool\": \"keel\",\n  \"findings\": [\n    {\"rule\":\"r/a\""))
    #expect(text.split(separator: "\n").count == 8)
    #expect(try Baseline.parse(Data(text.utf8)) == baseline)
    #expect(Baseline(entries: []).rendered() == "{\n  \"version\": 1,\n  \"tool\": \"keel\",\n  \"findings\": []\n}\n")

    for broken in ["{", "[]", #"{"version": 2, "findings": []}"#, #"{"version": 1, "findings": [{"rule": 1}]}"#] {
      #expect {
        _ = try Baseline.parse(Data(broken.utf8))
      } throws: { error in
        (error as? KeelError)?.path == Baseline.fileName
      }
    }
  }
}
