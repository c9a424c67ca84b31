import JSONSchema

/// Text written into each output language Keel speaks, one function per language: the terminal,
/// Markdown, CSV, JSON strings, and XML/HTML (also SVG). Every reporter, export and command goes
/// through these, so a value read from a repository (a title, a status, a kind name, an author)
/// cannot change the meaning of the text around it, nor drive the terminal it is printed on.
public enum TextKit {
  // MARK: Terminal

  /// C0 and C1 control characters and DEL: what a terminal may act on instead of showing.
  public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  /// Text for a terminal: line breaks (`\n`) and tabs stay; every other control character (ESC,
  /// BEL, a carriage return, DEL, C1 controls) is shown visibly as its Swift escape, `\u{1B}`, so
  /// an escape sequence planted in a document is printed, not run.
  public static func terminal(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) else { return text }
    return replacingScalars(text) { isControl($0) && $0 != "\n" && $0 != "\t" ? visible($0) : nil }
  }

  /// Like `terminal`, on one line: a line break (`\n`, `\r` or `\r\n`) becomes one space.
  public static func terminalLine(_ text: String) -> String {
    // Nearly every message has nothing to replace: C0 controls and DEL are single bytes, and a C1
    // control is the two bytes 0xC2 0x80...0x9F.
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) { return text }
    var result = ""
    var previousWasBreak = false
    for scalar in text.unicodeScalars {
      if scalar == "\n" || scalar == "\r" {
        if !previousWasBreak { result.unicodeScalars.append(" ") }
        previousWasBreak = true
        continue
      }
      previousWasBreak = false
      if isControl(scalar) && scalar != "\t" {
        result += visible(scalar)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  private static func visible(_ scalar: Unicode.Scalar) -> String {
    "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
  }

  // MARK: Markdown

  /// Inline Markdown text that renders as the literal characters: ASCII punctuation with a meaning
  /// (emphasis, links, code, tables, math) gets a backslash, `&`, `<`, `>` become entities, a line
  /// break becomes `<br>` in a table cell (a space elsewhere), a tab a space, and other control
  /// characters U+FFFD. Text with nothing to escape is returned as it is.
  public static func markdown(_ text: String, inTable: Bool = false) -> String {
    let needsWork = text.utf8.contains { byte in
      switch byte {
      case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
        UInt8(ascii: "]"), UInt8(ascii: "|"), UInt8(ascii: "~"), UInt8(ascii: "#"), UInt8(ascii: "!"),
        UInt8(ascii: "$"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "<"),
        UInt8(ascii: ">"), 0x7F, 0xC2:
        true
      default: byte < 0x20
      }
    }
    guard needsWork else { return text }
    // Runs of text with nothing to escape are copied whole (a changelog escapes thousands of
    // commit summaries such as `draft -> review`).
    var output = ""
    output.reserveCapacity(text.utf8.count + 8)
    var previousWasCarriageReturn = false
    let scalars = text.unicodeScalars
    var run = scalars.startIndex
    var index = scalars.startIndex
    while index < scalars.endIndex {
      let scalar = scalars[index]
      let next = scalars.index(after: index)
      let replacement: String?
      switch scalar {
      case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!", "$", "{", "}": replacement = "\\" + String(scalar)
      case "&": replacement = "&amp;"
      case "<": replacement = "&lt;"
      case ">": replacement = "&gt;"
      case "\n" where previousWasCarriageReturn: replacement = ""
      case "\n", "\r": replacement = inTable ? "<br>" : " "
      case "\t": replacement = " "
      default: replacement = isControl(scalar) ? "\u{FFFD}" : nil
      }
      if let replacement {
        output += String(scalars[run..<index])
        output += replacement
        run = next
      }
      previousWasCarriageReturn = scalar == "\r"
      index = next
    }
    output += String(scalars[run...])
    return output
  }

  // MARK: CSV

  /// Characters a spreadsheet reads, at the start of a cell, as the start of a formula (OWASP's
  /// list for CSV injection). The one formula policy of every CSV Keel writes.
  public static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

  /// One CSV record per RFC 4180, ending with CRLF.
  public static func csvRecord(_ fields: [String], spreadsheetSafe: Bool = false) -> String {
    fields.map { csvField($0, spreadsheetSafe: spreadsheetSafe) }.joined(separator: ",") + "\r\n"
  }

  /// A CSV field: quoted when it holds a comma, a quote, a line break or surrounding spaces;
  /// quotes inside are doubled.
  /// - Parameter spreadsheetSafe: a value starting with a formula character gets an apostrophe in
  ///   front, which spreadsheets show as text and hide (the value in the file then differs from the source).
  public static func csvField(_ field: String, spreadsheetSafe: Bool = false) -> String {
    if spreadsheetSafe, let first = field.first, formulaStarts.contains(first) {
      return csvField("'" + field)
    }
    let needsQuotes =
      field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
      || field.first?.isWhitespace == true || field.last?.isWhitespace == true
    guard needsQuotes else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  // MARK: JSON

  /// A JSON string literal: `"` and `\` escaped, every control character (C0, DEL, C1) escaped,
  /// so JSON shown on a terminal cannot drive it (JSONSchema's writer: one implementation).
  public static func json(_ string: String) -> String { JSONValue.quotedString(string) }

  // MARK: XML and HTML

  /// Text for XML and HTML (and SVG) element content and quoted attribute values: every character
  /// that could end a text node or an attribute is a reference; line breaks and tabs are character
  /// references (attribute values would otherwise lose them to normalisation); characters XML 1.0
  /// cannot carry (other control characters, U+FFFE, U+FFFF) become U+FFFD.
  public static func xml(_ text: String) -> String {
    replacingScalars(text) { scalar in
      switch scalar {
      case "&": "&amp;"
      case "<": "&lt;"
      case ">": "&gt;"
      case "\"": "&quot;"
      case "'": "&#39;"
      case "\n": "&#10;"
      case "\r": "&#13;"
      case "\t": "&#9;"
      default: isControl(scalar) || scalar.value == 0xFFFE || scalar.value == 0xFFFF ? "\u{FFFD}" : nil
      }
    }
  }

  // MARK: Graph languages

  /// Text inside a double-quoted Graphviz DOT string (an id, or a label): `"` and `\` escaped, a
  /// line break as DOT's `\n`, other control characters U+FFFD. Nothing else has a meaning there.
  public static func dot(_ text: String) -> String {
    var previousWasCarriageReturn = false
    return replacingScalars(text) { scalar in
      defer { previousWasCarriageReturn = scalar == "\r" }
      switch scalar {
      case "\"": return "\\\""
      case "\\": return "\\\\"
      case "\n" where previousWasCarriageReturn: return ""
      case "\n", "\r": return "\\n"
      default: return isControl(scalar) ? "\u{FFFD}" : nil
      }
    }
  }

  /// Text inside a double-quoted Mermaid label: letters, digits, spaces and `.,-_/:()` stay; every
  /// other character is a Mermaid entity code (`#35;` for `#`), so no quote, bracket, pipe, `<`
  /// or `;` can end the label or reach the page as markup; a line break is a space, other control
  /// characters U+FFFD.
  public static func mermaid(_ text: String) -> String {
    replacingScalars(text) { scalar in
      if scalar == "\n" || scalar == "\r" || scalar == "\t" { return " " }
      if isControl(scalar) { return "\u{FFFD}" }
      if scalar == " " || ".,-_/:()".unicodeScalars.contains(scalar) { return nil }
      if scalar.isASCII
        ? scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) : scalar.properties.isAlphabetic
      {
        return nil
      }
      return "#\(scalar.value);"
    }
  }

  // MARK: Any language

  /// `text` with each scalar that `replacement` maps replaced (nil: the scalar stays): the loop every
  /// escaper above and the YAML and GitHub ones share.
  /// `replacement` sees each scalar once, in order; the runs it keeps are copied whole, and a text
  /// it keeps entirely is returned as it is.
  public static func replacingScalars(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
    let scalars = text.unicodeScalars
    var output: String?
    var kept = scalars.startIndex
    var index = scalars.startIndex
    while index < scalars.endIndex {
      let next = scalars.index(after: index)
      if let replaced = replacement(scalars[index]) {
        if output == nil {
          output = ""
          output?.reserveCapacity(text.utf8.count + replaced.utf8.count)
        }
        output? += Substring(scalars[kept..<index])
        output? += replaced
        kept = next
      }
      index = next
    }
    guard var output else { return text }
    output += Substring(scalars[kept...])
    return output
  }

}
