/// GitHub Actions workflow commands: each finding becomes an annotation on the
/// pull request (`::error file=…,line=…,col=…,title=rule::message`), followed
/// by a plain summary line for the job log.
public struct GitHubReporter: Reporter {
  public init() {}

  public func render(_ report: Report) -> String {
    var output = ""
    for diagnostic in report.diagnostics {
      let command: String
      switch diagnostic.severity {
      case .error: command = "error"
      case .warning: command = "warning"
      case .note: command = "notice"
      }
      let properties = [
        "file=" + Self.escapeProperty(report.paths.repository(diagnostic.path)),
        "line=\(diagnostic.line)",
        "col=\(diagnostic.column)",
        "title=" + Self.escapeProperty(diagnostic.rule),
      ]
      var message = diagnostic.message
      for related in diagnostic.related {
        message += "\n\(report.paths.repository(related.path)):\(related.line):\(related.column): \(related.message)"
      }
      output += "::\(command) \(properties.joined(separator: ","))::\(Self.escapeData(message))\n"
    }
    output += "keel: " + Wording.summary(report) + "\n"
    return output
  }

  /// The message part of a workflow command: `%`, CR and LF percent-encoded; other control
  /// characters shown as `TextKit.terminal` shows them (the log is a terminal too).
  static func escapeData(_ text: String) -> String {
    TextKit.terminal(TextKit.replacingScalars(text) { percentEncoded[$0] })
  }

  private static let percentEncoded: [Unicode.Scalar: String] = ["%": "%25", "\r": "%0D", "\n": "%0A"]

  /// A property value: as `escapeData`, plus `:` and `,` (which end a property).
  static func escapeProperty(_ text: String) -> String {
    var output = ""
    for scalar in escapeData(text).unicodeScalars {
      switch scalar {
      case ":": output += "%3A"
      case ",": output += "%2C"
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }
}
