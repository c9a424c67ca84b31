/// A path glob as used in keel.yaml: `*` matches within one path segment, `**`
/// matches any number of whole segments (including none), `?` one character,
/// `[abc]`/`[a-z]`/`[!a]` a character class, `{md,markdown}` alternatives.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
  public let pattern: String
  private let alternatives: [[Segment]]

  private enum Segment: Hashable, Sendable {
    case anyDepth
    case pattern([Token])
  }

  private enum Token: Hashable, Sendable {
    case literal(Character)
    case any
    case one
    case set([ClosedRange<Character>], negated: Bool)
  }

  public init(_ pattern: String) {
    self.pattern = pattern
    self.alternatives = Glob.expandBraces(pattern).map { Glob.compile($0) }
  }

  public var description: String { pattern }

  public func matches(_ path: String) -> Bool {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
    return alternatives.contains { Glob.match($0[...], parts[...]) }
  }

  private static func expandBraces(_ pattern: String) -> [String] {
    guard let open = pattern.firstIndex(of: "{"),
      let close = pattern[open...].firstIndex(of: "}")
    else { return [pattern] }
    let head = pattern[..<open]
    let tail = String(pattern[pattern.index(after: close)...])
    let options = pattern[pattern.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false)
    return options.flatMap { option in expandBraces(head + option + tail) }
  }

  private static func compile(_ pattern: String) -> [Segment] {
    pattern.split(separator: "/", omittingEmptySubsequences: true).map { segment in
      if segment == "**" { return .anyDepth }
      var tokens: [Token] = []
      var characters = Array(segment)[...]
      while let character = characters.popFirst() {
        switch character {
        case "*": if tokens.last != .any { tokens.append(.any) }
        case "?": tokens.append(.one)
        case "[":
          if let close = characters.firstIndex(of: "]") {
            var body = Array(characters[..<close])
            characters = characters[(close + 1)...]
            let negated = body.first == "!" || body.first == "^"
            if negated { body.removeFirst() }
            var ranges: [ClosedRange<Character>] = []
            var index = 0
            while index < body.count {
              if index + 2 < body.count, body[index + 1] == "-" {
                ranges.append(min(body[index], body[index + 2])...max(body[index], body[index + 2]))
                index += 3
              } else {
                ranges.append(body[index]...body[index])
                index += 1
              }
            }
            tokens.append(.set(ranges, negated: negated))
          } else {
            tokens.append(.literal("["))
          }
        case "\\": tokens.append(.literal(characters.popFirst() ?? "\\"))
        default: tokens.append(.literal(character))
        }
      }
      return .pattern(tokens)
    }
  }

  private static func match(_ segments: ArraySlice<Segment>, _ parts: ArraySlice<[Character]>) -> Bool {
    guard let first = segments.first else { return parts.isEmpty }
    switch first {
    case .anyDepth:
      let rest = segments.dropFirst()
      var remaining = parts
      while true {
        if match(rest, remaining) { return true }
        guard !remaining.isEmpty else { return false }
        remaining = remaining.dropFirst()
      }
    case .pattern(let tokens):
      guard let part = parts.first, matchSegment(tokens[...], part[...]) else { return false }
      return match(segments.dropFirst(), parts.dropFirst())
    }
  }

  private static func matchSegment(_ tokens: ArraySlice<Token>, _ text: ArraySlice<Character>) -> Bool {
    guard let token = tokens.first else { return text.isEmpty }
    switch token {
    case .any:
      var rest = text
      while true {
        if matchSegment(tokens.dropFirst(), rest) { return true }
        guard !rest.isEmpty else { return false }
        rest = rest.dropFirst()
      }
    case .one:
      return !text.isEmpty && matchSegment(tokens.dropFirst(), text.dropFirst())
    case .literal(let character):
      return text.first == character && matchSegment(tokens.dropFirst(), text.dropFirst())
    case .set(let ranges, let negated):
      guard let character = text.first else { return false }
      return ranges.contains { $0.contains(character) } != negated && matchSegment(tokens.dropFirst(), text.dropFirst())
    }
  }
}
