import Foundation
import JSONSchema
import Testing

struct JSONParserTests {
  @Test func recordsPositionsOfValuesAndKeys() throws {
    let text = """
      {
        "title": "Café",
        "tags": ["a", "b"],
        "né": {"x": 1}
      }
      """
    let parsed = try JSONParser.parse(text)
    #expect(parsed.sourceMap.values[""] == SourcePosition(line: 1, column: 1))
    #expect(parsed.sourceMap.keys["/title"] == SourcePosition(line: 2, column: 3))
    #expect(parsed.sourceMap.values["/title"] == SourcePosition(line: 2, column: 12))
    #expect(parsed.sourceMap.values["/tags/1"] == SourcePosition(line: 3, column: 17))
    // Columns count Unicode scalars: "né" is two columns wide.
    #expect(parsed.sourceMap.values["/né/x"] == SourcePosition(line: 4, column: 15))
  }

  @Test func keepsIntegerAndFloatApart() throws {
    let parsed = try JSONParser.parse(#"[1, 1.0, -0, 1e2, 12345678901234567890, "\u00e9\ud83d\ude00"]"#)
    #expect(
      parsed.value
        == .array([.integer(1), .number(1.0), .integer(0), .number(100), .number(1.2345678901234567e19), .string("é😀")])
    )
  }

  @Test func skipsByteOrderMarkAndKeepsLastDuplicateKey() throws {
    let parsed = try JSONParser.parse(Data([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1, "a": 2}"#.utf8)))
    #expect(parsed.value == .object(JSONObject([("a", .integer(2))])))
    #expect(parsed.sourceMap.values[""] == SourcePosition(line: 1, column: 1))
  }

  @Test func loneSurrogateBecomesReplacementCharacter() throws {
    #expect(try JSONParser.parse(#""\ud800x""#).value == .string("\u{FFFD}x"))
  }

  @Test(arguments: [
    ("{\"a\": 1,}", 1, 9, "expected a property name"),
    ("[1, 2", 1, 6, "unexpected end of input"),
    ("{\n  \"a\": tru\n}", 2, 8, "invalid literal"),
    ("[01]", 1, 3, "leading zero"),
    ("\"abc", 1, 1, "unterminated string"),
    ("[\"a\tb\"]", 1, 4, "control character"),
    ("{\"a\" 1}", 1, 6, "expected ':'"),
    ("[1] 2", 1, 5, "after the JSON value"),
    ("", 1, 1, "expected a value"),
  ])
  func reportsLocatedErrors(text: String, line: Int, column: Int, fragment: String) {
    do {
      _ = try JSONParser.parse(text)
      Issue.record("expected a parse error for \(text)")
    } catch {
      #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
      #expect(error.message.contains(fragment), "\(error.message)")
    }
  }

  @Test func rejectsInvalidUTF8() {
    #expect(throws: JSONParseError.self) { try JSONParser.parse(Data([0x22, 0xFF, 0xFE, 0x22])) }
  }

  @Test func deepNestingIsAClearErrorNotACrash() throws {
    let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    let outcome = onSmallStack { () -> String in
      do {
        _ = try JSONParser.parse(deep)
        return "parsed"
      } catch {
        return "\(error)"
      }
    }
    #expect(outcome == "1:513: nesting deeper than 512 levels")
  }

  @Test func serializesBackToEquivalentJSON() throws {
    let text = #"{"a":[1,2.5,"x\n\"y\"",null,true,{"b":false}],"c":1.0}"#
    let value = try JSONParser.parse(text).value
    #expect(value.jsonText() == text)
    #expect(try JSONParser.parse(value.jsonText()).value == value)
  }
}

/// Runs `body` on a thread with a 512 KB stack (the size of secondary threads on some platforms).
func onSmallStack<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
  let box = ResultBox<T>()
  let done = DispatchSemaphore(value: 0)
  let thread = Thread {
    box.value = body()
    done.signal()
  }
  thread.stackSize = 512 * 1024
  thread.start()
  done.wait()
  return box.value!
}

final class ResultBox<T>: @unchecked Sendable {
  var value: T?
}
