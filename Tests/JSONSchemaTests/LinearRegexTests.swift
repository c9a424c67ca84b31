import Foundation
import KeelTestSupport
import Testing

@testable import JSONSchema

/// The linear engine and ICU must agree wherever the linear engine takes a pattern.
struct LinearRegexTests {
  static let cases: [(String, [String: Bool])] = [
    ("^PRD-[0-9]{4,6}$", ["PRD-0001": true, "PRD-001": false, "PRD-0000001": false, "xPRD-1234": false]),
    ("^@?[a-z][a-z0-9-]{1,38}$", ["alice": true, "@bob-2": true, "Alice": false, "a": false]),
    ("^v[0-9]+\\.[0-9]+(\\.[0-9]+)?$", ["v1.2": true, "v1.2.3": true, "v1.2.": false, "v12": false]),
    ("a|bc", ["xxbcxx": true, "a": true, "b": false]),
    ("^(ab|cd)*e$", ["ababcde": true, "e": true, "abce": false]),
    ("^\\d+$", ["42": true, "4a": false, "\u{09EA}": false]),
    ("^\\w+\\s\\S$", ["ab x": true, "ab\u{00A0}x": true, "é x": false]),
    ("^.$", ["a": true, "\n": false, "😀": true]),
    ("^[^a-c\\]]+$", ["xyz": true, "xaz": false, "x]z": false]),
    ("^abc$", ["abc": true, "abc\n": false]),
    ("^a{2}b{0,1}c?$", ["aab": true, "aa": true, "aabc": true, "ab": false]),
    ("colou?r", ["my colour": true, "color": true, "colr": false]),
  ]

  @Test func examples() throws {
    for (pattern, samples) in Self.cases {
      let regex = try #require(LinearRegex(pattern), "\(pattern) is in the linear subset")
      for (sample, expected) in samples {
        #expect(regex.firstMatch(in: sample) == expected, "\(pattern) on \(sample.debugDescription)")
      }
    }
  }

