/// A score's formula (`kinds.<k>.scores.<name>.formula`): arithmetic over a document's numeric
/// fields. The grammar is all there is: numbers, field names, `+ - * /` and parentheses; no
/// functions, no comparisons, nothing that runs code.
///
///     expression := term (("+" | "-") term)*
///     term       := factor (("*" | "/") factor)*
///     factor     := number | name | "(" expression ")" | "-" factor
///     number     := digits ["." digits]
///     name       := letter (letter | digit | "-" | "_")*
///
/// A name starts with an ASCII letter; a `-` directly between two characters of a name belongs to
/// it (`business-value` is one field), so subtraction is written with a space before the `-`
/// (`value - cost`, or `value -cost`). Parsing is bounded: `maxLength` characters and `maxDepth`
/// nested parentheses or signs, so hostile input cannot exhaust the stack.
public indirect enum Formula: Sendable, Hashable {
  case number(Double)
  case field(String)
  case negate(Formula)
  case binary(Operator, Formula, Formula)

  public enum Operator: Character, Sendable, Hashable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
  }

  public static let maxLength = 1000
  public static let maxDepth = 32

  /// A formula that does not parse: what is wrong, at which character (0-based, in characters).
  public struct SyntaxError: Error, Sendable, Equatable {
    public var message: String
    public var offset: Int
  }

  /// Parses `text`; anything outside the grammar is a `SyntaxError` at the offending character.
  public static func parse(_ text: String) throws(SyntaxError) -> Formula {
    let characters = Array(text)
    guard characters.count <= maxLength else {
      throw SyntaxError(message: "a formula is at most \(maxLength) characters long", offset: maxLength)
    }
    var parser = Parser(characters: characters)
    let formula = try parser.expression(depth: 0)
    parser.skipSpaces()
    guard parser.index == characters.count else {
      let character = characters[parser.index]
      throw parser.unexpected(
        character == ")"
          ? "')' without its '('"
          : character == "("
            ? "'(' cannot follow a number or a field name (a formula has no functions)"
            : Parser.isLetter(character) || Parser.isDigit(character)
              ? "an operator (+ - * /) is missing before '\(character)'" : nil)
    }
    return formula
  }

  /// The fields the formula reads, each once, in order of appearance.
  public var fields: [String] {
    var names: [String] = []
    func collect(_ formula: Formula) {
      switch formula {
      case .number: break
      case .field(let name): if !names.contains(name) { names.append(name) }
      case .negate(let inner): collect(inner)
      case .binary(_, let left, let right):
        collect(left)
        collect(right)
      }
    }
    collect(self)
    return names
  }

  /// What evaluating a formula gives.
  public enum Outcome: Sendable, Equatable {
    case value(Double)
    /// A division whose divisor is zero; the fields the divisor reads (may be none: `x / 0`).
    case divisionByZero(divisorFields: [String])
    /// A result too large to be a number (overflow).
    case notFinite
  }

  /// The value with `inputs` for the fields; every field the formula reads must be in `inputs`.
  public func evaluate(_ inputs: [String: Double]) -> Outcome {
    enum Failure: Error { case division([String]), notFinite }
    func value(_ formula: Formula) throws(Failure) -> Double {
      switch formula {
      case .number(let number): return number
      case .field(let name): return inputs[name] ?? .nan
      case .negate(let inner): return -(try value(inner))
      case .binary(let op, let left, let right):
        let (a, b) = (try value(left), try value(right))
        let result: Double
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide:
          guard b != 0 else { throw .division(right.fields) }
          result = a / b
        }
        guard result.isFinite else { throw .notFinite }
        return result
      }
    }
    do {
      let result = try value(self)
      return result.isFinite ? .value(result) : .notFinite
    } catch {
      switch error {
      case .division(let fields): return .divisionByZero(divisorFields: fields)
      case .notFinite: return .notFinite
      }
    }
  }

  private struct Parser {
    let characters: [Character]
    var index = 0

    mutating func skipSpaces() {
      while index < characters.count, characters[index] == " " { index += 1 }
    }

    func unexpected(_ message: String? = nil) -> SyntaxError {
      guard index < characters.count else {
        return SyntaxError(
          message: message ?? "the formula ends where a number, a field or '(' is expected", offset: index)
      }
      let character = characters[index]
      let shown =
        character.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
        ? "'\(character)'" : "a control character"
      return SyntaxError(
        message: message
          ?? "\(shown) is not allowed in a formula (numbers, field names, + - * / and parentheses only)",
        offset: index)
    }

    mutating func expression(depth: Int) throws(SyntaxError) -> Formula {
      var left = try term(depth: depth)
      while true {
        skipSpaces()
        guard index < characters.count, let op = Operator(rawValue: characters[index]), op == .add || op == .subtract
        else { return left }
        index += 1
        left = .binary(op, left, try term(depth: depth))
      }
    }

    mutating func term(depth: Int) throws(SyntaxError) -> Formula {
      var left = try factor(depth: depth)
      while true {
        skipSpaces()
        guard index < characters.count, let op = Operator(rawValue: characters[index]),
          op == .multiply || op == .divide
        else { return left }
        index += 1
        left = .binary(op, left, try factor(depth: depth))
      }
    }

    mutating func factor(depth: Int) throws(SyntaxError) -> Formula {
      skipSpaces()
      guard index < characters.count else { throw unexpected() }
      let character = characters[index]
      if character == "(" || character == "-" {
        guard depth < Formula.maxDepth else {
          throw unexpected("more than \(Formula.maxDepth) nested parentheses or signs")
        }
        index += 1
        if character == "-" { return .negate(try factor(depth: depth + 1)) }
        let inner = try expression(depth: depth + 1)
        skipSpaces()
        guard index < characters.count, characters[index] == ")" else {
          throw unexpected(index < characters.count ? "')' expected" : "'(' is never closed")
        }
        index += 1
        return inner
      }
      if Self.isDigit(character) { return try number() }
      if Self.isLetter(character) { return name() }
      throw unexpected()
    }

    mutating func number() throws(SyntaxError) -> Formula {
      let start = index
      while index < characters.count, Self.isDigit(characters[index]) { index += 1 }
      if index < characters.count, characters[index] == "." {
        index += 1
        guard index < characters.count, Self.isDigit(characters[index]) else {
          throw unexpected("a digit must follow '.' in a number")
        }
        while index < characters.count, Self.isDigit(characters[index]) { index += 1 }
      }
      if index < characters.count, Self.isLetter(characters[index]) || characters[index] == "_" {
        throw unexpected("a field name starts with a letter")
      }
      // Digits and one '.': always a valid Double (huge ones are infinity, caught on evaluation).
      return .number(Double(String(characters[start..<index])) ?? .infinity)
    }

    mutating func name() -> Formula {
      let start = index
      index += 1
      while index < characters.count {
        let character = characters[index]
        if Self.isLetter(character) || Self.isDigit(character) || character == "_" {
          index += 1
        } else if character == "-", index + 1 < characters.count,
          Self.isLetter(characters[index + 1]) || Self.isDigit(characters[index + 1]) || characters[index + 1] == "_"
        {
          // `business-value`: a '-' between two name characters joins them.
          index += 1
        } else {
          break
        }
      }
      return .field(String(characters[start..<index]))
    }

    static func isDigit(_ character: Character) -> Bool { character >= "0" && character <= "9" && character.isASCII }
    static func isLetter(_ character: Character) -> Bool {
      character.isASCII && ((character >= "a" && character <= "z") || (character >= "A" && character <= "Z"))
    }
  }
}
