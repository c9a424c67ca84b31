import Foundation
import Testing

@testable import KeelCore

/// `keel-disable…` comments in Markdown bodies, front matter and keel's YAML files.
@Suite("Suppressions")
struct SuppressionTests {
  static let template = """
    # {{title}}

    ## Problem

    Describe the problem.

    ## Solution

    Describe the solution.
    """

  /// A PRD kind with a schema (status: draft|review|approved|shipped), the template above, people and RACI.
  static func check(_ spec: String, extra: [String: String] = [:], rules: String = "") throws -> CheckResult {
    var files = [
      "keel.yaml": """
      version: 1
      people: people.yaml
      raci: ["raci/*.yaml"]
      kinds:
        prd:
          include: ["specs/**/*.md"]
          schema: schemas/prd.yaml
          template: templates/prd.md
      \(rules)
      """,
      "schemas/prd.yaml": RuleExample.defaultSchema,
      "templates/prd.md": template,
      "people.yaml": "people:\n  - id: alice\n    name: Alice\n",
      "specs/a.md": spec,
    ]
    files.merge(extra) { $1 }
    return try Checker(snapshot: MemorySnapshot(texts: files)).run()
  }

  static func spec(frontMatter: String = "status: draft", problem: String, solution: String = "We build it.")
    -> String
  {
    "---\ntitle: T\nowner: o\n\(frontMatter)\n---\n\n# T\n\n## Problem\n\n\(problem)\n\n## Solution\n\n\(solution)\n"
  }

