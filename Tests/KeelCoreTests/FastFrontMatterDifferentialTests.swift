import JSONSchema
import KeelTestSupport
import Testing

@testable import KeelCore

/// Generates front matters from the subset the fast path reads and from near
/// misses around it, and checks that whenever the fast path answers, its
/// answer is exactly the Yams path's: values, source map and diagnostics.
@Suite("FastFrontMatter differential")
struct FastFrontMatterDifferentialTests {
  @Test(arguments: [1, 2, 3, 4])
  func fastPathAgreesWithYams(seed: UInt64) {
    var generator = FrontMatterGenerator(seed: seed)
    var fastAnswers = 0
    var mismatches = 0
    let cases = 2000
    for _ in 0..<cases {
      let (text, lineOffset) = generator.frontMatter()
      let slow = YAMLReading.read(text, path: "s.md", lineOffset: lineOffset, limits: .default)
      guard let fast = FastFrontMatter.read(text, path: "s.md", lineOffset: lineOffset, limits: .default) else {
        continue
      }
      fastAnswers += 1
      let fastRendering = FastFrontMatterComparison.render(fast)
      let slowRendering = FastFrontMatterComparison.render(slow)
      if fastRendering != slowRendering {
        mismatches += 1
        if mismatches <= 5 {
          Issue.record(
            "fast path differs for:\n\(text.debugDescription)\n--- fast:\n\(fastRendering)\n--- yams:\n\(slowRendering)"
          )
        }
      }
    }
    #expect(mismatches == 0)
    // The generator leans towards the subset: the comparison must not be vacuous.
    #expect(fastAnswers > cases / 3, "the fast path answered only \(fastAnswers) of \(cases)")
    #expect(fastAnswers < cases, "near misses never reached Yams")
  }
}

/// A canonical text of a reader's answer: key order, integer/number, NaN and
/// every source-map entry included, so two answers compare exactly.
enum FastFrontMatterComparison {
  static func render(_ answer: (LocatedJSON?, [Diagnostic])) -> String {
    var lines: [String] = []
    if let located = answer.0 {
      lines.append("value: " + render(located.value))
      for (pointer, position) in located.sourceMap.values.sorted(by: { $0.key < $1.key }) {
        lines.append("value \(pointer.debugDescription) at \(position.line):\(position.column)")
      }
      for (pointer, position) in located.sourceMap.keys.sorted(by: { $0.key < $1.key }) {
        lines.append("key \(pointer.debugDescription) at \(position.line):\(position.column)")
      }
    } else {
      lines.append("no value")
    }
    for diagnostic in answer.1 {
      lines.append("\(diagnostic)")
    }
    return lines.joined(separator: "\n")
  }

  static func render(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool(let bool): "\(bool)"
    case .integer(let integer): "int(\(integer))"
    case .number(let number): "num(\(number))"
    case .string(let string): "str(\(string.debugDescription) \(Array(string.unicodeScalars.map(\.value))))"
    case .array(let array): "[" + array.map(render).joined(separator: ", ") + "]"
    case .object(let object):
      "{" + object.map { "\($0.key.debugDescription): \(render($0.value))" }.joined(separator: ", ") + "}"
    }
  }
}

/// Random front matters: mostly the subset, with near misses mixed in.
struct FrontMatterGenerator {
  private var random: SeededGenerator
  /// Whether the current front matter may contain near misses (else it stays
  /// in the subset, bar the odd value the fast path must still refuse).
  private var nearMisses = true

  init(seed: UInt64) { random = SeededGenerator(state: (seed &+ 1) &* 0xD1B5_4A32_D192_ED03) }

  private mutating func next() -> UInt64 { random.next() }

  private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
  private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  private mutating func pick(_ options: [String]) -> String { options[below(options.count)] }

