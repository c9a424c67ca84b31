import Foundation

/// A regular expression with ECMA-262 meaning (as JSON Schema asks), run by ICU through
/// NSRegularExpression after translating the parts where the two dialects disagree
/// (`\d`, `\w`, `\s`, `\b`, `.`, `$`, `\cX`, `[^]`, …) and rejecting syntax ECMA-262 does not have
/// (inline flags, comments, Python named groups, unknown letter escapes).
///
/// Matching is bounded, per pattern per string, by a `RegexBudget` (steps that count real work,
/// and 100 ms of wall-clock time as a safety net): a plain-text pattern is found by a linear
/// search; the linear engine and the back-reference engine spend steps; ICU (look-around, `\b`,
/// `\p{…}`, …) reports progress every few thousand steps and is abandoned after `stepBudget`
/// reports or when the time is up. Past the budget the result is `tooComplex`.
public final class ECMARegex: @unchecked Sendable {
  // @unchecked: NSRegularExpression is immutable and documented as safe to use from several threads.
  public let source: String
  private let regex: NSRegularExpression
  /// The pattern as a plain string when it has no special characters (a substring test is enough).
  private let literal: String?
  /// A backtracking-free matcher, when the pattern is in its subset (most schema patterns are).
  private let linear: LinearRegex?
  /// The subset with back references, searched with a budget that counts their length.
  private let backtracking: BacktrackingRegex?

  /// Progress reports allowed per match (ICU reports about every 10,000 steps).
  static let stepBudget = 1_000

  public enum MatchResult: Sendable { case match, noMatch, tooComplex }

  public struct SyntaxError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  public init(_ pattern: String) throws(SyntaxError) {
    source = pattern
    var translator = ECMARegexTranslator(pattern)
    let translated = try translator.translate()
    do {
      regex = try NSRegularExpression(pattern: translated, options: [])
    } catch {
      throw SyntaxError(message: "invalid regular expression '\(pattern)'")
    }
    let special = Set("\\^$.|?*+()[]{}")
    literal = pattern.contains(where: { special.contains($0) }) ? nil : pattern
    linear = literal == nil ? LinearRegex(pattern) : nil
    backtracking = literal == nil && linear == nil ? BacktrackingRegex(pattern) : nil
  }

  /// Searches for the pattern anywhere in `string` (JSON Schema patterns are not anchored).
  public func firstMatch(in string: String) -> MatchResult {
    var budget = RegexBudget()
    return firstMatch(in: string, budget: &budget)
  }

  /// `firstMatch(in:)` within `budget` (what it spent stays in it).
  public func firstMatch(in string: String, budget: inout RegexBudget) -> MatchResult {
    if let literal { return Self.contains(string, literal) ? .match : .noMatch }
    if let linear {
      return linear.firstMatch(in: string, budget: &budget).map { $0 ? .match : .noMatch } ?? .tooComplex
    }
    if let backtracking {
      return backtracking.firstMatch(in: string, budget: &budget).map { $0 ? .match : .noMatch } ?? .tooComplex
    }
    let nsString = string as NSString
    var reports = 0
    let clock = budget
    var result = MatchResult.noMatch
    regex.enumerateMatches(
      in: string, options: [.reportProgress], range: NSRange(location: 0, length: nsString.length)
    ) { match, flags, stop in
      if match != nil {
        result = .match
        stop.pointee = true
        return
      }
      if flags.contains(.hitEnd) || flags.contains(.completed) { return }
      reports += 1
      if reports > ECMARegex.stepBudget || clock.timeIsUp {
        result = .tooComplex
        stop.pointee = true
      }
    }
    return result
  }
}

