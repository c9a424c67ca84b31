/// A small regular-expression engine for the patterns schemas use most (literals, classes,
/// `\d\w\s`, groups, alternation, quantifiers, `^`/`$`), with ECMA-262 meaning. It simulates the
/// automaton (a Pike VM without captures), so matching is linear in the string and never backtracks,
/// and it does no Foundation work. Patterns outside the subset (look-around, back references,
/// `\b`, `\p{…}`, …) return nil from `init`: those with back references are run by
/// `BacktrackingRegex`, the rest by ICU.
struct LinearRegex: Sendable {
  private enum Instruction: Sendable {
    case scalar(CharacterSet)
    case split(Int, Int)
    case jump(Int)
    case assertStart
    case assertEnd
    case match
  }

  /// Scalar ranges (sorted, possibly overlapping) and whether the set is negated.
  struct CharacterSet: Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated: Bool
    /// Membership of the ASCII scalars (after negation), for the common case.
    private var lowBits: UInt64 = 0
    private var highBits: UInt64 = 0

    init(ranges: [ClosedRange<UInt32>], negated: Bool) {
      self.ranges = ranges
      self.negated = negated
      for value in UInt32(0)..<128 where slowContains(value) {
        if value < 64 { lowBits |= 1 << UInt64(value) } else { highBits |= 1 << UInt64(value - 64) }
      }
    }

    func contains(_ value: UInt32) -> Bool {
      if value < 64 { return lowBits & (1 << UInt64(value)) != 0 }
      if value < 128 { return highBits & (1 << UInt64(value - 64)) != 0 }
      return slowContains(value)
    }