  /// Thousands of generated patterns of the linear subset, each written once in ECMA-262 syntax
  /// (for the linear engine) and once in ICU syntax with the ECMA-262 meaning spelt out (for
  /// NSRegularExpression), run on generated inputs, many of them built to match.
  @Test func agreesWithICU() throws {
    var random = SeededGenerator(state: 20_261_129)
    var generator = PatternGenerator()
    var compared = 0
    var matched = 0
    var tooCostlyForICU = 0
    var disagreements: [String] = []
    for _ in 0..<3_000 {
      // A top-level alternation (not a group), so that the engine's anchored start is exercised too.
      let tree = generator.tree(depth: 3, random: &random)
      let ecma = tree.ecmaAlternation
      let icu = try NSRegularExpression(pattern: tree.icu)
      let linear = try #require(LinearRegex(ecma), "\(ecma.debugDescription) is in the linear subset")
      var inputs = (0..<4).map { _ in generator.text(random: &random) }
      inputs += (0..<4).map { _ in generator.matching(tree, random: &random) }
      inputs.append(generator.mutated(generator.matching(tree, random: &random), random: &random))
      for input in inputs {
        guard let expected = Self.icuMatches(icu, input) else {
          tooCostlyForICU += 1
          continue
        }
        let actual = linear.firstMatch(in: input)
        compared += 1
        if expected { matched += 1 }
        if actual != expected {
          disagreements.append(
            "\(ecma.debugDescription) (ICU \(tree.icu.debugDescription)) on \(input.debugDescription)")
        }
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements.count) disagreements: \(disagreements.prefix(10))")
    // Guard against a vacuous comparison: both outcomes are common.
    #expect(compared > 26_500, "\(tooCostlyForICU) inputs were too costly for ICU")
    #expect(matched > compared / 5 && matched < compared * 4 / 5, "\(matched) of \(compared) inputs match")
  }
}

extension LinearRegexTests {
  /// Whether ICU finds a match; nil when it backtracks too long (nested quantifiers), a bound on
  /// ICU's steps, not on time, so the outcome is the same on every run.
  static func icuMatches(_ regex: NSRegularExpression, _ input: String) -> Bool? {
    var result: Bool? = false
    var reports = 0
    regex.enumerateMatches(in: input, options: [.reportProgress], range: NSRange(input.startIndex..., in: input)) {
      match, flags, stop in
      if match != nil {
        result = true
        stop.pointee = true
      } else if !flags.contains(.hitEnd) && !flags.contains(.completed) {
        reports += 1
        if reports > 20 {
          result = nil
          stop.pointee = true
        }
      }
    }
    return result
  }
}

/// A pattern of the linear subset as a tree, with its two spellings.
private indirect enum PatternTree {
  /// A single scalar.
  case literal(Unicode.Scalar)
  /// `[…]` with single scalars and ranges.
  case characterClass([ClosedRange<Unicode.Scalar>], negated: Bool)
  /// `\d`, `\D`, `\w`, `\W`, `\s`, `\S`.
  case classEscape(Character)
  case dot
  case start
  case end
  case group([[PatternTree]], capturing: Bool)
  case repeated(PatternTree, min: Int, max: Int?, lazy: Bool)

  static let digits = "0-9"
  static let word = "a-zA-Z0-9_"
  static let spaces =
    "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"

  /// ECMA-262 syntax of a group's options without the parentheses.
  var ecmaAlternation: String {
    guard case .group(let options, _) = self else { return ecma }
    return options.map { $0.map(\.ecma).joined() }.joined(separator: "|")
  }

  /// ECMA-262 syntax, as a JSON Schema author writes it.
  var ecma: String {
    switch self {
    case .literal(let scalar): Self.ecmaLiteral(scalar, inClass: false)
    case .characterClass(let ranges, let negated):
      "[" + (negated ? "^" : "")
        + ranges.map { range in
          range.lowerBound == range.upperBound
            ? Self.ecmaLiteral(range.lowerBound, inClass: true)
            : Self.ecmaLiteral(range.lowerBound, inClass: true) + "-"
              + Self.ecmaLiteral(range.upperBound, inClass: true)
        }.joined() + "]"
    case .classEscape(let letter): "\\\(letter)"
    case .dot: "."
    case .start: "^"
    case .end: "$"
    case .group(let options, let capturing):
      (capturing ? "(" : "(?:") + options.map { $0.map(\.ecma).joined() }.joined(separator: "|") + ")"
    case .repeated(let inner, let min, let max, let lazy):
      inner.ecma + Self.quantifier(min: min, max: max) + (lazy ? "?" : "")
    }
  }

  /// ICU syntax with ECMA-262's meaning: ASCII `\d` and `\w`, ECMA-262's white space, `.` that stops
  /// only at the four line terminators, `$` only at the very end.
  var icu: String {
    switch self {
    case .literal(let scalar): Self.icuLiteral(scalar)
    case .characterClass(let ranges, let negated):
      "[" + (negated ? "^" : "")
        + ranges.map { range in
          range.lowerBound == range.upperBound
            ? Self.icuLiteral(range.lowerBound)
            : Self.icuLiteral(range.lowerBound) + "-" + Self.icuLiteral(range.upperBound)
        }.joined() + "]"
    case .classEscape(let letter):
      switch letter {
      case "d": "[\(Self.digits)]"
      case "D": "[^\(Self.digits)]"
      case "w": "[\(Self.word)]"
      case "W": "[^\(Self.word)]"
      case "s": "[\(Self.spaces)]"
      default: "[^\(Self.spaces)]"
      }
    case .dot: "[^\\n\\r\\x{2028}\\x{2029}]"
    case .start: "\\A"
    case .end: "\\z"
    case .group(let options, _): "(?:" + options.map { $0.map(\.icu).joined() }.joined(separator: "|") + ")"
    case .repeated(let inner, let min, let max, let lazy):
      inner.icu + Self.quantifier(min: min, max: max) + (lazy ? "?" : "")
    }
  }

  static func quantifier(min: Int, max: Int?) -> String {
    switch (min, max) {
    case (0, nil): "*"
    case (1, nil): "+"
    case (0, 1): "?"
    case (_, nil): "{\(min),}"
    case (_, let max?) where max == min: "{\(min)}"
    case (_, let max?): "{\(min),\(max)}"
    }
  }

  static func ecmaLiteral(_ scalar: Unicode.Scalar, inClass: Bool) -> String {
    switch scalar {
    case "\n": return "\\n"
    case "\t": return "\\t"
    case "\r": return "\\r"
    default: break
    }
    let special: Set<Unicode.Scalar> = inClass ? ["\\", "]", "[", "^", "-"] : Set("\\^$.|?*+()[]{}-/".unicodeScalars)
    return special.contains(scalar) ? "\\\(scalar)" : String(scalar)
  }

  static func icuLiteral(_ scalar: Unicode.Scalar) -> String { "\\x{\(String(scalar.value, radix: 16))}" }
}

/// Random patterns of the linear subset, random inputs, and inputs a pattern matches.
private struct PatternGenerator {
  /// The scalars patterns and inputs are made of: ASCII letters and punctuation, the line
  /// terminators and spaces where ECMA-262 and ICU's defaults differ, a non-ASCII digit, letters
  /// outside the BMP.
  static let alphabet: [Unicode.Scalar] = [
    "a", "b", "c", "d", "e", "A", "Z", "0", "5", "9", "_", "-", ".", "^", "$", "]", "[", "\\", "(", "|", "*",
    " ", "\t", "\n", "\r", "\u{0B}", "\u{85}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{200B}",
    "é", "\u{0663}", "\u{1D7D8}", "😀",
  ]
  /// Letters are likelier, so that patterns and inputs meet often enough to match.
  static let common: [Unicode.Scalar] = ["a", "b", "c", "0", "-", " "]