extension ECMARegex {
  /// Whether `text` contains `literal`, comparing Unicode scalars (as ECMA-262 compares
  /// characters, not Swift's canonically equivalent graphemes), in time linear in both
  /// (Knuth–Morris–Pratt: a 2,000-character literal against 200,000 characters took 10 s).
  static func contains(_ text: String, _ literal: String) -> Bool {
    let needle = Array(literal.unicodeScalars)
    guard !needle.isEmpty else { return true }
    // failure[i]: length of the longest proper border of needle[0...i].
    var failure = [Int](repeating: 0, count: needle.count)
    var border = 0
    for index in needle.indices.dropFirst() {
      while border > 0 && needle[index] != needle[border] { border = failure[border - 1] }
      if needle[index] == needle[border] { border += 1 }
      failure[index] = border
    }
    var matched = 0
    for scalar in text.unicodeScalars {
      while matched > 0 && scalar != needle[matched] { matched = failure[matched - 1] }
      if scalar == needle[matched] { matched += 1 }
      if matched == needle.count { return true }
    }
    return false
  }
}

/// Rewrites an ECMA-262 pattern into ICU syntax, or rejects it.
private struct ECMARegexTranslator {
  let scalars: [Unicode.Scalar]
  var index = 0
  var output = ""

  static let whitespace =
    "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"
  static let word = "a-zA-Z0-9_"

  init(_ pattern: String) { scalars = Array(pattern.unicodeScalars) }

  func error(_ message: String) -> ECMARegex.SyntaxError {
    ECMARegex.SyntaxError(message: "invalid regular expression: \(message)")
  }

