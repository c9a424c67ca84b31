/// A short summary to paste into (or post as) a pull-request comment: a
/// verdict line, a table of the documents (the ones the change touches in
/// review mode, with their workflow state changes; else the ones with
/// findings) with their counts, then each document's findings as a table
/// folded into a `<details>` element. With `links`, line numbers and paths
/// link to the checked commit. Everything taken from documents is escaped, so
/// a message cannot break a table, open a code span or inject HTML.
public struct MarkdownReporter: Reporter {
  /// Where line numbers link to (from `SourceLinks(environment:)`); nil: no links.
  public var links: SourceLinks?

  public init(links: SourceLinks? = nil) { self.links = links }

  public func render(_ report: Report) -> String {
    var lines: [String] = []
    let verdict = report.errorCount > 0 ? "❌" : "✅"
    lines.append("## \(verdict) Keel: \(Wording.summary(report))")
    lines.append("")
    lines.append("Checked \(Self.codeSpan(report.source)) with keel \(TextKit.markdown(report.toolVersion)).")

    // Every path is shown from the repository root, as the links need it.
    let paths = report.paths
    var findingsByPath: [String: [Diagnostic]] = [:]
    for diagnostic in report.diagnostics {
      findingsByPath[paths.repository(diagnostic.path), default: []].append(diagnostic)
    }
    if !report.documents.isEmpty {
      lines += ["", "| Document | Kind | Change | Status | Findings |", "| --- | --- | --- | --- | --- |"]
      let documents = report.documents.map { document in
        var document = document
        document.path = paths.repository(document.path)
        document.previousPath = document.previousPath.map(paths.repository)
        return document
      }.sorted(by: { $0.path < $1.path })
      let listed = Set(documents.map(\.path))
      for document in documents {
        let cells = [
          pathCell(document.path), document.kind.map { TextKit.markdown($0, inTable: true) } ?? "—",
          Self.change(of: document), Self.status(of: document), Self.counts(findingsByPath[document.path] ?? []),
        ]
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
      // Findings on files that are not reviewed documents (a RACI matrix, the glossary).
      for path in findingsByPath.keys.sorted() where !listed.contains(path) {
        lines.append(
          "| " + [pathCell(path), "—", "—", "—", Self.counts(findingsByPath[path] ?? [])].joined(separator: " | ")
            + " |")
      }
    } else if !findingsByPath.isEmpty {
      lines += ["", "| Document | Findings |", "| --- | --- |"]
      for path in findingsByPath.keys.sorted() {
        lines.append("| \(pathCell(path)) | \(Self.counts(findingsByPath[path] ?? [])) |")
      }
    }
    if findingsByPath.isEmpty {
      lines += ["", "No findings."]
    }
    for path in findingsByPath.keys.sorted() {
      let findings = findingsByPath[path] ?? []
      // An HTML block: its text is HTML (not Markdown) up to the blank line.
      lines += [
        "", "<details><summary><code>\(TextKit.xml(path))</code>: \(Self.counts(findings, emoji: false))</summary>",
        "", "| Line | Severity | Rule | Message |", "| --- | --- | --- | --- |",
      ]
      for diagnostic in findings {
        var message = TextKit.markdown(diagnostic.message, inTable: true)
        for related in diagnostic.related {
          let location = "\(paths.repository(related.path)):\(related.line):\(related.column)"
          message +=
            "<br>↳ " + Self.codeSpan(location, inTable: true) + " " + TextKit.markdown(related.message, inTable: true)
        }
        let line =
          links.map { "[\(diagnostic.line)](\($0.url(path: path, line: diagnostic.line)))" } ?? "\(diagnostic.line)"
        let cells = [line, Self.severity(diagnostic.severity), Self.codeSpan(diagnostic.rule, inTable: true), message]
        lines.append("| " + cells.joined(separator: " | ") + " |")
      }
      lines += ["", "</details>"]
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A path as a table cell: a code span, linked to the file at the commit when there are links.
  private func pathCell(_ path: String) -> String {
    let span = Self.codeSpan(path, inTable: true)
    guard let links else { return span }
    return "[\(span)](\(links.url(path: path)))"
  }

  /// `❌ 2 errors, 1 warning`: the counts that are not zero, after the worst severity's sign; `—` for none.
  private static func counts(_ findings: [Diagnostic], emoji: Bool = true) -> String {
    guard let worst = findings.map(\.severity).max() else { return "—" }
    var parts: [String] = []
    for (severity, name) in [(Severity.error, "error"), (.warning, "warning"), (.note, "note")] {
      let count = findings.filter { $0.severity == severity }.count
      if count > 0 { parts.append(Wording.count(count, name)) }
    }
    let sign = worst == .error ? "❌ " : worst == .warning ? "⚠️ " : "ℹ️ "
    return (emoji ? sign : "") + parts.joined(separator: ", ")
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
