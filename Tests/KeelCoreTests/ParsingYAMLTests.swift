import Foundation
import JSONSchema
import Testing

@testable import KeelCore

@Suite("YAMLReader")
struct ParsingYAMLTests {
  private func read(_ text: String, lineOffset: Int = 0, limits: ParseLimits = .default) -> (LocatedJSON?, [Diagnostic])
  {
    YAMLReader.read(text, path: "f.yaml", lineOffset: lineOffset, limits: limits)
  }

  private func object(_ text: String) throws -> JSONObject {
    let (value, diagnostics) = read(text)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    guard case .object(let object)? = value?.value else {
      Issue.record("not an object: \(String(describing: value?.value))")
      throw CancellationError()
    }
    return object
  }

  @Test func coreSchemaKeepsYAML11WordsAsStrings() throws {
    let object = try object(
      """
      a: no
      b: on
      c: yes
      d: 2024-01-01
      e: 1_000
      f: off
      g: Yes
      h: y
      """)
    #expect(object["a"] == .string("no"))
    #expect(object["b"] == .string("on"))
    #expect(object["c"] == .string("yes"))
    #expect(object["d"] == .string("2024-01-01"))
    #expect(object["e"] == .string("1_000"))
    #expect(object["f"] == .string("off"))
    #expect(object["g"] == .string("Yes"))
    #expect(object["h"] == .string("y"))
  }

  @Test func coreSchemaNumbersBooleansAndNulls() throws {
    let object = try object(
      """
      hex: 0x1F
      octal: 0o17
      decimal: -42
      plus: +7
      leadingZero: 010
      exponent: 1.5e3
      float: 2.5
      dot: .5
      inf: -.inf
      big: 123456789012345678901234567890
      t: true
      f: FALSE
      n1: null
      n2: ~
      n3:
      quoted: "1"
      single: 'true'
      block: |
        42
      last: 0
      """)
    #expect(object["hex"] == .integer(31))
    #expect(object["octal"] == .integer(15))
    #expect(object["decimal"] == .integer(-42))
    #expect(object["plus"] == .integer(7))
    #expect(object["leadingZero"] == .integer(10))
    #expect(object["exponent"] == .number(1500))
    #expect(object["float"] == .number(2.5))
    #expect(object["dot"] == .number(0.5))
    #expect(object["inf"] == .number(-.infinity))
    #expect(object["big"] == .number(Double("123456789012345678901234567890")!))
    #expect(object["t"] == .bool(true))
    #expect(object["f"] == .bool(false))
    #expect(object["n1"] == .null)
    #expect(object["n2"] == .null)
    #expect(object["n3"] == .null)
    #expect(object["quoted"] == .string("1"))
    #expect(object["single"] == .string("true"))
    #expect(object["block"] == .string("42\n"))
  }

  @Test func notNumbers() throws {
    let object = try object(
      """
      a: 1.2.3
      b: 0x
      c: 1e
      d: +-1
      e: 0b101
      f: inf
      g: nan
      h: 12:30
      """)
    for key in ["a", "b", "c", "d", "e", "f", "g"] {
      guard case .string? = object[key] else {
        Issue.record("\(key) should be a string: \(String(describing: object[key]))")
        continue
      }
    }
    #expect(object["h"] == .string("12:30"))
  }

  @Test func explicitTagsAreHonoured() throws {
    let object = try object(
      """
      s: !!str 123
      i: !!int "0x10"
      f: !!float 3
      b: !!bool "true"
      n: !!null ""
      l: !!seq [a]
      m: !!map {k: v}
      plain: ! 5
      """)
    #expect(object["s"] == .string("123"))
    #expect(object["i"] == .integer(16))
    #expect(object["f"] == .number(3))
    #expect(object["b"] == .bool(true))
    #expect(object["n"] == .null)
    #expect(object["l"] == .array([.string("a")]))
    #expect(object["plain"] == .string("5"))
  }

