/// A path glob as used in keel.yaml: `*` matches within one path segment, `**`
/// matches any number of whole segments (including none), `?` one character,
/// `[abc]`/`[a-z]`/`[!a]` a character class, `{md,markdown}` alternatives
/// (nested groups allowed; a group may span `/`).
///
/// The pattern is compiled once into a small automaton whose states are the
/// positions in the pattern, and a path is matched by following every state at
/// once: time is bounded by the path length times the pattern length, whatever
/// the pattern. Alternatives are never expanded (13 groups of four would make
/// 67 million patterns).
public struct Glob: Sendable, Hashable, CustomStringConvertible {
  public let pattern: String
  private let program: [Instruction]
  /// The program over UTF-8 bytes, when every character of the pattern is one ASCII byte (nearly
  /// always): an ASCII path is then matched byte by byte, without making a `Character` of each.
  private let bytes: [ByteInstruction]?

  /// `Instruction` with ASCII bytes for characters.
  private enum ByteInstruction: Hashable, Sendable {
    case literal(UInt8)
    case segmentCharacter
    case set([ClosedRange<UInt8>], negated: Bool)
    case split(Int, Int)
    case jump(Int)
    case match
  }

  private enum Instruction: Hashable, Sendable {
    case literal(Character)
    /// Any character except `/`.
    case segmentCharacter
    case set([ClosedRange<Character>], negated: Bool)
    /// Continue at both targets.
    case split(Int, Int)
    case jump(Int)
    case match
  }

  /// A parsed piece of a pattern.
  private indirect enum Node {
    case literal(Character)
    case one
    case star
    /// `**/` (or a final `**`): any number of whole segments, each with its `/`.
    case anyDepth
    case set([ClosedRange<Character>], negated: Bool)
    case group([[Node]])
  }

  public init(_ pattern: String) {
    self.pattern = pattern
    var parser = Parser(Array(Glob.normalized(pattern)))
    // A path is matched with a `/` after its last segment, so that `**` (which
    // takes whole segments with their `/`) works the same at the end; a final
    // `**` takes that `/` itself.
    var nodes = parser.sequence(topLevel: true)
    if case .anyDepth? = nodes.last {} else { nodes.append(.literal("/")) }
    var program: [Instruction] = []
    Glob.emit(nodes, into: &program)
    program.append(.match)
    self.program = program
    bytes = Glob.byteProgram(program)
  }

  /// The program with each character as its byte; nil when one is not a single ASCII byte.
  private static func byteProgram(_ program: [Instruction]) -> [ByteInstruction]? {
    func byte(_ character: Character) -> UInt8? {
      guard character.utf8.count == 1, let byte = character.utf8.first, byte < 0x80 else { return nil }
      return byte
    }
    var bytes: [ByteInstruction] = []
    bytes.reserveCapacity(program.count)
    for instruction in program {
      switch instruction {
      case .literal(let character):
        guard let value = byte(character) else { return nil }
        bytes.append(.literal(value))
      case .segmentCharacter: bytes.append(.segmentCharacter)
      case .set(let ranges, let negated):
        var byteRanges: [ClosedRange<UInt8>] = []
        for range in ranges {
          guard let lower = byte(range.lowerBound), let upper = byte(range.upperBound) else { return nil }
          byteRanges.append(lower...upper)
        }
        bytes.append(.set(byteRanges, negated: negated))
      case .split(let first, let second): bytes.append(.split(first, second))
      case .jump(let target): bytes.append(.jump(target))
      case .match: bytes.append(.match)
      }
    }
    return bytes
  }

  public var description: String { pattern }

  /// How many automaton states the pattern compiled to (grows with its length).
  var programSize: Int { program.count }

  public func matches(_ path: String) -> Bool {
    if let bytes, let matched = Self.run(bytes, path) { return matched }
    return matchesByCharacter(path)
  }

  /// `matches` without the ASCII fast path (what it must agree with).
  func matchesByCharacter(_ path: String) -> Bool {
    let segments = path.split(separator: "/", omittingEmptySubsequences: true)
    var text: [Character] = []
    for segment in segments {
      text.append(contentsOf: segment)
      text.append("/")
    }
    return run(text)
  }

