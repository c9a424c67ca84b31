/// Runs the patterns of `LinearRegex`'s subset that also have back references
/// (`(a+)\1`, `\k<name>`), which no automaton can: a backtracking search with
/// ECMA-262 meaning, over Unicode scalars, that pays for its real work out of a
/// `RegexBudget` — one step per node tried, one per character a repetition
/// scans, and a back reference its length — and gives up (nil) when the budget
/// or its nesting allowance runs out. Runs of a single character class are
/// matched in a loop, not by recursion.
struct BacktrackingRegex: Sendable {
  typealias Tree = LinearRegex.Tree
  let tree: Tree
  let groupCount: Int

  /// Nested continuations allowed (each repetition of a group or back reference
  /// nests one): bounded so the search stays well inside a thread's stack.
  static let maximumDepth = 400

  /// Nil for patterns without back references (the linear engine takes them).
  init?(_ pattern: String) {
    guard let (tree, groupCount) = LinearRegex.parse(pattern), Self.hasBackReference(tree) else { return nil }
    self.tree = tree
    self.groupCount = groupCount
  }

  private static func hasBackReference(_ tree: Tree) -> Bool {
    switch tree {
    case .backReference: true
    case .set, .start, .end: false
    case .sequence(let items), .alternatives(let items): items.contains(where: hasBackReference)
    case .repetition(let inner, _, _), .group(_, let inner): hasBackReference(inner)
    }
  }

  /// Whether the pattern matches anywhere in `string`; nil when the budget runs out.
  func firstMatch(in string: String, budget: inout RegexBudget) -> Bool? {
    let search = Search(input: string.unicodeScalars.map(\.value), groupCount: groupCount, budget: budget)
    defer { budget = search.budget }
    let anchored: Bool
    if case .sequence(let items) = tree, case .start? = items.first { anchored = true } else { anchored = false }
    for start in 0...search.input.count {
      search.resetCaptures()
      if search.match(tree, at: start, then: { _ in true }) { return true }
      if search.exhausted { return nil }
      if anchored { break }
    }
    return false
  }

  /// One search: the input, the captures so far, and what is left to spend.
  private final class Search {
    let input: [UInt32]
    /// Start and end of group `n` at `2n` and `2n + 1`; -1 when it has not matched.
    var captures: [Int]
    var budget: RegexBudget
    var exhausted = false
    var depth = 0

    init(input: [UInt32], groupCount: Int, budget: RegexBudget) {
      self.input = input
      self.captures = [Int](repeating: -1, count: 2 * (groupCount + 1))
      self.budget = budget
    }

    func resetCaptures() {
      for index in captures.indices { captures[index] = -1 }
    }

    private func spend(_ steps: Int) -> Bool {
      if budget.spend(steps) { return true }
      exhausted = true
      return false
    }

    /// Matches `node` at `position`, then the rest of the pattern through `next`.
    func match(_ node: Tree, at position: Int, then next: (Int) -> Bool) -> Bool {
      guard !exhausted, spend(1) else { return false }
      guard depth < BacktrackingRegex.maximumDepth else {
        exhausted = true
        return false
      }
      depth += 1
      defer { depth -= 1 }
      switch node {
      case .set(let set):
        return position < input.count && set.contains(input[position]) && next(position + 1)
      case .start: return position == 0 && next(position)
      case .end: return position == input.count && next(position)
      case .sequence(let items): return sequence(items[...], at: position, then: next)
      case .alternatives(let options):
        for option in options {
          if match(option, at: position, then: next) { return true }
          if exhausted { return false }
        }
        return false
      case .group(let number, let inner):
        let saved = (captures[2 * number], captures[2 * number + 1])
        let matched = match(inner, at: position) { end in
          let before = (self.captures[2 * number], self.captures[2 * number + 1])
          (self.captures[2 * number], self.captures[2 * number + 1]) = (position, end)
          if next(end) { return true }
          (self.captures[2 * number], self.captures[2 * number + 1]) = before
          return false
        }
        if !matched { (captures[2 * number], captures[2 * number + 1]) = saved }
        return matched
      case .backReference(let number):
        let start = captures[2 * number]
        let end = captures[2 * number + 1]
        // A group that has not matched matches the empty string.
        guard start >= 0, end > start else { return next(position) }
        let length = end - start
        guard position + length <= input.count else { return false }
        // Comparing is the real work: it costs the reference's length.
        guard spend(length) else { return false }
        for offset in 0..<length where input[start + offset] != input[position + offset] { return false }
        return next(position + length)
      case .repetition(let inner, let min, let max):
        if case .set(let set) = inner {
          // A run of one class: scan it once, then try the longest first.
          var count = 0
          let limit = max ?? Int.max
          while count < limit, position + count < input.count, set.contains(input[position + count]) { count += 1 }
          guard spend(count), count >= min else { return false }
          var taken = count
          while taken >= min {
            if next(position + taken) { return true }
            if exhausted { return false }
            taken -= 1
          }
          return false
        }
        return repeatGroup(inner, min: min, max: max, count: 0, at: position, then: next)
      }
    }

    private func sequence(_ items: ArraySlice<Tree>, at position: Int, then next: (Int) -> Bool) -> Bool {
      guard let first = items.first else { return next(position) }
      let rest = items.dropFirst()
      if rest.isEmpty { return match(first, at: position, then: next) }
      return match(first, at: position) { end in self.sequence(rest, at: end, then: next) }
    }

    /// Greedy repetition of a complex node; an iteration that matches nothing
    /// ends the repetition (ECMA-262), so it cannot loop.
    private func repeatGroup(
      _ inner: Tree, min: Int, max: Int?, count: Int, at position: Int, then next: (Int) -> Bool
    ) -> Bool {
      if let max, count >= max { return next(position) }
      let matched = match(inner, at: position) { end in
        if end == position && count >= min { return false }
        return self.repeatGroup(inner, min: min, max: max, count: count + 1, at: end, then: next)
      }
      if matched { return true }
      if exhausted { return false }
      return count >= min && next(position)
    }
  }
}