  /// Issue 13, row 19: a tag other tools act on is read as plain YAML, with a
  /// warning at the tag (after an anchor, on keys, lists and mappings too).
  @Test func unknownTagsAreWarnedAtTheTag() {
    let (value, diagnostics) = read(
      """
      cmd: !!python/object:os.system ls
      custom: !thing 5
      list: &l !!python/object/apply:os.system [rm]
      !!python/name:x key: v
      again: *l
      map: !local {a: 1}
      """)
    guard case .object(let object)? = value?.value else {
      Issue.record("not an object: \(String(describing: value))")
      return
    }
    #expect(object["cmd"] == .string("ls"))
    #expect(object["custom"] == .string("5"))
    #expect(object["list"] == .array([.string("rm")]))
    #expect(object["key"] == .string("v"))
    #expect(diagnostics.allSatisfy { $0.rule == "parse/unknown-tag" && $0.severity == .warning })
    let positions = diagnostics.map { "\($0.line):\($0.column)" }
    #expect(positions.sorted() == ["1:6", "2:9", "3:10", "4:1", "6:6"])
    #expect(diagnostics.contains { $0.message.contains("'!!python/object:os.system'") })
  }

  @Test func unknownTagWarningsAreCappedAndEscaped() {
    let list = (0..<500).map { "!t\($0) x" }.joined(separator: ", ")
    let (_, diagnostics) = read("a: [\(list)]\n")
    #expect(diagnostics.count == YAMLConverter.maximumTagWarnings)
    let (_, escaped) = read("b: !e%1B%5B31m x\n")
    #expect(escaped.map(\.rule) == ["parse/unknown-tag"])
    #expect(escaped.map(\.message).allSatisfy { !$0.unicodeScalars.contains("\u{1B}") })
    #expect(escaped.first?.message.contains("\\u{1b}") == true)
  }

  @Test func badExplicitTagIsLocated() {
    let (value, diagnostics) = read("a: 1\nb: !!int twelve\n")
    #expect(value == nil)
    #expect(diagnostics.map(\.rule) == ["parse/yaml"])
    #expect(diagnostics.first?.line == 2)
    #expect(diagnostics.first?.column == 4)
  }

  @Test func nonStringKeysBecomeTheirText() throws {
    let object = try object("1: one\ntrue: yes\nnull: x\n0x10: sixteen\n")
    #expect(object.keys == ["1", "true", "null", "0x10"])
  }

  @Test func positionsOfNestedKeysAndValuesWithOffset() throws {
    let text = """
      title: Checkout
      owner:
        name: Ana
        team: payments
      tags:
        - a
        - "b"
      flow: {x: 1, y: [2, 3]}
      """
    let (value, diagnostics) = read(text, lineOffset: 4)
    #expect(diagnostics.isEmpty)
    let map = try #require(value?.sourceMap)
    #expect(map.values[""] == SourcePosition(line: 5, column: 1))
    #expect(map.keys["/title"] == SourcePosition(line: 5, column: 1))
    #expect(map.values["/title"] == SourcePosition(line: 5, column: 8))
    #expect(map.keys["/owner"] == SourcePosition(line: 6, column: 1))
    #expect(map.keys["/owner/name"] == SourcePosition(line: 7, column: 3))
    #expect(map.values["/owner/name"] == SourcePosition(line: 7, column: 9))
    #expect(map.keys["/owner/team"] == SourcePosition(line: 8, column: 3))
    #expect(map.values["/tags/0"] == SourcePosition(line: 10, column: 5))
    #expect(map.values["/tags/1"] == SourcePosition(line: 11, column: 5))
    #expect(map.keys["/flow/y"] == SourcePosition(line: 12, column: 14))
    #expect(map.values["/flow/y/1"] == SourcePosition(line: 12, column: 21))
  }