  /// Empty segments of the pattern (`a//b`, a leading or trailing `/`) are ignored, as for paths.
  private static func normalized(_ pattern: String) -> String {
    var result = ""
    var previous: Character? = "/"
    for character in pattern {
      if character == "/" && previous == "/" { continue }
      result.append(character)
      previous = character
    }
    if result.hasSuffix("/") { result.removeLast() }
    return result
  }

  // MARK: - Parsing

  private struct Parser {
    let characters: [Character]
    var index = 0

    init(_ characters: [Character]) { self.characters = characters }

    /// A sequence up to the end, or (inside a group) up to an unnested `,` or `}`.
    mutating func sequence(topLevel: Bool) -> [Node] {
      var nodes: [Node] = []
      while index < characters.count {
        let character = characters[index]
        if !topLevel && (character == "," || character == "}") { break }
        index += 1
        switch character {
        case "*":
          let segmentStart = index == 1 || ["/", "{", ","].contains(characters[index - 2])
          var stars = 1
          while index < characters.count, characters[index] == "*" {
            stars += 1
            index += 1
          }
          let segmentEnd = index == characters.count || characters[index] == "/"
          if stars >= 2 && segmentStart && segmentEnd {
            if index < characters.count { index += 1 }  // the `/` belongs to `**/`
            nodes.append(.anyDepth)
          } else {
            nodes.append(.star)
          }
        case "?": nodes.append(.one)
        case "[": nodes.append(characterSet())
        case "{":
          if let group = group() { nodes.append(group) } else { nodes.append(.literal("{")) }
        case "\\":
          if index < characters.count {
            nodes.append(.literal(characters[index]))
            index += 1
          } else {
            nodes.append(.literal("\\"))
          }
        default: nodes.append(.literal(character))
        }
      }
      return nodes
    }

    /// After `{`: the alternatives up to the matching `}`, or nil (and nothing
    /// consumed) when it is never closed, which makes the `{` a literal.
    mutating func group() -> Node? {
      let start = index
      var alternatives: [[Node]] = []
      while true {
        alternatives.append(sequence(topLevel: false))
        guard index < characters.count else {
          index = start
          return nil
        }
        index += 1
        if characters[index - 1] == "}" { return .group(alternatives) }
      }
    }

    /// After `[`: a class up to the next `]`, or a literal `[` when there is none.
    mutating func characterSet() -> Node {
      guard let close = characters[index...].firstIndex(of: "]") else { return .literal("[") }
      var body = Array(characters[index..<close])
      index = close + 1
      let negated = body.first == "!" || body.first == "^"
      if negated { body.removeFirst() }
      var ranges: [ClosedRange<Character>] = []
      var position = 0
      while position < body.count {
        if position + 2 < body.count, body[position + 1] == "-" {
          ranges.append(min(body[position], body[position + 2])...max(body[position], body[position + 2]))
          position += 3
        } else {
          ranges.append(body[position]...body[position])
          position += 1
        }
      }
      return .set(ranges, negated: negated)
    }
  }

  // MARK: - Compiling

  private static func emit(_ nodes: [Node], into program: inout [Instruction]) {
    for node in nodes {
      switch node {
      case .literal(let character): program.append(.literal(character))
      case .one: program.append(.segmentCharacter)
      case .set(let ranges, let negated): program.append(.set(ranges, negated: negated))
      case .star:
        // loop: split(body, end); body: any; jump loop; end:
        let loop = program.count
        program.append(.split(loop + 1, loop + 3))
        program.append(.segmentCharacter)
        program.append(.jump(loop))
      case .anyDepth:
        // loop: split(segment, end); segment: any; split(segment, slash); slash: "/"; jump loop; end:
        let loop = program.count
        program.append(.split(loop + 1, loop + 5))
        program.append(.segmentCharacter)
        program.append(.split(loop + 1, loop + 3))
        program.append(.literal("/"))
        program.append(.jump(loop))
      case .group(let alternatives):
        // split(first, next); first…; jump end; next: split(second, …) … last…; end:
        var jumps: [Int] = []
        for (position, alternative) in alternatives.enumerated() {
          let isLast = position == alternatives.count - 1
          let split = program.count
          if !isLast { program.append(.split(split + 1, -1)) }
          emit(alternative, into: &program)
          if !isLast {
            jumps.append(program.count)
            program.append(.jump(-1))
            program[split] = .split(split + 1, program.count)
          }
        }
        for jump in jumps { program[jump] = .jump(program.count) }
      }
    }
  }