  func scalar(random: inout SeededGenerator) -> Unicode.Scalar {
    Bool.random(using: &random)
      ? Self.common.randomElement(using: &random)! : Self.alphabet.randomElement(using: &random)!
  }

  func tree(depth: Int, random: inout SeededGenerator) -> PatternTree {
    let options = (1...Int.random(in: 1...3, using: &random)).map { _ in sequence(depth: depth, random: &random) }
    return .group(options, capturing: false)
  }

  func sequence(depth: Int, random: inout SeededGenerator) -> [PatternTree] {
    (0..<Int.random(in: 0...4, using: &random)).map { _ in
      var atom = atom(depth: depth, random: &random)
      if case .start = atom { return atom }
      if case .end = atom { return atom }
      if Int.random(in: 0..<3, using: &random) == 0 {
        let (min, max) = [(0, nil), (1, nil), (0, 1), (2, nil), (2, 2), (0, 3), (1, 2)].randomElement(using: &random)!
        atom = .repeated(atom, min: min, max: max, lazy: Int.random(in: 0..<4, using: &random) == 0)
      }
      return atom
    }
  }

  func atom(depth: Int, random: inout SeededGenerator) -> PatternTree {
    switch Int.random(in: 0..<20, using: &random) {
    case 0..<8: return .literal(scalar(random: &random))
    case 8..<10:
      let ranges = (1...Int.random(in: 1...3, using: &random)).map { _ -> ClosedRange<Unicode.Scalar> in
        let (low, high) = (scalar(random: &random), scalar(random: &random))
        if Bool.random(using: &random) { return low...low }
        return min(low, high)...max(low, high)
      }
      return .characterClass(ranges, negated: Bool.random(using: &random))
    case 10..<12: return .classEscape(["d", "D", "w", "W", "s", "S"].randomElement(using: &random)!)
    case 12: return .dot
    case 13: return .start
    case 14: return .end
    default:
      guard depth > 0 else { return .literal(scalar(random: &random)) }
      let options = (1...Int.random(in: 1...3, using: &random)).map { _ in
        sequence(depth: depth - 1, random: &random)
      }
      return .group(options, capturing: Bool.random(using: &random))
    }
  }

  func text(random: inout SeededGenerator) -> String {
    var text = String.UnicodeScalarView()
    for _ in 0..<Int.random(in: 0...8, using: &random) { text.append(scalar(random: &random)) }
    return String(text)
  }

  /// A string the pattern likely matches: each part spelt out (anchors ignored), with random text around it.
  func matching(_ tree: PatternTree, random: inout SeededGenerator) -> String {
    var text = String.UnicodeScalarView()
    if Int.random(in: 0..<3, using: &random) == 0 { text.append(scalar(random: &random)) }
    spell(tree, into: &text, random: &random)
    if Int.random(in: 0..<3, using: &random) == 0 { text.append(scalar(random: &random)) }
    return String(text)
  }

  private func spell(_ tree: PatternTree, into text: inout String.UnicodeScalarView, random: inout SeededGenerator) {
    switch tree {
    case .literal(let scalar): text.append(scalar)
    case .characterClass, .classEscape, .dot:
      // Any scalar: right or wrong for the class, both are worth trying.
      text.append(scalar(random: &random))
    case .start, .end: break
    case .group(let options, _):
      for part in options.randomElement(using: &random)! { spell(part, into: &text, random: &random) }
    case .repeated(let inner, let min, let max, _):
      for _ in 0..<Int.random(in: min...(max ?? min + 2), using: &random) { spell(inner, into: &text, random: &random) }
    }
  }

  /// `text` with one scalar inserted, removed or replaced.
  func mutated(_ text: String, random: inout SeededGenerator) -> String {
    var scalars = Array(text.unicodeScalars)
    let position = Int.random(in: 0...scalars.count, using: &random)
    switch Int.random(in: 0..<3, using: &random) {
    case 0: scalars.insert(scalar(random: &random), at: position)
    case 1 where position < scalars.count: scalars.remove(at: position)
    default: if position < scalars.count { scalars[position] = scalar(random: &random) }
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }
}

extension LinearRegex {
  /// A match with a step budget that cannot run out and no clock: these tests compare answers, not costs.
  fileprivate func firstMatch(in string: String) -> Bool? {
    var budget = RegexBudget(steps: .max, time: nil)
    return firstMatch(in: string, budget: &budget)
  }
}