    private func slowContains(_ value: UInt32) -> Bool {
      var found = false
      for range in ranges where range.contains(value) {
        found = true
        break
      }
      return found != negated
    }
  }

  private let program: [Instruction]

  static let digit: [ClosedRange<UInt32>] = [48...57]
  static let word: [ClosedRange<UInt32>] = [48...57, 65...90, 95...95, 97...122]
  static let space: [ClosedRange<UInt32>] = [
    9...13, 32...32, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F,
    0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
  ]
  static let lineTerminators: [ClosedRange<UInt32>] = [10...10, 13...13, 0x2028...0x2029]

  init?(_ pattern: String) {
    guard let (tree, _) = Self.parse(pattern) else { return nil }
    self.init(tree)
  }

  /// Nil when the tree has back references (or compiles too large).
  init?(_ tree: Tree) {
    var program: [Instruction] = []
    guard Self.emit(tree, into: &program) else { return nil }
    program.append(.match)
    self.program = program
  }

  // MARK: Syntax tree

  indirect enum Tree: Sendable {
    case set(CharacterSet)
    case start
    case end
    case sequence([Tree])
    case alternatives([Tree])
    case repetition(Tree, min: Int, max: Int?)
    /// A capturing group, numbered from 1 in the order of the opening parentheses.
    case group(Int, Tree)
    /// `\1`…`\9`, or `\k<name>` resolved to its group's number.
    case backReference(Int)
  }

  /// The syntax tree of a pattern in the subset (plus captures and back
  /// references), with its number of groups; nil outside the subset.
  static func parse(_ pattern: String) -> (tree: Tree, groupCount: Int)? {
    var parser = Parser(scalars: Array(pattern.unicodeScalars))
    guard let tree = parser.parseAlternation(), parser.index == parser.scalars.count else { return nil }
    // Named references may come before their group: resolve them once all groups are known.
    guard let resolved = parser.resolve(tree) else { return nil }
    return (resolved, parser.groupCount)
  }

  struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0
    var groupCount = 0
    var groupNames: [String: Int] = [:]
    /// `\k<name>` references, as negative placeholders `-(1 + position in this list)`.
    var namedReferences: [String] = []

    /// Replaces named-reference placeholders by group numbers; nil for an
    /// unknown name or a number past the last group.
    func resolve(_ tree: Tree) -> Tree? {
      switch tree {
      case .backReference(let number):
        if number > 0 { return number <= groupCount ? tree : nil }
        guard let group = groupNames[namedReferences[-number - 1]] else { return nil }
        return .backReference(group)
      case .sequence(let items):
        var resolved: [Tree] = []
        for item in items {
          guard let item = resolve(item) else { return nil }
          resolved.append(item)
        }
        return .sequence(resolved)
      case .alternatives(let options):
        var resolved: [Tree] = []
        for option in options {
          guard let option = resolve(option) else { return nil }
          resolved.append(option)
        }
        return .alternatives(resolved)
      case .repetition(let inner, let min, let max): return resolve(inner).map { .repetition($0, min: min, max: max) }
      case .group(let number, let inner): return resolve(inner).map { .group(number, $0) }
      case .set, .start, .end: return tree
      }
    }

    mutating func parseAlternation() -> Tree? {
      var options: [Tree] = []
      while true {
        guard let sequence = parseSequence() else { return nil }
        options.append(sequence)
        guard index < scalars.count, scalars[index] == "|" else { break }
        index += 1
      }
      return options.count == 1 ? options[0] : .alternatives(options)
    }

    mutating func parseSequence() -> Tree? {
      var items: [Tree] = []
      while index < scalars.count, scalars[index] != "|", scalars[index] != ")" {
        guard var atom = parseAtom() else { return nil }
        if let (min, max) = parseQuantifier() {
          if case .start = atom { return nil }
          if case .end = atom { return nil }
          atom = .repetition(atom, min: min, max: max)
        }
        items.append(atom)
      }
      return .sequence(items)
    }

    mutating func parseQuantifier() -> (Int, Int?)? {
      guard index < scalars.count else { return nil }
      var result: (Int, Int?)
      switch scalars[index] {
      case "*": result = (0, nil)
      case "+": result = (1, nil)
      case "?": result = (0, 1)
      case "{":
        guard let close = scalars[index...].firstIndex(of: "}") else { return nil }
        let body = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count <= 2, let min = Int(parts[0]) else { return nil }
        if parts.count == 1 {
          result = (min, min)
        } else if parts[1].isEmpty {
          result = (min, nil)
        } else {
          guard let max = Int(parts[1]), max >= min else { return nil }
          result = (min, max)
        }
        index = close
      default: return nil
      }
      index += 1
      // A lazy quantifier matches the same strings.
      if index < scalars.count, scalars[index] == "?" { index += 1 }
      return result
    }

    mutating func parseAtom() -> Tree? {
      let scalar = scalars[index]
      index += 1
      switch scalar {
      case "(":
        var number: Int?
        if index < scalars.count, scalars[index] == "?" {
          guard index + 1 < scalars.count else { return nil }
          if scalars[index + 1] == ":" {
            index += 2
          } else if scalars[index + 1] == "<", let name = groupName(from: index + 2) {
            // `(?<name>…)`; look-behinds (`(?<=`, `(?<!`) are left to ICU.
            groupCount += 1
            number = groupCount
            guard groupNames.updateValue(groupCount, forKey: name) == nil else { return nil }
            index += 3 + name.unicodeScalars.count
          } else {
            return nil
          }
        } else {
          groupCount += 1
          number = groupCount
        }
        guard let inner = parseAlternation(), index < scalars.count, scalars[index] == ")" else { return nil }
        index += 1
        return number.map { .group($0, inner) } ?? inner
      case "[": return parseClass()
      case ".": return .set(CharacterSet(ranges: LinearRegex.lineTerminators, negated: true))
      case "^": return .start
      case "$": return .end
      case "\\":
        guard index < scalars.count else { return nil }
        let escaped = scalars[index]
        index += 1
        if let ranges = Self.classEscape(escaped) { return .set(ranges) }
        if ("1"..."9").contains(escaped) {
          // One digit only: `\10` and up mean other things in ECMA-262 (left to ICU).
          guard index >= scalars.count || !("0"..."9").contains(scalars[index]) else { return nil }
          return .backReference(Int(escaped.value - 48))
        }
        if escaped == "k" {
          guard index < scalars.count, scalars[index] == "<", let name = groupName(from: index + 1) else { return nil }
          index += 2 + name.unicodeScalars.count
          namedReferences.append(name)
          return .backReference(-namedReferences.count)
        }
        guard let literal = Self.literalEscape(escaped) else { return nil }
        return .set(CharacterSet(ranges: [literal...literal], negated: false))
      case "*", "+", "?", "{", "}", "]", ")": return nil
      default: return .set(CharacterSet(ranges: [scalar.value...scalar.value], negated: false))
      }
    }

    /// The group name starting at `start` and closed by `>` (ASCII letters,
    /// digits, `_` and `$` only; other names are left to ICU).
    func groupName(from start: Int) -> String? {
      guard let close = scalars[min(start, scalars.count)...].firstIndex(of: ">"), close > start else { return nil }
      let name = scalars[start..<close]
      guard
        name.allSatisfy({
          $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "$")
        }),
        let first = name.first, !("0"..."9").contains(first)
      else { return nil }
      return String(String.UnicodeScalarView(name))
    }

    static func classEscape(_ scalar: Unicode.Scalar) -> CharacterSet? {
      switch scalar {
      case "d": CharacterSet(ranges: LinearRegex.digit, negated: false)
      case "D": CharacterSet(ranges: LinearRegex.digit, negated: true)
      case "w": CharacterSet(ranges: LinearRegex.word, negated: false)
      case "W": CharacterSet(ranges: LinearRegex.word, negated: true)
      case "s": CharacterSet(ranges: LinearRegex.space, negated: false)
      case "S": CharacterSet(ranges: LinearRegex.space, negated: true)
      default: nil
      }
    }

    /// The scalar an escape stands for, for the simple escapes only.
    static func literalEscape(_ scalar: Unicode.Scalar) -> UInt32? {
      switch scalar {
      case "t": 9
      case "n": 10
      case "v": 11
      case "f": 12
      case "r": 13
      default:
        // Identity escapes of punctuation; letters and digits have meanings we leave to ICU.
        scalar.isASCII && !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar) ? scalar.value : nil
      }
    }

    mutating func parseClass() -> Tree? {
      var negated = false
      if index < scalars.count, scalars[index] == "^" {
        negated = true
        index += 1
      }
      var ranges: [ClosedRange<UInt32>] = []
      var first = true
      while index < scalars.count {
        let scalar = scalars[index]
        if scalar == "]" && !first {
          index += 1
          return .set(CharacterSet(ranges: ranges, negated: negated))
        }
        if scalar == "]" { return nil }  // `[]` and `[^]`: left to ICU
        first = false
        guard let low = classMember() else { return nil }
        if index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1] != "]" {
          index += 1
          guard let high = classMember(), high >= low else { return nil }
          ranges.append(low...high)
        } else {
          ranges.append(low...low)
        }
      }
      return nil
    }

    /// One scalar of a class; nil for anything else (class escapes inside classes included, unless simple).
    mutating func classMember() -> UInt32? {
      let scalar = scalars[index]
      index += 1
      if scalar == "[" { return nil }
      guard scalar == "\\" else { return scalar.value }
      guard index < scalars.count else { return nil }
      let escaped = scalars[index]
      index += 1
      if escaped == "b" { return 8 }
      if escaped == "-" { return 45 }
      return Self.literalEscape(escaped)
    }
  }

  // MARK: Compilation

  private static let maxProgramSize = 4_000

  private static func emit(_ tree: Tree, into program: inout [Instruction]) -> Bool {
    guard program.count < maxProgramSize else { return false }
    switch tree {
    case .set(let set): program.append(.scalar(set))
    case .start: program.append(.assertStart)
    case .end: program.append(.assertEnd)
    case .group(_, let inner): return emit(inner, into: &program)
    case .backReference: return false
    case .sequence(let items):
      for item in items where !emit(item, into: &program) { return false }
    case .alternatives(let options):
      var jumpsToEnd: [Int] = []
      for (offset, option) in options.enumerated() {
        if offset < options.count - 1 {
          let split = program.count
          program.append(.split(split + 1, -1))
          guard emit(option, into: &program) else { return false }
          jumpsToEnd.append(program.count)
          program.append(.jump(-1))
          program[split] = .split(split + 1, program.count)
        } else {
          guard emit(option, into: &program) else { return false }
        }
      }
      for jump in jumpsToEnd { program[jump] = .jump(program.count) }
    case .repetition(let inner, let min, let max):
      for _ in 0..<min where !emit(inner, into: &program) { return false }
      if let max {
        // Optional copies: each may be skipped, ending the repetition.
        var skips: [Int] = []
        for _ in min..<max {
          skips.append(program.count)
          program.append(.split(program.count + 1, -1))
          guard emit(inner, into: &program) else { return false }
        }
        for skip in skips { program[skip] = .split(skip + 1, program.count) }
      } else {
        let loop = program.count
        program.append(.split(loop + 1, -1))
        guard emit(inner, into: &program) else { return false }
        program.append(.jump(loop))
        program[loop] = .split(loop + 1, program.count)
      }
    }
    return true
  }

  // MARK: Matching

  /// Whether the pattern matches anywhere in `string`; nil when `budget` runs
  /// out first (each live thread at each position costs a step: a pattern of
  /// 4,000 instructions against 200,000 characters is 800 million).
  func firstMatch(in string: String, budget: inout RegexBudget) -> Bool? {
    var simulation = Simulation(program: program)
    return simulation.run(string, budget: &budget)
  }

  /// The state of one match: the threads alive at the current and next position.
  private struct Simulation {
    let program: [Instruction]
    var current: [Int] = []
    var next: [Int] = []
    /// The step at which each instruction was last added (so each is added once per position).
    var seen: [Int]
    var stack: [Int] = []
    let anchoredAtStart: Bool

    init(program: [Instruction]) {
      self.program = program
      seen = [Int](repeating: -1, count: program.count)
      if case .assertStart = program[0] { anchoredAtStart = true } else { anchoredAtStart = false }
    }

    mutating func run(_ string: String, budget: inout RegexBudget) -> Bool? {
      let scalars = string.unicodeScalars
      var position = scalars.startIndex
      var step = 0
      while true {
        guard budget.spend(1 + current.count, clock: false) else { return nil }
        let atEnd = position == scalars.endIndex
        // Unanchored search: a new attempt starts at every position (only the first, if anchored).
        if step == 0 || !anchoredAtStart {
          if Self.add(0, program, &seen, &stack, step, &current, atStart: step == 0, atEnd: atEnd) { return true }
        }
        if atEnd || (current.isEmpty && anchoredAtStart) { return false }
        let value = scalars[position].value
        position = scalars.index(after: position)
        step += 1
        let nextAtEnd = position == scalars.endIndex
        for pc in current {
          guard case .scalar(let set) = program[pc], set.contains(value) else { continue }
          if Self.add(pc + 1, program, &seen, &stack, step, &next, atStart: false, atEnd: nextAtEnd) { return true }
        }
        swap(&current, &next)
        next.removeAll(keepingCapacity: true)
      }
    }

    /// Adds `start` and everything reachable from it without consuming input; true on a match.
    static func add(
      _ start: Int, _ program: [Instruction], _ seen: inout [Int], _ stack: inout [Int], _ step: Int,
      _ list: inout [Int], atStart: Bool, atEnd: Bool
    ) -> Bool {
      stack.append(start)
      while let pc = stack.popLast() {
        if seen[pc] == step { continue }
        seen[pc] = step
        switch program[pc] {
        case .scalar: list.append(pc)
        case .split(let first, let second):
          stack.append(second)
          stack.append(first)
        case .jump(let target): stack.append(target)
        case .assertStart: if atStart { stack.append(pc + 1) }
        case .assertEnd: if atEnd { stack.append(pc + 1) }
        case .match:
          stack.removeAll(keepingCapacity: true)
          return true
        }
      }
      return false
    }
  }
}
