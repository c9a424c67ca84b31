import KeelCore
import KeelTestSupport
import Testing

/// "Did you mean": the length filter in front of the edit distance changes no answer.
@Suite("Suggestion")
struct SuggestionTests {
  /// The definition, without the filter: the nearest candidate within the limit.
  static func reference(_ word: String, _ candidates: [String]) -> String? {
    if let sameCase = candidates.first(where: { $0.lowercased() == word.lowercased() }) { return sameCase }
    let limit = min(2, max(1, word.count / 3))
    return candidates.map { ($0, Suggestion.editDistance($0, word)) }.filter { $0.1 <= limit }.min { $0.1 < $1.1 }?.0
  }

  @Test("the closest name agrees with the unfiltered definition on generated words")
  func agreesWithTheDefinition() {
    var generator = SeededGenerator(state: 15)
    let letters = Array("abcd-")
    func word() -> String {
      String((0..<Int.random(in: 1...9, using: &generator)).map { _ in letters.randomElement(using: &generator)! })
    }
    for _ in 0..<2000 {
      let candidates = (0..<20).map { _ in word() }
      let misspelt = word()
      #expect(Suggestion.closest(to: misspelt, in: candidates) == Self.reference(misspelt, candidates))
    }
  }

  @Test("document ids: the one a letter away")
  func documentIDs() {
    let ids = (0..<10_000).map { "PRD-\(String(repeating: "0", count: 5 - String($0).count))\($0)" }
    #expect(Suggestion.closest(to: "PRD-0O123", in: ids) == "PRD-00123")
    #expect(Suggestion.closest(to: "alic", in: ["alice", "bob"]) == "alice")
  }
}
