import Foundation

/// Escaping and small helpers shared by the export formats.
enum ExportText {
  /// One CSV record per RFC 4180: a field is quoted when it holds a comma, a
  /// quote, a line break or surrounding spaces; quotes inside are doubled;
  /// records end with CRLF.
  static func csvRecord(_ fields: [String], spreadsheetSafe: Bool = false) -> String {
    fields.map { csvField($0, spreadsheetSafe: spreadsheetSafe) }.joined(separator: ",") + "\r\n"
  }

  /// Characters a spreadsheet reads, at the start of a cell, as the start of a formula
  /// (OWASP's list for CSV injection).
  static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

  /// - Parameter spreadsheetSafe: a value starting with a formula character gets an apostrophe in
  ///   front, which spreadsheets show as text and hide (the value in the file then differs from the source).
  static func csvField(_ field: String, spreadsheetSafe: Bool = false) -> String {
    if spreadsheetSafe, let first = field.first, formulaStarts.contains(first) {
      return csvField("'" + field)
    }
    let needsQuotes =
      field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
      || field.first?.isWhitespace == true || field.last?.isWhitespace == true
    guard needsQuotes else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Text for HTML element content and attribute values: every character that
  /// could end a text node or an attribute is an entity.
  static func html(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "'": output += "&#39;"
      case "\u{0}": output += "\u{FFFD}"
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  /// Markdown text that renders as itself (no emphasis, links or HTML); in a
  /// table, `|` and line breaks are escaped too.
  static func markdown(_ text: String, inTable: Bool = false) -> String {
    MarkdownReporter.escape(text, inTable: inTable)
  }

  /// A fragment id for a heading: lower case, letters and digits kept
  /// (non-ASCII included), everything else collapsed to `-`.
  static func slug(_ text: String) -> String {
    var result = ""
    var pendingDash = false
    for scalar in text.lowercased().unicodeScalars {
      if AvoidedTermMatcher.isWordScalar(scalar) && scalar != "_" {
        if pendingDash && !result.isEmpty { result += "-" }
        pendingDash = false
        result.unicodeScalars.append(scalar)
      } else {
        pendingDash = true
      }
    }
    return result.isEmpty ? "term" : result
  }

  /// Slugs made unique in order: the second `basket` becomes `basket-2`.
  static func uniqueSlugs(_ texts: [String]) -> [String] {
    var used = Set<String>()
    return texts.map { text in
      let base = slug(text)
      var candidate = base
      var counter = 2
      while !used.insert(candidate).inserted {
        candidate = "\(base)-\(counter)"
        counter += 1
      }
      return candidate
    }
  }
}
