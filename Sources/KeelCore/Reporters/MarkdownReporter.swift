/// A review summary to paste into (or post as) a pull-request comment: a
/// verdict heading, the documents the change touches with their workflow state
/// changes, then the findings of each document as a table. Everything taken
/// from documents is escaped, so a message cannot break a table, open a code
/// span or inject HTML.
public struct MarkdownReporter: Reporter {
  public init() {}

  public func render(_ report: Report) -> String {
    var lines: [String] = []
    let verdict = report.errorCount > 0 ? "❌" : "✅"
    lines.append("## \(verdict) Keel: \(Wording.summary(report))")
    lines.append("")
    lines.append("Checked \(Self.codeSpan(report.source)) with keel \(TextKit.markdown(report.toolVersion)).")

    if !report.documents.isEmpty {
      lines += ["", "| Document | Kind | Change | Status |", "| --- | --- | --- | --- |"]
      for document in report.documents.sorted(by: { $0.path < $1.path }) {
        let cells = [
          Self.codeSpan(document.path, inTable: true),
          document.kind.map { TextKit.markdown($0, inTable: true) } ?? "—",
          Self.change(of: document),
          Self.status(of: document),
        ]
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
    }

    var findingsByPath: [String: [Diagnostic]] = [:]
    for diagnostic in report.diagnostics { findingsByPath[diagnostic.path, default: []].append(diagnostic) }
    if findingsByPath.isEmpty {
      lines += ["", "No findings."]
    }
    for path in findingsByPath.keys.sorted() {
      lines += [
        "", "### \(Self.codeSpan(path))", "", "| Line | Severity | Rule | Message |", "| --- | --- | --- | --- |",
      ]
      for diagnostic in findingsByPath[path, default: []] {
        var message = TextKit.markdown(diagnostic.message, inTable: true)
        for related in diagnostic.related {
          let location = "\(related.path):\(related.line):\(related.column)"
          message +=
            "<br>↳ " + Self.codeSpan(location, inTable: true) + " " + TextKit.markdown(related.message, inTable: true)
        }
        let cells = [
          "\(diagnostic.line)",
          Self.severity(diagnostic.severity),
          Self.codeSpan(diagnostic.rule, inTable: true),
          message,
        ]
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func severity(_ severity: Severity) -> String {
    switch severity {
    case .error: "❌ error"
    case .warning: "⚠️ warning"
    case .note: "ℹ️ note"
    }
  }

  private static func change(of document: DocumentSummary) -> String {
    if document.change == .renamed, let previous = document.previousPath {
      return "renamed from " + codeSpan(previous, inTable: true)
    }
    return document.change.rawValue
  }

  /// `draft → review` when the state changed, the state when it did not, `—` without one.
  private static func status(of document: DocumentSummary) -> String {
    switch (document.stateBefore, document.stateAfter) {
    case (let before?, let after?) where before != after:
      TextKit.markdown(before, inTable: true) + " → " + TextKit.markdown(after, inTable: true)
    case (_, let after?): TextKit.markdown(after, inTable: true)
    case (let before?, nil): TextKit.markdown(before, inTable: true)
    case (nil, nil): "—"
    }
  }

  /// A code span showing `text` literally: the fence is one backtick longer than
  /// the longest run inside, padded with spaces when the text starts or ends
  /// with a backtick or space; line breaks become spaces; in a table `|`
  /// is written `\|` (GitHub removes the backslash inside code spans in tables).
  static func codeSpan(_ text: String, inTable: Bool = false) -> String {
    var content = ""
    var longestRun = 0
    var run = 0
    for scalar in text.unicodeScalars {
      run = scalar == "`" ? run + 1 : 0
      longestRun = max(longestRun, run)
      switch scalar {
      case "\n", "\r", "\t": content += " "
      case "|" where inTable: content += "\\|"
      default: content += TextKit.isControl(scalar) ? "\u{FFFD}" : String(scalar)
      }
    }
    if content.isEmpty { return "—" }
    let fence = String(repeating: "`", count: longestRun + 1)
    let needsPadding =
      content.hasPrefix("`") || content.hasSuffix("`") || content.hasPrefix(" ") || content.hasSuffix(" ")
    return needsPadding ? "\(fence) \(content) \(fence)" : "\(fence)\(content)\(fence)"
  }
}