  static let keys = [
    "id", "title", "owner", "status", "tags", "created", "team", "a", "b", "my key", "x/y", "t~x", "é", "ключ",
    "key ", "1", "null", "true", "a:b", "a[0]", "k'q", ".x", "emoji🎉", "e\u{301}", "\u{E9}",
  ]
  static let nearMissKeys = [
    "<<", "-x", "? x", "&a x", "*a", "!t x", "a #b", "a#b", "\"q\"", "'q'", "[a]", "{a}", "%x", "@x", "`x`",
    "---", "...", "- a", "|", ">", ",x", ":x", "  indented",
  ]
  static let plains = [
    "alice", "draft", "Improve flow number 42", "0x1F", "0o17", "0x", "0xZZ", "1e3", "1.5", ".5", "1.", "1.e5",
    "-1e-3", "1e", ".", ".inf", "-.inf", "+.inf", ".NaN", ".nan", "010", "-0", "+1", "1_000", "~", "null",
    "Null", "NULL", "True", "true", "FALSE", "yes", "no", "on", "2026-01-05", "2026-01-05T10:00:00Z", "12:30",
    "a:b", "http://x.y/z", "a#b", "-x", "-1", "a, b", "a [b] {c}", "Ünïcödé", "emoji 🎉", "l'équipe",
    "say \"hi\"", "a  b", "123456789012345678901234567890", "9223372036854775807", "9223372036854775808",
    "e\u{301}", "ñ", "a\u{A0}b", "x%y", "a@b", "a`b", "a*b", "a&b", "a!b", "a|b", "a>b", "a?b", "a - b",
    "---x", "a\"", "a'", "a#",
  ]
  static let nearMissPlains = [
    "%", "-",
    "a: b", "x:", "- x", "---", "...", "[a", "{a: 1}", "&anchor x", "*alias", "!tag x", "!!str 1", "!!int 3", "|",
    ">", "%x", "@x", "`x`", "?x", "? x", ":x", ": x", "a\tb", "a\u{85}b", "a\u{2028}b", "a\u{FEFF}b", "a\rb",
    "a\u{7F}b", "a\u{1}b", "#x", ",x", "]x", "}x",
  ]
  static let doubleQuoted = [
    #""""#, #""a b""#, #""a # b""#, #""a: b""#, #""esc \n \t \\ \"""#, #""\u00e9""#, #""\x41""#, #""\U0001F600""#,
    #""\/""#, #""\N\_\L\P""#, #""\0""#, #""\a\b\e\f\v\r""#, #""\ ""#, #""1""#, #""true""#, #""né""#, #""'""#,
    #""[a, b]""#, #""\x7F\x85""#, #""\u00E9\u00e9""#,
  ]
  static let singleQuoted = [
    "''", "'a'", "'it''s'", "'a # b'", #"'\n'"#, "''''", "'a: b'", #"'"'"#, "'é'", "'x'''", "'1'",
  ]
  static let nearMissQuoted = [
    #""\ud800""#, #""\q""#, #""unterminated"#, #""a"b"#, ##""a"#c"##, #""\x4""#, #""\U00110000""#, #""trailing\""#,
    #""\u00""#, "'unterminated", "'a'b", "'a'#c", "\"a\tb\"", "'a\u{2028}b'", "\"a\u{85}b\"",
  ]

  private mutating func spaces(_ usual: Int) -> String {
    String(repeating: " ", count: chance(15) ? below(4) : usual)
  }

  private mutating func scalar(inFlow: Bool) -> String {
    let roll = below(100)
    if roll < 6 && nearMisses { return pick(Self.nearMissPlains) }
    if roll < 10 && nearMisses { return pick(Self.nearMissQuoted) }
    if roll < 22 { return pick(Self.doubleQuoted) }
    if roll < 32 { return pick(Self.singleQuoted) }
    return pick(Self.plains)
  }

  private mutating func trailer() -> String {
    let roll = below(100)
    if roll < 10 { return spaces(2) + " # a comment" }
    if roll < 13 && nearMisses { return "#glued" }
    if roll < 20 { return String(repeating: " ", count: 1 + below(3)) }
    return ""
  }

  private mutating func flowSequence() -> String {
    let roll = below(100)
    if roll < 8 && nearMisses {
      return pick(["[ ]", "[a,]", "[a, [b]]", "[a: b]", "[a,b]", "[ a , b ]", "[a", "[a] x", "[,]", "[a,,b]", "[-]"])
    }
    let count = below(4)
    var items: [String] = []
    for _ in 0..<count { items.append(scalar(inFlow: true)) }
    return "[" + spaces(0) + items.joined(separator: "," + spaces(1)) + spaces(0) + "]"
  }

