import JSONSchema
import Testing

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

  @Test func agreesWithICU() throws {
    for (pattern, samples) in Self.cases {
      let regex = try ECMARegex(pattern)
      for (sample, expected) in samples {
        #expect((regex.firstMatch(in: sample) == .match) == expected, "\(pattern) on \(sample.debugDescription)")
      }
    }
  }
}
