import Testing

@testable import KeelCore

@Suite("Score formulas")
struct FormulaTests {
  @Test("precedence, parentheses, unary minus, decimals")
  func evaluates() throws {
    let rice = try Formula.parse("reach * impact * confidence / effort")
    #expect(rice.fields == ["reach", "impact", "confidence", "effort"])
    #expect(rice.evaluate(["reach": 500, "impact": 2, "confidence": 0.8, "effort": 4]) == .value(200))
    #expect(try Formula.parse("1 + 2 * 3").evaluate([:]) == .value(7))
    #expect(try Formula.parse("(1 + 2) * 3").evaluate([:]) == .value(9))
    #expect(try Formula.parse("10 - 4 - 3").evaluate([:]) == .value(3))
    #expect(try Formula.parse("-2 * -x").evaluate(["x": 1.5]) == .value(3))
    #expect(try Formula.parse("  0.25*4 ").evaluate([:]) == .value(1))
  }

  @Test("a '-' between name characters joins them; subtraction has a space before the '-'")
  func subtraction() throws {
    let wsjf = try Formula.parse("(business-value + time-criticality + risk-reduction) / job-size")
    #expect(wsjf.fields == ["business-value", "time-criticality", "risk-reduction", "job-size"])
    #expect(try Formula.parse("a-b").fields == ["a-b"])
    #expect(try Formula.parse("a - b").evaluate(["a": 5, "b": 3]) == .value(2))
    #expect(try Formula.parse("a -b").evaluate(["a": 5, "b": 3]) == .value(2))
    #expect(try Formula.parse("a- b").evaluate(["a": 5, "b": 3]) == .value(2))
    #expect(try Formula.parse("3-2").evaluate([:]) == .value(1))
    #expect(try Formula.parse("v2_x-1").fields == ["v2_x-1"])
  }

  @Test(
    "anything outside the grammar is an error at the offending character",
    arguments: [
      ("reach * max(impact)", 11, "'(' cannot follow"), ("a; rm -rf /", 1, "';' is not allowed"),
      ("a ** b", 3, "'*' is not allowed"), ("a / ", 4, "the formula ends"), ("(a + b", 6, "'(' is never closed"),
      ("a + b)", 5, "')' without its '('"), ("2x", 1, "a field name starts with a letter"),
      ("1.", 2, "a digit must follow '.'"), ("a b", 2, "an operator (+ - * /) is missing before 'b'"),
      ("", 0, "the formula ends"), ("_a", 0, "'_' is not allowed"), ("é + 1", 0, "'é' is not allowed"),
      ("a\u{1B}[31m", 1, "a control character"), ("a \t b", 2, "a control character"),
      ("1e3", 1, "a field name starts"),
      ("a == b", 2, "'=' is not allowed"), ("$x", 0, "'$' is not allowed"),
    ])
  func rejects(_ input: (String, Int, String)) {
    let (text, offset, message) = input
    #expect(throws: Formula.SyntaxError.self) { try Formula.parse(text) }
    do {
      _ = try Formula.parse(text)
    } catch {
      #expect(error.offset == offset, "\(text): \(error)")
      #expect(error.message.contains(message), "\(text): \(error.message)")
    }
  }

  @Test("depth and length are bounded: hostile input is an error, not a stack overflow")
  func limits() throws {
    let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
    #expect(throws: Formula.SyntaxError.self) { try Formula.parse(deep) }
    let nested = String(repeating: "(", count: Formula.maxDepth) + "1" + String(repeating: ")", count: Formula.maxDepth)
    #expect(try Formula.parse(nested).evaluate([:]) == .value(1))
    let tooDeep = "(" + nested + ")"
    do {
      _ = try Formula.parse(tooDeep)
      Issue.record("accepted \(Formula.maxDepth + 1) levels")
    } catch {
      #expect(error.offset == Formula.maxDepth)
      #expect(error.message.contains("nested"))
    }
    let signs = String(repeating: "-", count: 500) + "1"
    #expect(throws: Formula.SyntaxError.self) { try Formula.parse(signs) }
    let long = Array(repeating: "a", count: 600).joined(separator: "+")
    #expect(throws: Formula.SyntaxError.self) { try Formula.parse(long) }
  }

  @Test("division by zero names the divisor's fields; overflow is not a number")
  func invalid() throws {
    let rice = try Formula.parse("reach * impact / (effort - done)")
    #expect(
      rice.evaluate(["reach": 1, "impact": 1, "effort": 2, "done": 2])
        == .divisionByZero(divisorFields: ["effort", "done"]))
    #expect(try Formula.parse("x / 0").evaluate(["x": 1]) == .divisionByZero(divisorFields: []))
    #expect(try Formula.parse("x * x * x").evaluate(["x": 1e200]) == .notFinite)
    #expect(try Formula.parse(String(repeating: "9", count: 400)).evaluate([:]) == .notFinite)
  }
}
