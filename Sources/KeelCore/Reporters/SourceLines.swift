import Foundation

/// The lines of the files a report is about, for reporters that quote or
/// fingerprint the line a finding points at. Lines split at `\n`, `\r\n` and a
/// lone `\r` (as editors count them); line terminators are not kept.
///
/// Each file is kept as one string with the byte range of every line; a line's
/// text is made only when asked for (a check with thousands of findings would
/// otherwise build every line of every file as a string of its own).
public struct SourceLines: Sendable, Hashable {
  struct File: Sendable, Hashable {
    var text: String
    /// UTF-8 offsets: line `i` (0-based) is `starts[i]..<ends[i]`.
    var starts: [Int]
    var ends: [Int]
  }

  private var filesByPath: [String: File]

  public init() { filesByPath = [:] }

  /// From file contents keyed by repository-relative path.
  public init(contents: [String: String]) {
    filesByPath = contents.mapValues(Self.index)
  }

  /// Reads `paths` from a snapshot. Files that cannot be read, are larger
  /// than `maxBytes` (not read: findings on an 8 GB file are `parse/too-large`)
  /// or are not UTF-8 are skipped (their findings then get a fingerprint
  /// without line text).
  public init(snapshot: any Snapshot, paths: some Sequence<String>, maxBytes: Int = 16 << 20) {
    var files: [String: File] = [:]
    for path in Set(paths) {
      guard let data = try? snapshot.read(path, maxBytes: maxBytes), let text = String(data: data, encoding: .utf8)
      else { continue }
      files[path] = Self.index(text)
    }
    filesByPath = files
  }

  /// The text of 1-based `line` in `path`, or nil when the file or line is unknown.
  public func text(path: String, line: Int) -> String? {
    guard let file = filesByPath[path], line >= 1, line <= file.starts.count else { return nil }
    return Self.text(of: file, line: line)
  }

  private static func text(of file: File, line: Int) -> String {
    let utf8 = file.text.utf8
    let start = utf8.index(utf8.startIndex, offsetBy: file.starts[line - 1])
    let end = utf8.index(utf8.startIndex, offsetBy: file.ends[line - 1])
    // Line breaks are ASCII: a line's bounds are always scalar boundaries.
    return String(file.text.unicodeScalars[start..<end])
  }

  public var isEmpty: Bool { filesByPath.isEmpty }

  /// Every line of `text`, as strings.
  static func split(_ text: String) -> [String] {
    let file = index(text)
    return (1...file.starts.count).map { SourceLines.text(of: file, line: $0) }
  }

  /// The lines of `text`, split on its UTF-8 bytes (`\n` and `\r` never occur
  /// inside a multi-byte character).
  static func index(_ text: String) -> File {
    var text = text
    var starts: [Int] = [0]
    var ends: [Int] = []
    text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let byte = bytes[offset]
        if byte == 0x0A || byte == 0x0D {
          ends.append(offset)
          if byte == 0x0D && offset + 1 < bytes.count && bytes[offset + 1] == 0x0A { offset += 1 }
          starts.append(offset + 1)
        }
        offset += 1
      }
      ends.append(bytes.count)
    }
    return File(text: text, starts: starts, ends: ends)
  }
}