  private mutating func blockSequence() -> [String] {
    let indent = pick(["  ", "  ", "    ", "", " "])
    var lines: [String] = []
    let count = 1 + below(4)
    for index in 0..<count {
      if chance(8) { lines.append(pick(["", "# between", "   # indented between", "  "])) }
      var itemIndent = indent
      if chance(4) && nearMisses { itemIndent = pick(["", "   ", "      "]) }
      let roll = below(100)
      if roll < 4 && nearMisses {
        lines.append(itemIndent + pick(["-", "- - a", "-a", "- # c", "- key: v", "- [a]"]))
      } else {
        lines.append(itemIndent + "-" + spaces(1) + scalar(inFlow: false) + trailer())
      }
      if index == count - 1 && chance(3) && nearMisses { lines.append(indent + "  continued") }
    }
    return lines
  }

  /// Members of a nested mapping (`  beta: "v1.25"`), with near misses: deeper or uneven
  /// indents, empty values, collections, duplicate keys.
  private mutating func blockMapping() -> [String] {
    let indent = pick(["  ", "  ", "    ", " "])
    var lines: [String] = []
    let count = 1 + below(4)
    for _ in 0..<count {
      if chance(8) { lines.append(pick(["", "# between", "   # indented between", "  "])) }
      var memberIndent = indent
      if chance(4) && nearMisses { memberIndent = pick(["", "   ", "      "]) }
      let key = keyText() + (chance(5) ? " " : "") + ":"
      let roll = below(100)
      if roll < 6 && nearMisses {
        lines.append(memberIndent + pick([key, key + " [a]", key + " {a: 1}", "- x", key + " a: b", "<<: {a: 1}"]))
      } else {
        lines.append(memberIndent + key + spaces(1) + scalar(inFlow: false) + trailer())
      }
    }
    return lines
  }

  private mutating func keyText() -> String {
    if chance(5) && nearMisses { return pick(Self.nearMissKeys) }
    // A small pool, so duplicates come up often.
    if chance(40) { return pick(["id", "title", "tags", "owner"]) }
    return pick(Self.keys)
  }

  mutating func entry() -> [String] {
    let key = keyText() + (chance(5) ? " " : "") + ":"
    let roll = below(100)
    if roll < 45 { return [key + spaces(1) + scalar(inFlow: false) + trailer()] }
    if roll < 65 { return [key + spaces(1) + flowSequence() + trailer()] }
    if roll < 80 { return [key + (chance(20) ? "  # list follows" : trailer())] + blockSequence() }
    if roll < 87 { return [key + trailer()] + blockMapping() }
    if roll < 92 || !nearMisses { return [key + trailer()] }  // empty value
    // Near misses spanning lines or nesting.
    let nearMisses: [[String]] = [
      [key + " first", "  continued"], [key, "  nested: 1"], [key + " |", "  block"], [key + " >-", "  folded"],
      [key + " &a x"], [key + " \"multi", "  line\""], [key + " 'multi", "  line'"], [key, "\tx"],
      [key + " x", "---"], [key + " x", "...", "y: 1"], [key + " {a: 1}"], ["? " + key, ": v"], [key + " x", " "],
    ]
    return nearMisses[below(nearMisses.count)]
  }

  /// A front matter and the line offset to read it with.
  mutating func frontMatter() -> (String, Int) {
    nearMisses = chance(50)
    var lines: [String] = []
    if chance(10) { lines.append(pick(["# leading comment", "", "  # indented"])) }
    let count = below(9)
    for _ in 0..<count {
      lines.append(contentsOf: entry())
      if chance(8) { lines.append(pick(["", "   ", "# note", "  # indented note", "#"])) }
    }
    let lineEnd = chance(10) ? "\r\n" : "\n"
    var text = lines.joined(separator: lineEnd)
    if !lines.isEmpty && chance(90) { text += lineEnd }
    if chance(2) && nearMisses { text += "\r" }
    return (text, chance(20) ? 0 : below(8) + 1)
  }
}
