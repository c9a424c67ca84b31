import Foundation

/// The lines of the files a report is about, for reporters that quote or
/// fingerprint the line a finding points at. Lines split at `\n`, `\r\n` and a
/// lone `\r` (as editors count them); line terminators are not kept.
public struct SourceLines: Sendable, Hashable {
  private var linesByPath: [String: [String]]

  public init() { linesByPath = [:] }

  /// From file contents keyed by repository-relative path.
  public init(contents: [String: String]) {
    linesByPath = contents.mapValues(Self.split)
  }

  /// Reads `paths` from a snapshot. Files that cannot be read, are larger
  /// than `maxBytes` (not read: findings on an 8 GB file are `parse/too-large`)
  /// or are not UTF-8 are skipped (their findings then get a fingerprint
  /// without line text).
  public init(snapshot: any Snapshot, paths: some Sequence<String>, maxBytes: Int = 16 << 20) {
    var lines: [String: [String]] = [:]
    for path in Set(paths) {
      guard let data = try? snapshot.read(path, maxBytes: maxBytes), let text = String(data: data, encoding: .utf8)
      else { continue }
      lines[path] = Self.split(text)
    }
    linesByPath = lines
  }

  /// The text of 1-based `line` in `path`, or nil when the file or line is unknown.
  public func text(path: String, line: Int) -> String? {
    guard let lines = linesByPath[path], line >= 1, line <= lines.count else { return nil }
    return lines[line - 1]
  }

  public var isEmpty: Bool { linesByPath.isEmpty }

  static func split(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    var previousWasCarriageReturn = false
    for scalar in text.unicodeScalars {
      if scalar == "\n" {
        if !previousWasCarriageReturn { lines.append(String(current)) }
        current = String.UnicodeScalarView()
        previousWasCarriageReturn = false
      } else if scalar == "\r" {
        lines.append(String(current))
        current = String.UnicodeScalarView()
        previousWasCarriageReturn = true
      } else {
        current.append(scalar)
        previousWasCarriageReturn = false
      }
    }
    lines.append(String(current))
    return lines
  }
}