  // MARK: - Matching

  /// `run` over the bytes of an ASCII path, as `matches` makes its text (empty segments dropped,
  /// each segment followed by `/`); nil when the path is not ASCII, or holds a carriage return (which
  /// makes one character with a line feed after it).
  private static func run(_ program: [ByteInstruction], _ path: String) -> Bool? {
    var path = path
    return path.withUTF8 { utf8 -> Bool? in
      // Checked first: a byte after an ASCII one may join it into one character (a combining mark).
      for byte in utf8 where byte >= 0x80 || byte == 0x0d { return nil }
      let count = program.count
      return withUnsafeTemporaryAllocation(of: Int.self, capacity: 5 * count + 2) { buffer -> Bool? in
        // Each state is added once per position (`seen`), so each list holds at most `count`, and
        // the closure's stack at most two per state taken from it.
        let seen = buffer.baseAddress!
        var current = seen + count
        var next = current + count
        let stack = next + count
        seen.initialize(repeating: -1, count: count)
        var currentCount = 0
        var nextCount = 0
        func addClosure(_ start: Int, generation: Int, into states: UnsafeMutablePointer<Int>, _ size: inout Int) {
          var depth = 1
          stack[0] = start
          while depth > 0 {
            depth -= 1
            let state = stack[depth]
            guard seen[state] != generation else { continue }
            seen[state] = generation
            switch program[state] {
            case .split(let first, let second):
              stack[depth] = second
              stack[depth + 1] = first
              depth += 2
            case .jump(let target):
              stack[depth] = target
              depth += 1
            default:
              states[size] = state
              size += 1
            }
          }
        }
        addClosure(0, generation: 0, into: current, &currentCount)
        var position = 0
        func step(_ byte: UInt8) -> Bool {
          nextCount = 0
          for index in 0..<currentCount {
            let state = current[index]
            let accepted: Bool
            switch program[state] {
            case .literal(let expected): accepted = byte == expected
            case .segmentCharacter: accepted = byte != 0x2f
            case .set(let ranges, let negated):
              accepted = byte != 0x2f && ranges.contains { $0.contains(byte) } != negated
            case .split, .jump, .match: accepted = false
            }
            if accepted { addClosure(state + 1, generation: position + 1, into: next, &nextCount) }
          }
          position += 1
          swap(&current, &next)
          currentCount = nextCount
          return currentCount > 0
        }
        var atSegmentStart = true
        for byte in utf8 {
          if byte == 0x2f {
            if atSegmentStart { continue }
            atSegmentStart = true
          } else {
            atSegmentStart = false
          }
          if !step(byte) { return false }
        }
        if !atSegmentStart, !step(0x2f) { return false }
        for index in 0..<currentCount where program[current[index]] == .match { return true }
        return false
      }
    }
  }

  /// Follows every live state in step with the text (no backtracking).
  private func run(_ text: [Character]) -> Bool {
    var seen = [Int](repeating: -1, count: program.count)
    var current: [Int] = []
    var next: [Int] = []
    var stack: [Int] = []
    /// Adds `start` and every state reachable from it without reading a character.
    func addClosure(_ start: Int, generation: Int, into states: inout [Int]) {
      stack.append(start)
      while let state = stack.popLast() {
        guard seen[state] != generation else { continue }
        seen[state] = generation
        switch program[state] {
        case .split(let first, let second):
          stack.append(second)
          stack.append(first)
        case .jump(let target): stack.append(target)
        default: states.append(state)
        }
      }
    }
    addClosure(0, generation: 0, into: &current)
    for (position, character) in text.enumerated() {
      next.removeAll(keepingCapacity: true)
      for state in current {
        let accepted: Bool
        switch program[state] {
        case .literal(let expected): accepted = character == expected
        case .segmentCharacter: accepted = character != "/"
        case .set(let ranges, let negated):
          accepted = character != "/" && ranges.contains { $0.contains(character) } != negated
        case .split, .jump, .match: accepted = false
        }
        if accepted { addClosure(state + 1, generation: position + 1, into: &next) }
      }
      if next.isEmpty { return false }
      swap(&current, &next)
    }
    return current.contains { program[$0] == .match }
  }
}
