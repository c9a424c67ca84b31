import Foundation
import JSONSchema
import Testing

@testable import KeelCore

@Suite("FastFrontMatter")
struct FastFrontMatterTests {
  private func fast(_ text: String, lineOffset: Int = 1, limits: ParseLimits = .default) -> (
    LocatedJSON?, [Diagnostic]
  )? {
    FastFrontMatter.read(text, path: "s.md", lineOffset: lineOffset, limits: limits)
  }

  /// Asserts the fast path answers and that its answer is the Yams path's.
  @discardableResult
  private func expectSameAsYams(_ text: String, lineOffset: Int = 1) -> (LocatedJSON?, [Diagnostic])? {
    guard let answer = fast(text, lineOffset: lineOffset) else {
      Issue.record("the fast path refused:\n\(text)")
      return nil
    }
    let slow = YAMLReading.read(text, path: "s.md", lineOffset: lineOffset, limits: .default)
    #expect(FastFrontMatterComparison.render(answer) == FastFrontMatterComparison.render(slow))
    return answer
  }

  @Test func readsATypicalSpec() throws {
    let text = """
      id: PRD-00042
      title: Improve flow number 42
      owner: alice   # the accountable person
      status: draft
      created: "2026-01-15"
      team: team-000
      tags: [synthetic, area-8]
      reviewers:
        - bob
        - 'carol'
      approvers: []

      # closing comment
      """
    let answer = try #require(expectSameAsYams(text + "\n"))
    guard case .object(let object)? = answer.0?.value else {
      Issue.record("not an object")
      return
    }
    #expect(object.keys == ["id", "title", "owner", "status", "created", "team", "tags", "reviewers", "approvers"])
    #expect(object["owner"] == .string("alice"))
    #expect(object["created"] == .string("2026-01-15"))
    #expect(object["tags"] == .array([.string("synthetic"), .string("area-8")]))
    #expect(object["reviewers"] == .array([.string("bob"), .string("carol")]))
    #expect(object["approvers"] == .array([]))
    let map = try #require(answer.0?.sourceMap)
    // Absolute lines: the front matter starts on line 2 of the file.
    #expect(map.keys["/owner"] == SourcePosition(line: 4, column: 1))
    #expect(map.values["/owner"] == SourcePosition(line: 4, column: 8))
    #expect(map.values["/tags/1"] == SourcePosition(line: 8, column: 19))
    #expect(map.values["/reviewers"] == SourcePosition(line: 10, column: 3))
    #expect(map.values["/reviewers/1"] == SourcePosition(line: 11, column: 5))
    #expect(answer.1.isEmpty)
  }

