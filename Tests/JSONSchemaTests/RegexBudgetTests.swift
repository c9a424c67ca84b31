import Foundation
import Testing

@testable import JSONSchema

/// Issue 13, row 7: every regex path is linear or pays for its real work out of
/// a budget. Budgets here count steps only (no clock): outcomes are exact.
struct RegexBudgetTests {
  private func run(_ pattern: String, _ text: String, steps: Int) throws -> (ECMARegex.MatchResult, Int) {
    var budget = RegexBudget(steps: steps, time: nil)
    let result = try ECMARegex(pattern).firstMatch(in: text, budget: &budget)
    return (result, budget.used)
  }

  @Test(arguments: [
    ("^(a+)\\1$", "aaaa", true), ("^(a+)\\1$", "aaa", false), ("(a+)\\1*b", "aaab", true),
    ("(a+)\\1*b", "aaaa", false), ("(?<x>ab)\\k<x>", "xxababyy", true), ("(?<x>ab)\\k<x>", "abba", false),
    ("^(a)?\\1b$", "b", true), ("^(?:(a)|b)\\1$", "bb", false),
    ("^(?:(a)|b)\\1$", "b", true), ("^(\\d+)-\\1$", "12-12", true), ("^(\\d+)-\\1$", "12-13", false),
    ("([a-c])x\\1", "axbbxb", true), ("^(ab)*\\1$", "ababab", true), ("^(ab)*\\1$", "aba", false),
  ])
  func backReferencesMatchLikeECMAScript(pattern: String, text: String, expected: Bool) throws {
    let (result, _) = try run(pattern, text, steps: 1_000_000)
    #expect(result == (expected ? .match : .noMatch))
  }

  @Test func aBackReferenceCostsItsLength() throws {
    let half = String(repeating: "a", count: 1_000)
    let (result, used) = try run("^(a+)\\1$", half + half, steps: 1_000_000)
    #expect(result == .match)
    #expect(used >= 1_000, "the successful comparison alone is 1,000 characters")
    let (short, shortUsed) = try run("^(a+)\\1$", "aa", steps: 1_000_000)
    #expect(short == .match)
    #expect(shortUsed < 50)
  }

  /// `(a+)\1*b` used to take 95 s on 200 KB before "too costly"; `^(a+)\1*b$`
  /// was not bounded at all. Both now stop once their budget is spent.
  @Test(arguments: ["(a+)\\1*b", "^(a+)\\1*b$"])
  func quadraticBackReferencesRunOutOfBudget(pattern: String) throws {
    let text = String(repeating: "a", count: 20_000)
    let (result, used) = try run(pattern, text, steps: 2_000_000)
    #expect(result == .tooComplex)
    #expect(used > 2_000_000 && used < 2_100_000, "stops right after the budget: \(used)")
  }

  @Test func theLinearEngineCountsItsThreads() throws {
    // Up to 1,000 live threads per character: 20 million steps on 20,000 characters.
    let text = String(repeating: "a", count: 20_000)
    let (result, _) = try run("a{0,1000}b", text, steps: 1_000_000)
    #expect(result == .tooComplex)
    let (small, smallUsed) = try run("^[a-z]+$", text, steps: 1_000_000)
    #expect(small == .match)
    #expect(smallUsed < 100_000)
  }

  /// A 2,000-character literal against 200,000 characters took 10 s (Swift's
  /// grapheme-aware search); it is now a linear scalar search.
  @Test func literalsAreFoundLinearlyByScalars() throws {
    let literal = String(repeating: "ab", count: 999) + "ac"
    let text = String(repeating: "ab", count: 100_000)
    #expect(try ECMARegex(literal).firstMatch(in: text) == .noMatch)
    #expect(try ECMARegex(literal).firstMatch(in: text + literal) == .match)
    #expect(ECMARegex.contains("xxabaabaabbyy", "abaabb"))
    #expect(!ECMARegex.contains("abaab", "abaabb"))
    // ECMA-262 compares characters, not canonically equivalent spellings.
    #expect(try ECMARegex("caf\u{E9}").firstMatch(in: "cafe\u{301}") == .noMatch)
    #expect(try ECMARegex("caf\u{E9}").firstMatch(in: "un caf\u{E9}") == .match)
  }

  @Test func theClockIsASafetyNet() {
    var budget = RegexBudget(steps: .max, time: .zero)
    var spent = true
    for _ in 0..<(RegexBudget.clockInterval / 1_000 + 2) where spent { spent = budget.spend(1_000) }
    #expect(!spent, "a spent deadline stops the next clock check")
  }
}

/// `uniqueItems` hashes with a hash consistent with JSON Schema equality.
struct UniqueItemsHashTests {
  private func hash(_ value: JSONValue) -> Int {
    var hasher = Hasher()
    value.schemaHash(into: &hasher)
    return hasher.finalize()
  }

  @Test func equalValuesHashAlike() throws {
    #expect(hash(.integer(1)) == hash(.number(1.0)))
    #expect(
      hash(try JSONParser.parse(#"{"a": 1, "b": [2.0]}"#).value)
        == hash(try JSONParser.parse(#"{"b": [2], "a": 1.0}"#).value))
    #expect(JSONValue.integer(.max).schemaEquals(.number(0x1p63)) == false)
    #expect(JSONValue.number(0x1p63).schemaEquals(.integer(.max)) == false)
  }

  /// Values that differ only deep inside, or only in their bytes, must not all
  /// share a bucket (which made `uniqueItems` quadratic again).
  @Test func differentValuesSpreadOut() {
    func nested(_ value: Int) -> JSONValue {
      var result = JSONValue.integer(value)
      for _ in 0..<8 { result = .array([result]) }
      return result
    }
    #expect(hash(nested(1)) != hash(nested(2)))
    #expect(hash(.string("caf\u{E9}")) != hash(.string("cafe\u{301}")))
    #expect(hash(.integer(1 << 62)) != hash(.integer((1 << 62) + 1)))
  }

  @Test func twoHundredThousandNumbers() throws {
    let text = "[" + (0..<200_000).map(String.init).joined(separator: ",") + ",5]"
    let instance = try JSONParser.parse(text)
    let schema = try SchemaCompiler().compile(try JSONParser.parse(#"{"uniqueItems": true}"#))
    let errors = schema.validate(instance)
    #expect(errors.map(\.message) == ["items 5 and 200000 are equal; items must be unique"])
  }
}
