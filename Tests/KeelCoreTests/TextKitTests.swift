import Foundation
import KeelTestSupport
import Testing

@testable import KeelCore

@Suite struct TextKitTests {
  /// Every C0 control, DEL and every C1 control.
  static let controls: [Unicode.Scalar] =
    (0..<0x20).map { Unicode.Scalar($0)! }
    + (0x7F...0x9F).map {
      Unicode.Scalar($0)!
    }

  @Test func terminalShowsControlsVisibly() {
    #expect(TextKit.terminal("title \u{1B}[31mred\u{7}") == "title \\u{1B}[31mred\\u{7}")
    #expect(TextKit.terminal("two\nlines\twith a tab") == "two\nlines\twith a tab")
    #expect(TextKit.terminal("over\rwrite \u{9B}2J \u{7F}") == "over\\u{D}write \\u{9B}2J \\u{7F}")
    #expect(TextKit.terminal("Zoë ✓") == "Zoë ✓")
    #expect(TextKit.terminalLine("a\r\nb\nc\u{1B}") == "a b c\\u{1B}")
    for scalar in Self.controls where scalar != "\n" && scalar != "\t" {
      let shown = TextKit.terminal("x" + String(scalar))
      #expect(!shown.unicodeScalars.contains(where: TextKit.isControl), "\(scalar.value)")
      #expect(
        !TextKit.terminalLine(String(scalar)).unicodeScalars.contains(where: { TextKit.isControl($0) && $0 != "\t" }))
    }
  }

  @Test(arguments: [
    ("plain text, nothing to escape", "plain text, nothing to escape"),
    ("a | b", "a \\| b"),
    ("*bold* _it_ `code` [link] <tag>", "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\] &lt;tag&gt;"),
    ("back\\slash", "back\\\\slash"),
    ("Fish & chips", "Fish &amp; chips"),
    ("two\nlines", "two lines"),
    ("windows\r\nline", "windows line"),
    ("old mac\rline", "old mac line"),
    ("Zoë | Łukasz_", "Zoë \\| Łukasz\\_"),
    ("bell\u{7} esc\u{1B} csi\u{9B}", "bell\u{FFFD} esc\u{FFFD} csi\u{FFFD}"),
  ])
  func markdownRendersLiterally(_ text: String, _ escaped: String) {
    #expect(TextKit.markdown(text) == escaped)
    #expect(
      TextKit.markdown(text, inTable: true)
        == escaped.replacingOccurrences(of: " lines", with: "<br>lines")
        .replacingOccurrences(of: "windows line", with: "windows<br>line").replacingOccurrences(
          of: "mac line", with: "mac<br>line"))
  }

  /// `markdown` copies the runs between escapes whole: the same text as escaping scalar by scalar,
  /// also around combining marks, CR LF pairs and C1 controls.
  @Test func markdownCopiesRunsAsScalarByScalarEscaping() {
    func reference(_ text: String, inTable: Bool) -> String {
      var output = ""
      var previousWasCarriageReturn = false
      for scalar in text.unicodeScalars {
        defer { previousWasCarriageReturn = scalar == "\r" }
        switch scalar {
        case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!", "$", "{", "}": output += "\\" + String(scalar)
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\n" where previousWasCarriageReturn: break
        case "\n", "\r": output += inTable ? "<br>" : " "
        case "\t": output += " "
        default:
          if TextKit.isControl(scalar) { output += "\u{FFFD}" } else { output.unicodeScalars.append(scalar) }
        }
      }
      return output
    }
    let alphabet: [String] = [
      "a", "Z", " ", "-", ">", "<", "&", "*", "|", "\\", "\r", "\n", "\t", "\u{7}", "\u{85}", "\u{301}", "é", "👩‍💻",
      "\u{200D}", "Ł", "#", "{",
    ]
    var generator = SeededGenerator(state: 14)
    for _ in 0..<2_000 {
      let length = Int(generator.next() % 12)
      let text = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
      for inTable in [false, true] {
        #expect(
          TextKit.markdown(text, inTable: inTable) == reference(text, inTable: inTable), "\(text.debugDescription)")
      }
    }
  }

  @Test func csvHasOneFormulaPolicy() {
    #expect(TextKit.csvField("=SUM(A1)") == "=SUM(A1)")
    #expect(TextKit.csvField("=SUM(A1)", spreadsheetSafe: true) == "'=SUM(A1)")
    #expect(TextKit.csvField("\tx", spreadsheetSafe: true) == "'\tx")
    #expect(TextKit.csvField("a,b") == "\"a,b\"")
    #expect(TextKit.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(TextKit.csvRecord(["a", "-1"], spreadsheetSafe: true) == "a,'-1\r\n")
  }

  @Test func jsonEscapesEveryControl() throws {
    for scalar in Self.controls + ["\"", "\\", "\u{2028}"] {
      let text = "a" + String(scalar) + "é"
      let quoted = TextKit.json(text)
      #expect(!quoted.unicodeScalars.dropFirst().dropLast().contains(where: TextKit.isControl), "\(scalar.value)")
      let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
      #expect(decoded == [text], "\(scalar.value)")
    }
    #expect(TextKit.json("plain") == "\"plain\"")
    #expect(TextKit.json("\u{1B}[0m") == "\"\\u001B[0m\"")
  }

  @Test func xmlCarriesNoControlAndNoMarkup() throws {
    #expect(
      TextKit.xml("<b>bold</b> & 'quoted' \"x\"") == "&lt;b&gt;bold&lt;/b&gt; &amp; &#39;quoted&#39; &quot;x&quot;")
    #expect(TextKit.xml("a\nb\tc\rd") == "a&#10;b&#9;c&#13;d")
    #expect(TextKit.xml("bell\u{7} nul\u{0} csi\u{9B} \u{FFFE}") == "bell\u{FFFD} nul\u{FFFD} csi\u{FFFD} \u{FFFD}")
  }

  @Test func dotEscapesQuotesBackslashesAndLineBreaks() {
    #expect(TextKit.dot(#"say "hi" \ <b>{x|y}</b>"#) == #"say \"hi\" \\ <b>{x|y}</b>"#)
    #expect(TextKit.dot("a\nb\r\nc\rd") == #"a\nb\nc\nd"#)
    #expect(TextKit.dot("esc\u{1B}[31m bell\u{7} csi\u{9B}") == "esc\u{FFFD}[31m bell\u{FFFD} csi\u{FFFD}")
    for scalar in Self.controls {
      #expect(!TextKit.dot("a" + String(scalar)).unicodeScalars.contains(where: TextKit.isControl), "\(scalar.value)")
    }
  }

  @Test func mermaidEncodesEverythingButLettersDigitsAndPlainPunctuation() {
    #expect(TextKit.mermaid("Guest checkout (v2): 3.5/day, éa_b-c") == "Guest checkout (v2): 3.5/day, éa_b-c")
    #expect(TextKit.mermaid(#""]|<b>#;"#) == "#34;#93;#124;#60;b#62;#35;#59;")
    #expect(TextKit.mermaid("a\nb\tc\u{1B}d\u{85}") == "a b c\u{FFFD}d\u{FFFD}")
    #expect(TextKit.mermaid("x-->y") == "x--#62;y")
  }
}