  @Test func columnsCountUnicodeScalars() throws {
    let (value, _) = read("név: \"é😀\"\nx: ✓ tick\n")
    let map = try #require(value?.sourceMap)
    #expect(map.values["/név"] == SourcePosition(line: 1, column: 6))
    #expect(map.values["/x"] == SourcePosition(line: 2, column: 4))
  }

  @Test func pointerTokensAreEscaped() throws {
    let (value, _) = read("a/b: 1\nc~d: 2\n")
    let map = try #require(value?.sourceMap)
    #expect(map.keys["/a~1b"] == SourcePosition(line: 1, column: 1))
    #expect(map.keys["/c~0d"] == SourcePosition(line: 2, column: 1))
  }

  @Test func malformedYAMLIsLocated() {
    let (value, diagnostics) = read("title: ok\nlist: [a, b\nnext: 1\n", lineOffset: 1)
    #expect(value == nil)
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.rule == "parse/yaml")
    #expect(diagnostics.first?.line == 4)
    #expect(diagnostics.first?.column == 5)
  }

  @Test func badIndentationIsLocated() {
    let (_, diagnostics) = read("a:\n  b: 1\n c: 2\n")
    #expect(diagnostics.map(\.rule) == ["parse/yaml"])
    #expect(diagnostics.first?.line == 3)
  }

  @Test func tabIndentationHasAClearMessage() {
    let (value, diagnostics) = read("owner:\n\tname: Ana\n", lineOffset: 1)
    #expect(value == nil)
    let diagnostic = diagnostics.first
    #expect(diagnostic?.rule == "parse/yaml")
    #expect(diagnostic?.message.contains("tab") == true)
    #expect(diagnostic?.line == 3)
    #expect(diagnostic?.column == 1)
  }

  @Test func tabAfterIndentationSpacesIsLocated() {
    let (_, diagnostics) = read("owner:\n  name: Ana\n  \tteam: x\n")
    #expect(diagnostics.first?.rule == "parse/yaml")
    #expect(diagnostics.first?.message.contains("tab") == true)
    #expect(diagnostics.first?.line == 3)
    #expect(diagnostics.first?.column == 3)
  }

  @Test func tabAsSeparatorIsFine() throws {
    let object = try object("a:\t1\n")
    #expect(object["a"] == .integer(1))
  }

  @Test func duplicateKeyIsReportedAtTheSecondOccurrence() {
    let (value, diagnostics) = read("title: A\nowner: bob\ntitle: B\n", lineOffset: 1)
    #expect(diagnostics.count == 1)
    let diagnostic = diagnostics.first
    #expect(diagnostic?.rule == "parse/duplicate-key")
    #expect(diagnostic?.line == 4)
    #expect(diagnostic?.column == 1)
    #expect(diagnostic?.related.first?.line == 2)
    #expect(diagnostic?.message.contains("'title'") == true)
    // The first value is kept so other checks can still run.
    if case .object(let object)? = value?.value {
      #expect(object["title"] == .string("A"))
    } else {
      Issue.record("expected an object")
    }
  }

  @Test func duplicateKeysNestedQuotedAndRepeated() {
    let text = """
      outer:
        inner: 1
        other: 2
        "inner": 3
      k: a
      k: b
      k: c
      """
    let (_, diagnostics) = read(text)
    let located = diagnostics.map { "\($0.rule) \($0.line):\($0.column)" }.sorted()
    #expect(
      located == [
        "parse/duplicate-key 4:3", "parse/duplicate-key 6:1", "parse/duplicate-key 7:1",
      ])
  }

  @Test func duplicateKeyInFlowMappingWithUnicode() {
    let (_, diagnostics) = read("m: {é: 1, b: 2, é: 3}\n")
    #expect(diagnostics.map(\.rule) == ["parse/duplicate-key"])
    #expect(diagnostics.first?.line == 1)
    #expect(diagnostics.first?.column == 17)
  }

  @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
    let object = try object("a: &a {x: 1}\nb:\n  \"<<\": *a\n")
    #expect(object["b"] == .object(JSONObject([("<<", .object(JSONObject([("x", .integer(1))])))])))
  }

  @Test func mergeKeys() throws {
    let object = try object(
      """
      defaults: &defaults
        status: draft
        owner: ana
      extra: &extra
        owner: bob
        team: core
      spec:
        <<: [*defaults, *extra]
        owner: carl
      """)
    guard case .object(let spec)? = object["spec"] else {
      Issue.record("spec is not an object")
      return
    }
    #expect(spec["status"] == .string("draft"))
    #expect(spec["owner"] == .string("carl"))
    #expect(spec["team"] == .string("core"))
    #expect(spec.count == 3)
  }

  @Test func aliasesExpandWithAnchorPositions() throws {
    let (value, diagnostics) = read("base: &b [1, 2]\ncopy: *b\n")
    #expect(diagnostics.isEmpty)
    guard case .object(let object)? = value?.value else { throw CancellationError() }
    #expect(object["copy"] == .array([.integer(1), .integer(2)]))
    #expect(value?.sourceMap.keys["/copy"] == SourcePosition(line: 2, column: 1))
    #expect(value?.sourceMap.values["/copy/1"] != nil)
  }

  @Test func billionLaughsIsStoppedQuickly() {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
      let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
      text += "a\(level): &a\(level) [\(refs)]\n"
    }
    let (value, diagnostics) = read(text, lineOffset: 2)
    #expect(value == nil)
    #expect(diagnostics.map(\.rule) == ["parse/alias-bomb"])
    // Blamed on a line of the file, within the anchors' lines.
    #expect((3...12).contains(diagnostics.first?.line ?? 0))
  }

  @Test func mergeKeyBombIsStopped() {
    var text = "m0: &m0 {a: 1, b: 2}\n"
    for level in 1...30 {
      text += "m\(level): &m\(level) {<<: [*m\(level - 1), *m\(level - 1), *m\(level - 1)]}\n"
    }
    let (_, diagnostics) = read(text)
    #expect(diagnostics.map(\.rule) == ["parse/alias-bomb"])
  }

  @Test func aliasInComplexKeyIsRefused() {
    let text = "a: &a [x, x]\nb: &b [*a, *a]\n? *b\n: value\n"
    let (value, diagnostics) = read(text)
    #expect(value == nil)
    #expect(diagnostics.map(\.rule) == ["parse/yaml"])
    #expect(diagnostics.first?.line == 3)
  }

  @Test func complexKeyWithoutAliasIsAnError() {
    let (value, diagnostics) = read("[a, b]: 1\n")
    #expect(value == nil)
    #expect(diagnostics.map(\.rule) == ["parse/yaml"])
    #expect(diagnostics.first?.line == 1)
  }

  /// 10,000 levels where the text stays small; a block mapping needs one
  /// more space per level, so 1,400 levels already make a 1 MB file.
  @Test(arguments: ["block mapping", "compact sequence", "flow sequence", "flow mapping"])
  func deepNestingIsRefusedWithoutCrashing(style: String) {
    let depth = 10_000
    let text: String
    switch style {
    case "block mapping":
      text = (0..<1_400).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " end\n"
    case "compact sequence":
      text = String(repeating: "- ", count: depth) + "end\n"
    case "flow sequence":
      text = "key: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
    default:
      text = "key: " + String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth) + "\n"
    }
    let (value, diagnostics) = read(text, lineOffset: 1)
    #expect(value == nil)
    #expect(diagnostics.map(\.rule) == ["parse/too-deep"])
    let position = SourcePosition(line: diagnostics.first?.line ?? 0, column: diagnostics.first?.column ?? 0)
    switch style {
    case "block mapping":
      #expect((60...140).contains(position.line))
    default:
      #expect(position.line == 2)
      #expect((30...600).contains(position.column))
    }
  }

  @Test func apostropheInAFlowScalarDoesNotHideDeepNesting() {
    let text = "a: [l'équipe,\n" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_001) + "\n"
    let (_, diagnostics) = read(text)
    #expect(diagnostics.map(\.rule) == ["parse/too-deep"])
    #expect(diagnostics.first?.line == 2)
  }

  @Test func ordinaryDeepLookingTextIsNotRefused() throws {
    var text = "title: \"a [[[[ quoted\"\nplain: l'équipe [[[[ {{{{\ncode: |\n"
    for level in 0..<300 { text += String(repeating: " ", count: 2 + level) + "- - - [\n" }
    text += "tags: [a, 'b [[[[', \"c {{{{\"]\n"
    let object = try object(text)
    #expect(object["plain"] == .string("l'équipe [[[[ {{{{"))
    #expect(object["tags"] == .array([.string("a"), .string("b [[[["), .string("c {{{{")]))
  }

  @Test func nestingJustOverTheLimitIsCaughtExactly() {
    var limits = ParseLimits()
    limits.maxDepth = 5
    let within = "a: [[[[[1]]]]]\n"  // root, a, then 5 arrays: the scalar is at depth 6
    let (_, ok) = read(
      within,
      limits: {
        var l = limits; l.maxDepth = 6; return l
      }())
    #expect(ok.isEmpty)
    let (value, diagnostics) = read(within, limits: limits)
    #expect(value == nil)
    #expect(diagnostics.map(\.rule) == ["parse/too-deep"])
    #expect(diagnostics.first?.line == 1)
  }

  @Test func multipleDocumentsAreReported() {
    let (value, diagnostics) = read("a: 1\n---\nb: 2\n", lineOffset: 0)
    #expect(diagnostics.map(\.rule) == ["parse/multiple-documents"])
    #expect(diagnostics.first?.line == 2)
    #expect(diagnostics.first?.message.contains("second YAML document") == true)
    if case .object(let object)? = value?.value { #expect(object["a"] == .integer(1)) }
  }

  @Test func explicitDocumentStartIsOneDocument() {
    let (value, diagnostics) = read("---\na: 1\n")
    #expect(diagnostics.isEmpty)
    #expect(value?.value == .object(JSONObject([("a", .integer(1))])))
  }

  @Test func emptyYAMLIsNull() {
    let (value, diagnostics) = read("# only a comment\n")
    #expect(diagnostics.isEmpty)
    #expect(value?.value == .null)
  }

  @Test func controlCharacterIsLocated() {
    let (_, diagnostics) = read("a: 1\nb: x\u{7}y\n")
    #expect(diagnostics.map(\.rule) == ["parse/yaml"])
    #expect(diagnostics.first?.line == 2)
    #expect(diagnostics.first?.column == 5)
  }

  @Test func readDataHandlesBOMAndCRLF() throws {
    var data = Data([0xEF, 0xBB, 0xBF])
    data.append(Data("title: Hello\r\nowner:\r\n  name: Ana\r\n".utf8))
    let (value, diagnostics) = YAMLReader.read(data: data, path: "p.yaml")
    #expect(diagnostics.isEmpty)
    guard case .object(let object)? = value?.value else { throw CancellationError() }
    #expect(object["title"] == .string("Hello"))
    #expect(object["owner"] == .object(JSONObject([("name", .string("Ana"))])))
    #expect(value?.sourceMap.values["/owner/name"] == SourcePosition(line: 3, column: 9))
  }

  @Test func readDataRejectsInvalidUTF8AndConflictMarkers() {
    let bad = YAMLReader.read(data: Data([0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A]), path: "p.yaml")
    #expect(bad.1.map(\.rule) == ["parse/encoding"])
    #expect(bad.1.first?.column == 4)
    let conflict = YAMLReader.read(
      data: Data("a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> x\n".utf8), path: "p.yaml")
    #expect(conflict.1.filter { $0.rule == "parse/conflict-marker" }.map(\.line) == [2, 4, 6])
  }
}
