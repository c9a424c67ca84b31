import JSONSchema

/// "Did you mean": the known name closest to a misspelt one.
public enum Suggestion {
  /// A candidate equal to `word` but for case; else the nearest one at most two
  /// edits away (one for words shorter than six characters); nil when none is close.
  public static func closest(to word: String, in candidates: [String]) -> String? {
    let lowered = word.lowercased()
    if let sameCase = candidates.first(where: { $0.lowercased() == lowered }) { return sameCase }
    let limit = min(2, max(1, word.count / 3))
    // A reference may name one of 10,000 document ids: plain ASCII words are compared on bytes,
    // giving up on a candidate once it is over the limit; the distance is the same.
    var best: (candidate: String, distance: Int)?
    let bytes = isPlainASCII(word) ? Array(word.utf8) : nil
    for candidate in candidates {
      let distance: Int
      if let bytes, isPlainASCII(candidate) {
        guard let bounded = boundedDistance(bytes, Array(candidate.utf8), limit: limit) else { continue }
        distance = bounded
      } else {
        distance = editDistance(candidate, word)
      }
      if distance <= limit && distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    return best?.candidate
  }

  /// ASCII without a carriage return: every byte is one `Character`.
  private static func isPlainASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D } }

  /// Levenshtein distance of two byte strings, or nil when it is over `limit` (decided as soon
  /// as a whole row of the table is).
  static func boundedDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
    if abs(a.count - b.count) > limit { return nil }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = i
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        rowMinimum = min(rowMinimum, current[j])
      }
      if rowMinimum > limit { return nil }
      swap(&previous, &current)
    }
    return previous[b.count] <= limit ? previous[b.count] : nil
  }

  /// `"; did you mean 'x'?"`, or "" when no candidate is close.
  public static func hint(for word: String, in candidates: [String]) -> String {
    closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Levenshtein distance, in characters.
  public static func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs)
    let b = Array(rhs)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}

extension Suggestion {
  /// A schema error with a "did you mean" when something is close: a string an `enum` does not
  /// allow gets the nearest allowed value (`'shiped' is not one of …; did you mean 'shipped'?`), a
  /// key `additionalProperties`/`unevaluatedProperties` rejects the nearest of `keys` (asked only then).
  public static func hinted(_ error: ValidationError, keys: () -> [String] = { [] }) -> ValidationError {
    var hinted = error
    if let misspelling = error.misspelling {
      hinted.message += hint(for: misspelling.value, in: misspelling.allowed)
    } else if error.keyword == "additionalProperties" || error.keyword == "unevaluatedProperties",
      let key = error.instanceLocation.split(separator: "/", omittingEmptySubsequences: false).last
    {
      let token = key.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
      hinted.message += hint(for: token, in: keys())
    }
    return hinted
  }
}
