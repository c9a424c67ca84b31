/// `path:line:col: error: message [rule]`, one finding per line (related
/// locations follow as `note:` lines, as compilers print them), then a summary
/// line. ANSI colour only when asked for.
public struct TextReporter: Reporter {
  public var colour: Bool

  public init(colour: Bool = false) { self.colour = colour }

  public func render(_ report: Report) -> String {
    // Paths from the directory keel runs in, made safe for a terminal.
    let shown = { (path: String) in TextKit.terminalLine(report.paths.local(path)) }
    var output = ""
    for diagnostic in report.diagnostics {
      output += paint("\(shown(diagnostic.path)):\(diagnostic.line):\(diagnostic.column):", .bold) + " "
      output += paint(diagnostic.severity.rawValue + ":", style(for: diagnostic.severity)) + " "
      output += TextKit.terminalLine(diagnostic.message) + " " + paint("[\(diagnostic.rule)]", .dim) + "\n"
      for related in diagnostic.related {
        output += paint("\(shown(related.path)):\(related.line):\(related.column):", .bold) + " "
        output += paint("note:", .cyan) + " " + TextKit.terminalLine(related.message) + "\n"
      }
    }
    for entry in report.gone {
      output += paint("\(shown(entry.path)):\(entry.line):", .bold) + " " + paint("gone:", .green) + " "
      output += TextKit.terminalLine(entry.message) + " " + paint("[\(entry.rule)]", .dim)
      output += " (fixed; 'keel baseline --update' drops it from the baseline)\n"
    }
    let summaryStyle: Style = report.errorCount > 0 ? .red : report.warningCount > 0 ? .yellow : .green
    output += paint(Wording.summary(report), summaryStyle) + "\n"
    return output
  }

  private enum Style: String {
    case bold = "1"
    case dim = "2"
    case red = "1;31"
    case yellow = "1;33"
    case green = "1;32"
    case cyan = "1;36"
  }

  private func style(for severity: Severity) -> Style {
    switch severity {
    case .error: .red
    case .warning: .yellow
    case .note: .cyan
    }
  }

  private func paint(_ text: String, _ style: Style) -> String {
    colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
  }
}