  @Test func typesScalarsWithTheCoreSchema() throws {
    let answer = try #require(
      expectSameAsYams(
        """
        hex: 0x1F
        octal: 0o17
        leadingZero: 010
        exponent: 1e3
        inf: -.inf
        underscore: 1_000
        tilde: ~
        empty:
        yes: yes
        bool: True
        quoted: "1"
        single: 'true'
        date: 2026-01-05

        """))
    guard case .object(let object)? = answer.0?.value else { return }
    #expect(object["hex"] == .integer(31))
    #expect(object["octal"] == .integer(15))
    #expect(object["leadingZero"] == .integer(10))
    #expect(object["exponent"] == .number(1000))
    #expect(object["inf"] == .number(-.infinity))
    #expect(object["underscore"] == .string("1_000"))
    #expect(object["tilde"] == .null)
    #expect(object["empty"] == .null)
    #expect(object["yes"] == .string("yes"))
    #expect(object["bool"] == .bool(true))
    #expect(object["quoted"] == .string("1"))
    #expect(object["single"] == .string("true"))
    #expect(object["date"] == .string("2026-01-05"))
  }

  @Test func decodesQuotedScalars() throws {
    let answer = try #require(
      expectSameAsYams(
        #"""
        a: "tab\tnewline\nquote\" slash\\ \u00e9 \x41 \U0001F600"
        b: 'it''s # not a comment'
        c: "a: b # c"
        d: ""

        """#))
    guard case .object(let object)? = answer.0?.value else { return }
    #expect(object["a"] == .string("tab\tnewline\nquote\" slash\\ é A 😀"))
    #expect(object["b"] == .string("it's # not a comment"))
    #expect(object["c"] == .string("a: b # c"))
    #expect(object["d"] == .string(""))
  }

  @Test func reportsDuplicateKeysLikeYams() throws {
    let answer = try #require(expectSameAsYams("id: a\ntags: [x]\nid: b\ntags:\n  - y\n", lineOffset: 1))
    #expect(answer.0?.value == .object(JSONObject([("id", .string("a")), ("tags", .array([.string("x")]))])))
    #expect(answer.1.map(\.rule) == ["parse/duplicate-key", "parse/duplicate-key"])
    #expect(answer.1.map(\.line) == [4, 5])
    #expect(answer.1.first?.related.first?.line == 2)
  }

  @Test func countsColumnsInUnicodeScalars() throws {
    let answer = try #require(expectSameAsYams("ключ: [é, \"🎉\", x]\ncafé: e\u{301}x\n"))
    #expect(answer.0?.sourceMap.values["/ключ/2"] == SourcePosition(line: 2, column: 16))
    #expect(answer.0?.sourceMap.values["/café"] == SourcePosition(line: 3, column: 7))
  }

  @Test func readsCRLFCommentsAndIndentlessSequences() {
    expectSameAsYams("# top\r\na: 1 # one\r\n\r\nlist:\r\n- x\r\n  # inside\r\n- 'y'\r\nb: two\r\n")
    expectSameAsYams("")
    expectSameAsYams("# only a comment\n\n")
    expectSameAsYams("key :   spaced\nx/y: 1\nt~x: 2\n", lineOffset: 0)
  }

  @Test func leavesEverythingElseToYams() {
    let outside = [
      "a: &anchor x\n", "a: *alias\n", "a: !!str 1\n", "a: {b: 1}\n", "a: |\n  text\n", "a: >\n  text\n",
      "a: first\n  continued\n", "a:\n\t- x\n", "a: x\tz\n", "? a\n: b\n", "---\na: 1\n",
      "a: 1\n...\n", "a: 1\n---\nb: 2\n", "<<: {a: 1}\n", "- a\n", "plain text\n", "a: \"multi\n  line\"\n",
      "a: 'open\n", "a: b: c\n", "a: [x, [y]]\n", "a: [x,]\n", "a: [x\n", "a: [k: v]\n", "a: \"\\q\"\n",
      "a: \"\\ud800\"\n", "a: x\u{2028}y\n", "a: x\u{85}y\n", "a: \u{FEFF}x\n", "a: x\ry\n", "a:\n  -\n",
      "a:\n  - - x\n", "a:\n  - x\n   - y\n", "a:\n  - x\n  y\n", "  a: 1\n", "a: 1\n b: 2\n", "%YAML 1.2\n---\na: 1\n",
      "a: \"x\"y\n", "a: 'x'#c\n", "a: - x\n", "a: @x\n", "a: `x`\n", "a: %x\n",
      // Nested mappings beyond one level of `key: scalar` members.
      "a:\n  b: 1\n  b: 2\n", "a:\n  b:\n", "a:\n  b:\n    c: 1\n", "a:\n  b: 1\n   c: 2\n",
      "a:\n  b: 1\n c: 2\n", "a:\n  b: [x]\n", "a:\n  b: 1\n  - x\n", "a:\n  - x\n  b: 1\n",
      "a:\n  b: 1\n- x\n", "a:\n  <<: {b: 1}\n", "a: 1\na:\n  b: 1\n", "a:\n  b: c: d\n",
    ]
    for text in outside {
      #expect(fast(text) == nil, "the fast path answered for \(text.debugDescription)")
    }
  }

  @Test func readsNestedMappingsOfScalars() throws {
    let text = """
      kep-number: 1148
      milestone:
        alpha: "v1.20"   # first
        beta: v1.22

        stable: 1.25
      stage: beta
      graduation:
          done: 'yes'
      """
    let answer = try #require(expectSameAsYams(text + "\n"))
    guard case .object(let object)? = answer.0?.value else {
      Issue.record("not an object")
      return
    }
    #expect(
      object["milestone"]
        == .object(JSONObject([("alpha", .string("v1.20")), ("beta", .string("v1.22")), ("stable", .number(1.25))])))
    #expect(object["graduation"] == .object(JSONObject([("done", .string("yes"))])))
    let map = try #require(answer.0?.sourceMap)
    #expect(map.values["/milestone"] == SourcePosition(line: 4, column: 3))
    #expect(map.keys["/milestone/beta"] == SourcePosition(line: 5, column: 3))
    #expect(map.values["/milestone/beta"] == SourcePosition(line: 5, column: 9))
    expectSameAsYams("a:\n  b: 1\nc:\n  - x\nd:\n   e: f\n")
    expectSameAsYams("id: x\nid:\n  - y\nm:\n  é: ü\n  x~y/z: 2\n")
  }

  @Test func respectsTheLimits() {
    var shallow = ParseLimits()
    shallow.maxDepth = 1
    #expect(fast("a: 1\n", limits: shallow) == nil)
    var few = ParseLimits()
    few.maxNodes = 4
    // The root, two keys and two values are five nodes: Yams reports the budget.
    #expect(fast("a: 1\nb: 2\n", limits: few) == nil)
    #expect(fast("a: 1\n", limits: few) != nil)
  }

  @Test func documentParserUsesItAndKeepsPositionsAbsolute() throws {
    let text = "---\nid: PRD-1\ntags: [a, b]\nid: again\n---\n\n# Title\n"
    let document = DocumentParser.parse(path: "s.md", data: Data(text.utf8))
    let frontMatter = try #require(document.frontMatter)
    #expect(frontMatter.content.sourceMap.values["/tags/1"] == SourcePosition(line: 3, column: 11))
    #expect(document.diagnostics.map(\.rule) == ["parse/duplicate-key"])
    #expect(document.diagnostics.first?.line == 4)
    #expect(document.bodyStartLine == 6)
  }
}