  static func summary(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.rule) \($0.line)" }
  }

  @Test("keel-disable-next-line suppresses that rule on the next line, with its reason; other findings stay")
  func nextLine() throws {
    let result = try Self.check(
      Self.spec(
        problem: "<!-- keel-disable-next-line template/placeholder -- drafting -->\nDescribe the problem.",
        solution: "Describe the solution."))
    #expect(Self.summary(result.diagnostics) == ["template/placeholder 16"])
    #expect(result.suppressed.map { Self.summary([$0.diagnostic]) } == [["template/placeholder 12"]])
    #expect(result.suppressed.first?.justification == "drafting")
  }

  @Test("the next line skips blank lines and other comment-only lines; another rule is not suppressed")
  func nextLineSkipsBlankAndCommentLines() throws {
    let stacked = try Self.check(
      Self.spec(
        problem: """
          <!-- keel-disable-next-line template/placeholder -->

          <!-- a note for reviewers -->
          Describe the problem.
          """))
    #expect(stacked.diagnostics.isEmpty, "\(stacked.diagnostics)")
    #expect(stacked.suppressed.count == 1)

    let otherRule = try Self.check(
      Self.spec(problem: "<!-- keel-disable-next-line template/empty-section -->\nDescribe the problem."))
    #expect(Self.summary(otherRule.diagnostics).sorted() == ["suppression/unused 11", "template/placeholder 12"])
  }

  @Test("keel-disable … keel-enable covers the lines between; a family wildcard covers the family")
  func disableEnableRange() throws {
    let ranged = try Self.check(
      Self.spec(
        problem:
          "<!-- keel-disable template/* -- imported from the wiki -->\nDescribe the problem.\n\n<!-- keel-enable template/* -->",
        solution: "Describe the solution."))
    #expect(Self.summary(ranged.diagnostics) == ["template/placeholder 18"])
    #expect(ranged.suppressed.map(\.justification) == ["imported from the wiki"])

    // Without keel-enable, the range runs to the end of the file.
    let open = try Self.check(
      Self.spec(
        problem: "<!-- keel-disable template/placeholder -->\nDescribe the problem.", solution: "Describe the solution."
      ))
    #expect(open.diagnostics.isEmpty)
    #expect(open.suppressed.count == 2)
  }

  @Test("keel-disable-line as an inline comment covers its own line; inline, `--` is not allowed (as in HTML)")
  func inline() throws {
    let inline = try Self.check(
      Self.spec(problem: "Describe the problem. <!-- keel-disable-line template/placeholder -->"))
    #expect(inline.diagnostics.isEmpty, "\(inline.diagnostics)")
    #expect(inline.suppressed.count == 1)
    // Markdown does not read an inline `<!-- … -- … -->` as a comment: it is text, and suppresses nothing.
    let withReason = try Self.check(
      Self.spec(problem: "Describe the problem. <!-- keel-disable-line template/placeholder -- later -->"))
    #expect(withReason.suppressed.isEmpty)
  }

  @Test("a comment inside a code block is text, not a suppression")
  func codeBlockIsNotAComment() throws {
    let result = try Self.check(
      Self.spec(problem: "```\n<!-- keel-disable-next-line template/placeholder -->\n```\nDescribe the problem."))
    #expect(Self.summary(result.diagnostics) == ["template/placeholder 14"])
    #expect(result.suppressed.isEmpty)
  }

  @Test("# keel-disable-line in front matter suppresses a schema finding on that line")
  func frontMatterLine() throws {
    let result = try Self.check(
      Self.spec(frontMatter: "status: shiped  # keel-disable-line schema/enum -- legacy value", problem: "Real text."))
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.suppressed.map { $0.diagnostic.rule } == ["schema/enum"])
    #expect(result.suppressed.first?.justification == "legacy value")

    // A `#` inside a quoted value is not a comment.
    let quoted = try Self.check(
      Self.spec(frontMatter: "status: \"shiped # keel-disable-line schema/enum\"", problem: "Real text."))
    #expect(Self.summary(quoted.diagnostics) == ["schema/enum 4"])
  }

  @Test("# keel-disable-line in a RACI file suppresses its finding; next-line works in YAML too")
  func raciFile() throws {
    let raci = """
      activities:
        - id: approve
          R: [alice]
          A: bob  # keel-disable-line raci/unknown-person -- contractor, not in people.yaml
        - id: ship
          R: [alice]
          # keel-disable-next-line raci/unknown-person
          A: carol
      """
    let result = try Self.check(Self.spec(problem: "Real text."), extra: ["raci/team.yaml": raci])
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(
      result.suppressed.map { "\($0.diagnostic.rule) \($0.diagnostic.path):\($0.diagnostic.line)" } == [
        "raci/unknown-person raci/team.yaml:4", "raci/unknown-person raci/team.yaml:8",
      ])
  }

  @Test("CRLF line endings: comments in front matter, body and YAML files are found on the right lines")
  func crlf() throws {
    let spec = Self.spec(
      frontMatter: "status: shiped  # keel-disable-line schema/enum",
      problem: "<!-- keel-disable-next-line template/placeholder -->\n\nDescribe the problem.",
      solution: "Describe the solution."
    ).replacingOccurrences(of: "\n", with: "\r\n")
    let raci =
      "activities:\r\n  - id: approve\r\n    R: [alice]\r\n    A: bob  # keel-disable-line raci/unknown-person\r\n"
    let result = try Self.check(spec, extra: ["raci/team.yaml": raci])
    #expect(Self.summary(result.diagnostics) == ["template/placeholder 17"], "\(result.diagnostics)")
    #expect(
      result.suppressed.map { Self.summary([$0.diagnostic]) } == [
        ["raci/unknown-person 4"], ["schema/enum 4"], ["template/placeholder 13"],
      ])
  }

  @Test("a suppression that suppresses nothing is a suppression/unused note at the comment, with a suggestion")
  func unused() throws {
    let result = try Self.check(
      Self.spec(
        frontMatter: "status: draft  # keel-disable-line schema/enum",
        problem: "<!-- keel-disable-next-line template/placeholdr -->\nReal text.\n\n<!-- keel-disable-next-line -->\n"
          + "Text."))
    let notes = result.diagnostics.filter { $0.rule == "suppression/unused" }
    #expect(notes.count == 3)
    #expect(notes.allSatisfy { $0.severity == .note })
    #expect(notes.map(location) == ["specs/a.md:4:16", "specs/a.md:11:1", "specs/a.md:14:1"])
    #expect(notes[0].message.contains("no 'schema/enum' finding here"))
    #expect(notes[1].message.contains("did you mean 'template/placeholder'?"), "\(notes[1].message)")
    #expect(notes[2].message.contains("names no rule"))
  }

  @Test("a suppression of a finding whose rule keel.yaml then turns off is still used; the note can be turned off")
  func suppressionOfAnOffRule() throws {
    let offRule = try Self.check(
      Self.spec(problem: "<!-- keel-disable-next-line template/placeholder -->\nDescribe the problem."),
      rules: "rules:\n  template/placeholder: off")
    #expect(offRule.diagnostics.isEmpty, "\(offRule.diagnostics)")
    #expect(offRule.suppressed.isEmpty)  // the finding itself is off

    let offNote = try Self.check(
      Self.spec(problem: "<!-- keel-disable-next-line schema/enum -->\nText."),
      rules: "rules:\n  suppression/unused: off")
    #expect(offNote.diagnostics.isEmpty, "\(offNote.diagnostics)")
  }

  @Test("a directive word must be whole: keel-disabled is not a directive")
  func directiveParsing() {
    #expect(Suppressions.Directive("keel-disabled x") == nil)
    let directive = Suppressions.Directive(" keel-disable-next-line a/b, c/d  e/f -- because -- really ")
    #expect(directive?.keyword == .disableNextLine)
    #expect(directive?.rules == ["a/b", "c/d", "e/f"])
    #expect(directive?.reason == "because -- really")
    #expect(Suppressions.rule("template/*", covers: "template/placeholder"))
    #expect(!Suppressions.rule("template/*", covers: "templates/x"))
  }

  @Test func theByteTestForDirectivesAgreesWithASearchOfTheText() {
    let texts = [
      "", "k", "keel", "keel-", "keel-disable", "# keel-enable x", "status: x  # keel-disable-line a", "kkeel-enable",
      "keel-disabl", "keel-enabl e", "é keel-disable-next-line", "ke el-disable", "keel-Disable",
      String(repeating: "k", count: 100),
    ]
    for text in texts {
      let expected = text.contains("keel-disable") || text.contains("keel-enable")
      #expect(Suppressions.mayHoldDirectives(text) == expected, "\(text)")
      #expect(
        Suppressions.mayHoldDirectives(text.dropFirst())
          == (text.dropFirst().contains("keel-disable")
            || text.dropFirst().contains("keel-enable")),
        "\(text)")
    }
  }
}
