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

/// `--color`: whether text output is coloured.
public enum ColourChoice: String, CaseIterable, Sendable {
  /// As the environment and the terminal say (`Terminal.shouldColour`).
  case auto
  case always
  case never
}

/// Decisions about the terminal the CLI writes to.
public enum Terminal {
  /// `--color always|never` decides. Otherwise (`auto`): never when `NO_COLOR` is set to a
  /// non-empty value (no-color.org), always when `FORCE_COLOR` is (force-color.org: CI logs that
  /// show colour are not terminals), else only on a terminal that is not `dumb`.
  public static func shouldColour(_ choice: ColourChoice = .auto, environment: [String: String], isTTY: Bool) -> Bool {
    switch choice {
    case .always: return true
    case .never: return false
    case .auto: break
    }
    if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
    if let forceColour = environment["FORCE_COLOR"], !forceColour.isEmpty { return true }
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

  /// `3 errors, 1 warning in 12 documents` (notes only when there are some), `… in 0 documents and
  /// 3 RACI, people and glossary files` when it checked some of those.
  static func summary(_ report: Report) -> String {
    var parts = [count(report.errorCount, "error"), count(report.warningCount, "warning")]
    if report.noteCount > 0 { parts.append(count(report.noteCount, "note")) }
    var checked = count(report.documentCount, "document")
    if report.fileCount > 0 { checked += " and " + count(report.fileCount, "RACI, people and glossary file") }
    return parts.joined(separator: ", ") + " in " + checked + adoption(report)
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
