import ArgumentParser
import Foundation
import KeelEngine

/// `keel manual`: the man page (roff), made from the command tree itself, so that it lists every
/// command and option `--help` does. `make install` writes it to `share/man/man1/keel.1`.
struct ManualCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "manual",
    abstract: "Print keel's man page (roff), made from the commands' own help.",
    discussion: "make install writes it to PREFIX/share/man/man1/keel.1: man keel.",
    shouldDisplay: false
  )

  func run() throws {
    Output.write(Self.page())
  }

  /// The whole page: name, synopsis, every command's help (subcommands included), exit status,
  /// environment. No date, so that the same keel writes the same bytes.
  static func page() -> String {
    var lines = [
      ".TH KEEL 1 \"\" \"keel \(Keel.version)\" \"User Commands\"",
      ".SH NAME",
      "keel \\- " + escaped(Keel.configuration.abstract),
      ".SH SYNOPSIS",
      ".B keel",
      "\\fIcommand\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]",
      ".SH DESCRIPTION",
      escaped(
        "Keel validates the documents of a Git repository (Markdown or YAML specs with front matter, "
          + "templates, workflows, RACI matrices, people, a glossary) and reports on their history. "
          + "Every command takes -C DIR (run as if started in DIR). "
          + "Shell completions: keel --generate-completion-script bash|zsh|fish."),
      ".SH COMMANDS",
    ]
    for (name, command) in commands(under: Keel.self, named: "keel") {
      lines += [".SS \"\(escaped(name))\"", ".nf"]
      lines += Keel.helpMessage(for: command, columns: 72).split(separator: "\n", omittingEmptySubsequences: false)
        .map { escaped(String($0)) }
      lines.append(".fi")
    }
    lines += [
      ".SH EXIT STATUS",
      ".TP", "0", "Nothing at error severity.",
      ".TP", "1",
      escaped("Findings at error severity (check --fail-on lowers the bar), or an edit that would overwrite another."),
      ".TP", "2", escaped("A usage, configuration or repository error, or a path keel refuses."),
      ".SH ENVIRONMENT",
      ".TP", "NO_COLOR", escaped("Set (non-empty): no colour in text output (--color auto)."),
      ".TP", "FORCE_COLOR", escaped("Set (non-empty): colour in text output even when it is not a terminal."),
      ".TP", "KEEL", escaped("The keel binary the pre-commit hook runs."),
      ".TP", "KEEL_GIT_READER", escaped("keel (default) or libgit2: which reader reads Git objects."),
      ".TP", "GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA",
      escaped("In the Markdown summary, link paths and lines to that commit."),
      ".TP", "SOURCE_DATE_EPOCH", escaped("The date stamped on exports of the working tree."),
      ".SH SEE ALSO",
      "git(1); README.md of the keel repository.",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// Every command below `command`, depth first, with its full name (`keel export raci`).
  static func commands(under command: any ParsableCommand.Type, named name: String) -> [(
    String, any ParsableCommand.Type
  )] {
    command.configuration.subcommands.filter { $0.configuration.shouldDisplay }.flatMap { sub in
      let full = name + " " + sub._commandName
      return [(full, sub)] + commands(under: sub, named: full)
    }
  }

  /// Text as roff shows it literally: backslashes escaped, non-ASCII characters as `\[u2192]`
  /// (read by any groff, without `preconv`), a line starting with `.` or `'` (a request) guarded with `\&`.
  static func escaped(_ text: String) -> String {
    var body = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": body += "\\e"
      case _ where scalar.value > 0x7E || scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        body += scalar.value < 0x20 ? " " : "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
      default: body.unicodeScalars.append(scalar)
      }
    }
    return body.hasPrefix(".") || body.hasPrefix("'") ? "\\&" + body : body
  }
}
