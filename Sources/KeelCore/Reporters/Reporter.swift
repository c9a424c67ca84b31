/// Turns a report into the text of one output format. The text ends with a
/// newline (unless empty); write it as it is.
public protocol Reporter: Sendable {
  func render(_ report: Report) -> String
}

/// The formats of `keel check --format`.
public enum OutputFormat: String, CaseIterable, Sendable {
  case text, json, sarif, github, junit, markdown

  /// The reporter for this format. `colour` only affects `text`, `links` only `markdown`.
  public func reporter(colour: Bool = false, links: SourceLinks? = nil) -> any Reporter {
    switch self {
    case .text: TextReporter(colour: colour)
    case .json: JSONReporter()
    case .sarif: SARIFReporter()
    case .github: GitHubReporter()
    case .junit: JUnitReporter()
    case .markdown: MarkdownReporter(links: links)
    }
  }

  /// Whether the reporter reads `Report.sourceLines` (SARIF fingerprints a finding by its line);
  /// the others do not need the files read again.
  public var usesSourceLines: Bool { self == .sarif }
}

/// Decisions about the terminal the CLI writes to.
public enum Terminal {
  /// Colour only on a terminal, never when `NO_COLOR` is set to a non-empty
  /// value (no-color.org) and never on a `dumb` terminal.
  public static func shouldColour(environment: [String: String], isTTY: Bool) -> Bool {
    if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
    if environment["TERM"] == "dumb" { return false }
    return isTTY
  }
}

/// Wording shared by the human-readable reporters.
enum Wording {
  /// `1 error`, `3 warnings`.
  static func count(_ number: Int, _ singular: String) -> String {
    "\(number) \(singular)\(number == 1 ? "" : "s")"
  }

  /// `3 errors, 1 warning in 12 documents` (notes only when there are some).
  static func summary(_ report: Report) -> String {
    var parts = [count(report.errorCount, "error"), count(report.warningCount, "warning")]
    if report.noteCount > 0 { parts.append(count(report.noteCount, "note")) }
    return parts.joined(separator: ", ") + " in " + count(report.documentCount, "document") + adoption(report)
  }

  /// `; 3 suppressed, 2000 in the baseline, 2 gone from it` (each part only when not zero).
  static func adoption(_ report: Report) -> String {
    var parts: [String] = []
    if !report.suppressed.isEmpty { parts.append("\(report.suppressed.count) suppressed") }
    if !report.baselined.isEmpty { parts.append("\(report.baselined.count) in the baseline") }
    if !report.gone.isEmpty {
      parts.append("\(report.gone.count) gone from \(report.baselined.isEmpty ? "the baseline" : "it")")
    }
    return parts.isEmpty ? "" : "; " + parts.joined(separator: ", ")
  }
}
