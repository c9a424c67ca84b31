/// "Did you mean": the known name closest to a misspelt one.
public enum Suggestion {
  /// A candidate equal to `word` but for case; else the nearest one at most two
  /// edits away (one for words shorter than six characters); nil when none is close.
  public static func closest(to word: String, in candidates: [String]) -> String? {
    if let sameCase = candidates.first(where: { $0.lowercased() == word.lowercased() }) { return sameCase }
    let limit = min(2, max(1, word.count / 3))
    // The distance is at least the difference in length: most candidates are ruled out unread
    // (a reference names one of 10,000 document ids).
    let length = word.count
    let scored = candidates.lazy.filter { abs($0.count - length) <= limit }.map { ($0, editDistance($0, word)) }
      .filter { $0.1 <= limit }
    return scored.min { $0.1 < $1.1 }?.0
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
