import Foundation
import KeelCore

/// Writing results: to stdout, or atomically to `--output FILE`; lines for people on stdout and stderr.
public enum Output {
  /// A FILE inside the repository (the Git working tree, or keel.yaml's folder)
  /// is written through `PathPolicy`: never through a symbolic link there. A
  /// FILE outside it is where the user asked for it.
  public static func emit(_ text: String, to path: String?, relativeTo directory: URL) throws {
    guard let path else { return write(text) }
    let url = URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL
    if let root = (try? Workspace(directory: directory))?.repositoryRoot {
      let files = PathPolicy(root: root)
      if let relative = files.contains(url), !relative.isEmpty {
        do { try files.write(Data(text.utf8), to: relative, replacing: true) } catch let error as KeelError {
          throw KeelError("cannot write \(path): \(error)")
        }
        return
      }
    }
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try AtomicFile.write(Data(text.utf8), to: url)
    } catch {
      throw KeelError("cannot write \(path): \(error)")
    }
  }

  /// A line on stderr, `keel: ` in front; the message starts with its severity (`error: `,
  /// `warning: `, `note: `): keel's one style, `keel: error: …`. Control characters a value may carry (an escape
  /// sequence in a title, a status) are shown, never sent to the terminal (`TextKit.terminal`).
  public static func warn(_ message: String) {
    FileHandle.standardError.write(Data("keel: \(TextKit.terminal(message))\n".utf8))
  }

  /// A line for people on stdout, terminal-safe like `warn`.
  public static func say(_ message: String) {
    FileHandle.standardOutput.write(Data((TextKit.terminal(message) + "\n").utf8))
  }

  /// Writes text to stdout as it is (a renderer made it safe for its output language).
  public static func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

  /// Colour on stdout: `--color`, else `NO_COLOR`, `FORCE_COLOR` and whether it is a terminal
  /// (`Terminal.shouldColour`).
  static func colourOnStdout(_ choice: ColourChoice) -> Bool {
    Terminal.shouldColour(
      choice, environment: ProcessInfo.processInfo.environment, isTTY: isatty(STDOUT_FILENO) != 0)
  }
}

/// Large results the process keeps until it exits. Freeing tens of thousands
/// of parsed documents right before `exit` costs measurable time and frees
/// nothing anyone needs (compilers skip it too, e.g. clang's `-disable-free`).
enum KeptUntilExit {
  nonisolated(unsafe) private static var values: [Any] = []
  static func keep(_ value: Any) { values.append(value) }
}

/// A report or export format `--output FILE` can name by its extension.
public protocol FileFormat: RawRepresentable<String>, CaseIterable, Sendable {
  /// The extensions (lower case, no dot) that name this format.
  var fileExtensions: [String] { get }
  /// The format when neither `--format` nor `--output`'s extension names one (stdout, or a FILE
  /// without an extension); `--format`'s help says it.
  static var fallback: Self { get }
}

extension FileFormat {
  /// `--format` when given; else the format `--output`'s extension names; else `fallback` (stdout, or
  /// a FILE without an extension). An extension no format has is a usage error: never a silent guess.
  public static func resolve(_ format: Self?, output: String?) throws -> Self {
    if let format { return format }
    guard let output else { return fallback }
    let suffix = (output as NSString).pathExtension.lowercased()
    guard !suffix.isEmpty else { return fallback }
    if let named = allCases.first(where: { $0.fileExtensions.contains(suffix) }) { return named }
    let known = allCases.flatMap(\.fileExtensions).map { "." + $0 }.joined(separator: ", ")
    throw UsageError(
      "--output \(output): no format has the extension '.\(suffix)' (\(known)); "
        + "choose one with --format (\(allCases.map(\.rawValue).joined(separator: ", ")))")
  }
}

extension OutputFormat: FileFormat {
  public static var fallback: Self { .text }

  public var fileExtensions: [String] {
    switch self {
    case .text: ["txt", "log"]
    case .json: ["json"]
    case .sarif: ["sarif"]
    case .github: []
    case .junit: ["xml", "junit"]
    case .markdown: ["md", "markdown"]
    }
  }
}

extension ExportFormat: FileFormat {
  public static var fallback: Self { .markdown }

  public var fileExtensions: [String] {
    switch self {
    case .csv: ["csv"]
    case .markdown: ["md", "markdown"]
    case .json: ["json"]
    case .html: ["html", "htm"]
    }
  }
}

extension ChangelogReport.Format: FileFormat {
  public static var fallback: Self { .markdown }

  public var fileExtensions: [String] {
    switch self {
    case .markdown: ["md", "markdown"]
    case .json: ["json"]
    }
  }
}

extension MetricsReport.Format: FileFormat {
  public static var fallback: Self { .text }

  public var fileExtensions: [String] {
    switch self {
    case .text: ["txt"]
    case .json: ["json"]
    case .csv: ["csv"]
    case .svg: ["svg"]
    }
  }
}