  mutating func translate() throws(ECMARegex.SyntaxError) -> String {
    var groupDepth = 0
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      switch scalar {
      case "\\": try translateEscape(inClass: false)
      case "[": try translateClass()
      case ".": output += "[^\\n\\r\\x{2028}\\x{2029}]"
      case "$": output += "\\z"
      case "(":
        groupDepth += 1
        if index < scalars.count, scalars[index] == "?" {
          let next = index + 1 < scalars.count ? scalars[index + 1] : " "
          let afterNext = index + 2 < scalars.count ? scalars[index + 2] : " "
          switch next {
          case ":", "=", "!": break
          case "<" where afterNext == "=" || afterNext == "!": break
          case "<":
            guard let close = scalars[(index + 2)...].firstIndex(of: ">"), close > index + 2,
              scalars[(index + 2)..<close].allSatisfy({
                $0.properties.isAlphabetic || $0 == "_" || $0 == "$"
                  || ("0"..."9").contains($0)
              })
            else { throw error("bad group name") }
          default: throw error("unsupported group '(?\(next)'")
          }
        }
        output.unicodeScalars.append(scalar)
      case ")":
        groupDepth -= 1
        if groupDepth < 0 { throw error("unbalanced ')'") }
        output += ")"
      case "]": output += "\\]"
      case "}": output += "\\}"
      case "{":
        // A brace that does not start a valid quantifier is a literal in ECMA-262 (Annex B).
        if let close = scalars[index...].firstIndex(of: "}"),
          scalars[index..<close].allSatisfy({ ("0"..."9").contains($0) || $0 == "," }),
          let first = scalars[index..<close].first, first != ","
        {
          output += "{" + String(String.UnicodeScalarView(scalars[index...close]))
          index = close + 1
        } else {
          output += "\\{"
        }
      default: output.unicodeScalars.append(scalar)
      }
    }
    if groupDepth != 0 { throw error("unbalanced '('") }
    return output
  }

  /// Translates the escape after a backslash.
  mutating func translateEscape(inClass: Bool) throws(ECMARegex.SyntaxError) {
    guard index < scalars.count else { throw error("trailing backslash") }
    let scalar = scalars[index]
    index += 1
    switch scalar {
    case "d": output += inClass ? "0-9" : "[0-9]"
    case "D": output += "[^0-9]"
    case "w": output += inClass ? Self.word : "[\(Self.word)]"
    case "W": output += "[^\(Self.word)]"
    case "s": output += inClass ? Self.whitespace : "[\(Self.whitespace)]"
    case "S": output += "[^\(Self.whitespace)]"
    case "b":
      output += inClass ? "\\x{08}" : "(?:(?<=[\(Self.word)])(?![\(Self.word)])|(?<![\(Self.word)])(?=[\(Self.word)]))"
    case "B":
      if inClass { throw error("\\B in a character class") }
      output += "(?:(?<=[\(Self.word)])(?=[\(Self.word)])|(?<![\(Self.word)])(?![\(Self.word)]))"
    case "t": output += "\\t"
    case "n": output += "\\n"
    case "r": output += "\\r"
    case "f": output += "\\f"
    case "v": output += "\\x{0B}"
    case "0":
      if index < scalars.count, ("0"..."9").contains(scalars[index]) { throw error("octal escape") }
      output += "\\x{00}"
    case "c":
      guard index < scalars.count, scalars[index].isASCII, scalars[index].properties.isAlphabetic else {
        throw error("\\c must be followed by a letter")
      }
      output += "\\x{\(String(scalars[index].value % 32, radix: 16))}"
      index += 1
    case "x":
      guard index + 2 <= scalars.count, scalars[index..<(index + 2)].allSatisfy(\.properties.isASCIIHexDigit) else {
        throw error("\\x needs two hex digits")
      }
      output += "\\x{\(String(String.UnicodeScalarView(scalars[index..<(index + 2)])))}"
      index += 2
    case "u":
      if index < scalars.count, scalars[index] == "{" {
        guard let close = scalars[index...].firstIndex(of: "}"), close > index + 1,
          scalars[(index + 1)..<close].allSatisfy(\.properties.isASCIIHexDigit)
        else { throw error("bad \\u{…} escape") }
        output += "\\x{\(String(String.UnicodeScalarView(scalars[(index + 1)..<close])))}"
        index = close + 1
      } else {
        guard index + 4 <= scalars.count, scalars[index..<(index + 4)].allSatisfy(\.properties.isASCIIHexDigit) else {
          throw error("\\u needs four hex digits")
        }
        output += "\\u\(String(String.UnicodeScalarView(scalars[index..<(index + 4)])))"
        index += 4
      }
    case "p", "P":
      guard index < scalars.count, scalars[index] == "{", let close = scalars[index...].firstIndex(of: "}") else {
        throw error("\\\(scalar) needs {property}")
      }
      output += "\\\(scalar)" + String(String.UnicodeScalarView(scalars[index...close]))
      index = close + 1
    case "k":
      guard index < scalars.count, scalars[index] == "<", let close = scalars[index...].firstIndex(of: ">") else {
        throw error("\\k needs <name>")
      }
      output += "\\k" + String(String.UnicodeScalarView(scalars[index...close]))
      index = close + 1
    case "1"..."9":
      if inClass { throw error("back reference in a character class") }
      output += "\\"
      output.unicodeScalars.append(scalar)
    default:
      if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
        throw error("unknown escape '\\\(scalar)'")
      }
      // Identity escape of a non-alphanumeric character: keep it escaped.
      if scalar.isASCII {
        output += "\\"
        output.unicodeScalars.append(scalar)
      } else {
        output.unicodeScalars.append(scalar)
      }
    }
  }

  /// Translates a character class (after its opening bracket).
  mutating func translateClass() throws(ECMARegex.SyntaxError) {
    var negated = false
    if index < scalars.count, scalars[index] == "^" {
      negated = true
      index += 1
    }
    if index < scalars.count, scalars[index] == "]" {
      index += 1
      // `[]` matches nothing, `[^]` matches any character.
      output += negated ? "[\\x{0}-\\x{10FFFF}]" : "(?!)"
      return
    }
    output += negated ? "[^" : "["
    var first = true
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      switch scalar {
      case "]":
        output += "]"
        return
      case "\\": try translateEscape(inClass: true)
      case "[", "&", "~", "{", "}": output += "\\" + String(scalar)
      case "-":
        let atEnd = index < scalars.count && scalars[index] == "]"
        output += first || atEnd ? "\\-" : "-"
      default: output.unicodeScalars.append(scalar)
      }
      first = false
    }
    throw error("unterminated character class")
  }
}
