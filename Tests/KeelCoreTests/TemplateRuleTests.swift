import Foundation
import KeelCore
import KeelTestSupport
import Testing

/// Template compliance beyond the rules' own examples: the default PRD
/// template against documents written in every way Markdown allows.
@Suite("Template rules")
struct TemplateRuleTests {
  static func text(_ path: String) throws -> String {
    try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
  }

  static func fixture(_ name: String) throws -> String {
    try text("Tests/Fixtures/templates/\(name)")
  }

  /// A PRD kind with the default template and no schema.
  static func check(
    _ specs: [String: String], template: String? = nil, strict: Bool = false
  ) throws -> [Diagnostic] {
    var files = specs.mapKeys { "specs/\($0)" }
    files["keel.yaml"] = """
      version: 1
      kinds:
        prd:
          include: ["specs/**/*.md"]
          template: templates/prd.md
          strict: \(strict)
      """
    files["templates/prd.md"] = try template ?? text("templates/prd.md")
    return try RuleExample("test", triggers: false, files: files).run().diagnostics
  }

  static func located(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.rule) \($0.line):\($0.column)" }
  }

  @Test("setext headings, # closers, trailing spaces, punctuation, nested tasks: all match the template")
  func compliantDocument() throws {
    let findings = try Self.check(["a.md": Self.fixture("prd-compliant.md")], strict: true)
    #expect(findings.isEmpty, "\(findings)")
  }

  @Test("each template finding at its line, a heading inside a code block is not a heading")
  func brokenDocument() throws {
    let findings = try Self.check(["a.md": Self.fixture("prd-broken.md")])
    #expect(
      Set(Self.located(findings)) == [
        "template/placeholder 8:1",
        "template/empty-section 10:1",
        "template/missing-section 18:1",
        "template/checklist-item-missing 18:1",
      ])
    let missing = try #require(findings.first { $0.rule == "template/missing-section" })
    #expect(missing.message.contains("## Success metrics"))
    #expect(missing.message.contains("before '## Definition of Ready'"))
    let item = try #require(findings.first { $0.rule == "template/checklist-item-missing" })
    #expect(item.message.contains("Engineering estimate attached"))
  }

  @Test(
    "a CRLF file gives exactly the findings of the same file with LF", arguments: ["prd-compliant.md", "prd-broken.md"])
  func crlf(_ name: String) throws {
    let lf = try Self.fixture(name)
    #expect(!lf.contains("\r"))
    let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
    let expected = try Self.check(["a.md": lf]).map { "\($0.rule) \($0.line):\($0.column) \($0.message)" }
    let actual = try Self.check(["a.md": crlf]).map { "\($0.rule) \($0.line):\($0.column) \($0.message)" }
    #expect(actual == expected)
  }

  @Test("optional markers: trimmed, any case, the marker alone is no heading; ASCII and other text alike")
  func optionalMarkers() {
    let markers = Template.defaultOptionalMarkers + ["(if any)"]
    let cases: [(String, String, Bool)] = [
      ("Upgrade Strategy (Optional)", "Upgrade Strategy", true),
      ("  Story 1 [OPTIONAL]\t", "Story 1", true),
      ("Notes\t(if ANY)", "Notes", true),
      ("(Optional)", "(Optional)", false),
      ("Optional extras", "Optional extras", false),
      (" Größe (optional) ", "Größe", true),
      ("Größe", "Größe", false),
    ]
    for (text, stripped, marked) in cases {
      let result = Template.strippingOptionalMarker(text, markers: markers)
      #expect(result.0 == stripped && result.1 == marked, "\(text): \(result)")
    }
    #expect(Template.strippingOptionalMarker("Story (Optional)", markers: []) == ("Story (Optional)", false))
    #expect(Template.strippingOptionalMarker("Story (Größe)", markers: ["(größe)"]) == ("Story", true))
  }

  @Test("a CRLF template works like its LF copy")
  func crlfTemplate() throws {
    let template = try Self.text("templates/prd.md").replacingOccurrences(of: "\n", with: "\r\n")
    #expect(try Self.check(["a.md": Self.fixture("prd-compliant.md")], template: template).isEmpty)
    let broken = try Self.check(["a.md": Self.fixture("prd-broken.md")], template: template)
    #expect(broken.count == 4, "\(broken)")
  }

  @Test("the scaffold's example spec and the example repository's specs follow the default template")
  func shippedExamplesComply() throws {
    let example = try Self.text("scaffold/specs/example.md")
    let findings = try Self.check(["example.md": example]).filter { $0.rule.hasPrefix("template/") }
    #expect(findings.isEmpty, "\(findings)")
  }

  @Test("a document made of the template itself: every placeholder is reported, nothing else")
  func templateAsDocument() throws {
    let template = try Self.text("templates/prd.md")
    let findings = try Self.check(["a.md": template])
    let rules = Set(findings.map(\.rule))
    #expect(rules == ["template/placeholder"], "\(findings)")
    // Problem, Goals, Non-goals, Solution, Success metrics, Risks.
    #expect(findings.count == 6)
  }

  @Test("a document without front matter: the template's front matter is not required")
  func noFrontMatter() throws {
    let lines = try Self.fixture("prd-compliant.md").split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[6] == "---")
    let body = lines.dropFirst(7).joined(separator: "\n")
    #expect(try Self.check(["a.md": body]).isEmpty)
  }

  @Test("an empty document: every required section missing, at line 1, optional ones not")
  func emptyBody() throws {
    let findings = try Self.check(["a.md": "---\ntitle: Nothing yet\n---\n"]).filter {
      $0.rule == "template/missing-section"
    }
    // One finding for the one place, the sections in the template's order, the title as a reader sees it.
    #expect(findings.count == 1)
    #expect(findings.allSatisfy { $0.line == 3 && $0.column == 1 })
    #expect(
      findings.first?.message == "missing sections 'the document title heading', '## Problem', '## Goals', "
        + "'## Solution', '## Success metrics', '## Definition of Ready', '## Definition of Done' "
        + "required by templates/prd.md")
  }

  @Test("template conventions: (Optional) headings, kept paragraphs, pick lists; missing sections in order")
  func conventions() throws {
    let template = """
      # KEP-{{number}}: {{title}}

      ## Summary

      Describe the summary.

      ## Goals (Optional)

      Describe this if it applies.

      ## Test Plan

      <!-- keep -->
      Items marked with (R) are required.

      ### Unit Tests

      Describe the unit tests.

      ## Enablement

      <!-- pick: 2 -->
      - [ ] Feature gate
      - [ ] Configuration flag
      - [ ] Other

      ## Zebra

      Describe the zebra.

      ## Alpha

      Describe the alpha.

      """
    let kept = """
      # KEP-12: Faster pods

      ## Summary

      Pods start faster.

      ## Goals

      Less waiting.

      ## Test Plan

      Items marked with (R)
      are required.

      ### Unit Tests

      Many.

      ## Enablement

      - [x] Feature gate
      - [x] Other

      """
    let findings = try Self.check(["a.md": kept], template: template)
    // Zebra and Alpha missing at the end: one finding, in the template's order (not alphabetical).
    #expect(Self.located(findings) == ["template/missing-section 23:1"], "\(findings)")
    #expect(
      findings.first?.message
        == "missing sections '## Zebra', '## Alpha' required by templates/prd.md (expected after '## Enablement')")

    let broken =
      kept
      .replacingOccurrences(of: "# KEP-12: Faster pods\n\n", with: "")
      .replacingOccurrences(of: "(R)\nare required", with: "(R) are needed")
      .replacingOccurrences(of: "- [x] Other", with: "- [ ] Other")
      .replacingOccurrences(of: "## Goals", with: "## Goals (optional)")
    let brokenFindings = try Self.check(["a.md": broken], template: template)
    #expect(
      Set(Self.located(brokenFindings)) == [
        "template/missing-section 1:1", "template/keep-missing 9:1", "template/pick-unmet 19:1",
        "template/missing-section 20:1",
      ], "\(brokenFindings)")
    let title = try #require(brokenFindings.first { $0.line == 1 })
    #expect(title.message.contains("'# KEP-…: …'"))
    #expect(!brokenFindings.contains { $0.message.contains("{{") })
    let pick = try #require(brokenFindings.first { $0.rule == "template/pick-unmet" })
    #expect(pick.message.contains("ticks 1; tick at least 2 of"))
  }

  @Test("one section moved: only that one is out of order")
  func singleMove() throws {
    let text = try Self.fixture("prd-compliant.md")
    // Move the Problem section after Success metrics.
    let problem = "## Problem ##\n\n38% of shoppers who reach the account step abandon their basket.\n\n"
    #expect(text.contains(problem))
    let moved = text.replacingOccurrences(of: problem, with: "").replacingOccurrences(
      of: "## Definition of Ready", with: problem + "## Definition of Ready")
    let findings = try Self.check(["a.md": moved])
    #expect(findings.map(\.rule) == ["template/section-order"], "\(findings)")
    #expect(findings.first?.message.contains("'## Problem' should come after") == true)
  }

  @Test("strict: an extra section is reported, a heading in a code block is not")
  func strictExtraSection() throws {
    let text = try Self.fixture("prd-compliant.md") + "\n## Appendix\n\nLinks.\n\n```\n## Not a section\n```\n"
    let strict = try Self.check(["a.md": text], strict: true)
    #expect(Self.located(strict) == ["template/extra-section 51:1"], "\(strict)")
    #expect(try Self.check(["a.md": text], strict: false).isEmpty)
  }

  @Test("a heading at the wrong level")
  func headingLevel() throws {
    let text = try Self.fixture("prd-compliant.md").replacingOccurrences(of: "## Solution", with: "### Solution")
    let findings = try Self.check(["a.md": text])
    #expect(Self.located(findings) == ["template/heading-level 25:1"], "\(findings)")
  }

  @Test("the template's checklist items may be nested in the document, and nested in the template")
  func nestedChecklist() throws {
    let template = "# {{title}}\n\n## Checks\n\n- [ ] Legal\n  - [ ] Privacy review\n  - [ ] Terms updated\n"
    let good = "# A\n\n## Checks\n\n- [x] Terms updated\n- [ ] Legal\n  - [ ] privacy review\n"
    #expect(try Self.check(["a.md": good], template: template).isEmpty)
    let bad = "# A\n\n## Checks\n\n- [x] Legal\n  - [x] Terms updated\n"
    let findings = try Self.check(["a.md": bad], template: template)
    #expect(Self.located(findings) == ["template/checklist-item-missing 3:1"])
    #expect(findings.first?.message.contains("Privacy review") == true)
  }

  @Test("template model: optional marker, placeholders, checklist, variable heading")
  func templateModel() throws {
    let template = Template.parse(Data(try Self.text("templates/prd.md").utf8), path: "templates/prd.md")
    #expect(
      template.sections.map(\.title) == [
        "{{title}}", "Problem", "Goals", "Non-goals", "Solution", "Success metrics", "Risks", "Definition of Ready",
        "Definition of Done",
      ])
    #expect(template.sections.filter(\.isOptional).map(\.title) == ["Non-goals", "Risks"])
    #expect(template.sections[0].isWildcard && !template.sections[0].expectsContent)
    #expect(template.sections[1].placeholders == ["describe the user problem and the evidence for it."])
    #expect(
      template.sections[7].checklist == [
        "Problem validated with users", "Success metrics agreed", "Engineering estimate attached",
      ])
    #expect(template.sections[7].placeholders.isEmpty)
  }

  @Test("heading keys ignore case, surrounding and inner space, trailing punctuation")
  func keys() {
    #expect(Template.key("  Success   Metrics:  ") == "success metrics")
    #expect(Template.key("Problem?!") == "problem")
    #expect(Template.key("Non-goals.") == "non-goals")
    #expect(Template.key("{{title}}") == "{{title}}")
    #expect(Template.key("Q&A") == "q&a")
    // Symbols are not punctuation: `C++` stays itself.
    #expect(Template.key("C++") == "c++")
    #expect(Template.key("Risks…") == "risks")
    #expect(Template.key("Nächste\u{00A0}Schritte:") == "nächste schritte")
  }

  @Test("a template file named in keel.yaml that does not exist is a configuration error")
  func missingTemplate() throws {
    let example = RuleExample(
      "missing template", triggers: false,
      files: [
        "keel.yaml": "version: 1\nkinds:\n  prd:\n    include: [\"specs/*.md\"]\n    template: templates/nope.md\n",
        "specs/a.md": "# A\n",
      ])
    #expect {
      try example.run()
    } throws: { error in
      let error = error as? KeelError
      return error?.path == "keel.yaml" && error?.position?.line == 5 && error?.message.contains("nope.md") == true
    }
  }
}

extension Dictionary {
  fileprivate func mapKeys<T: Hashable>(_ transform: (Key) -> T) -> [T: Value] {
    Dictionary<T, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
  }
}
