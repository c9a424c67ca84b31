import Foundation

/// Reads the parts of a Git index file that libgit2 1.5 cannot: it does not support the
/// mandatory extensions git writes for a split index (`link`) or a sparse index (`sdir`),
/// so Keel checks for them itself to give a clear error instead of a cryptic one.
///
/// Format: a 12-byte header (`DIRC`, version, entry count), the entries, then extensions
/// (4-byte signature, 4-byte big-endian size, data), then a 20-byte SHA-1 checksum.
struct IndexFileSummary: Equatable {
  var version: UInt32
  /// The path of every entry, in file order (all stages, including sparse directory entries).
  var paths: [String]
  /// The extension signatures found after the entries, in file order (`TREE`, `link`, `sdir`, …).
  var extensions: [String]

  var isSplit: Bool { extensions.contains("link") }
  var isSparse: Bool { extensions.contains("sdir") }

  /// Reads the index at `url`; nil when there is no index file (a new repository).
  static func read(_ url: URL) throws(GitError) -> IndexFileSummary? {
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else {
      throw GitError(.other, "cannot read the index file \(url.path)")
    }
    return try IndexFileSummary(data: data, name: url.path)
  }

  private static let checksumSize = 20

  init(data: Data, name: String = "index") throws(GitError) {
    let bytes = [UInt8](data)
    func malformed(_ why: String) -> GitError { GitError(.other, "malformed index file \(name): \(why)") }
    func uint32(at offset: Int) -> UInt32 {
      bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
    guard bytes.count >= 12 + Self.checksumSize, bytes[0..<4].elementsEqual("DIRC".utf8) else {
      throw malformed("missing the DIRC header")
    }
    version = uint32(at: 4)
    guard (2...4).contains(version) else { throw malformed("unsupported version \(version)") }
    let entryCount = Int(uint32(at: 8))
    let end = bytes.count - Self.checksumSize
    var offset = 12
    var paths: [String] = []
    paths.reserveCapacity(entryCount)
    var previousPath: [UInt8] = []
    // ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 each), SHA-1 (20), flags (2).
    let fixedSize = 62
    for _ in 0..<entryCount {
      guard offset + fixedSize <= end else { throw malformed("truncated entry") }
      let flags = UInt16(bytes[offset + 60]) << 8 | UInt16(bytes[offset + 61])
      let isExtended = version >= 3 && flags & 0x4000 != 0
      let headerSize = fixedSize + (isExtended ? 2 : 0)
      var cursor = offset + headerSize
      var path: [UInt8]
      if version == 4 {
        // Path compression: a varint of how many bytes to drop from the previous path, then a NUL-terminated suffix.
        guard cursor < end else { throw malformed("truncated entry") }
        var byte = bytes[cursor]
        cursor += 1
        var strip = Int(byte & 0x7f)
        while byte & 0x80 != 0 {
          guard cursor < end, strip < Int.max >> 8 else { throw malformed("bad path prefix length") }
          byte = bytes[cursor]
          cursor += 1
          strip = ((strip + 1) << 7) | Int(byte & 0x7f)
        }
        guard strip <= previousPath.count else { throw malformed("bad path prefix length") }
        guard let terminator = bytes[cursor..<end].firstIndex(of: 0) else { throw malformed("unterminated path") }
        path = Array(previousPath.dropLast(strip)) + bytes[cursor..<terminator]
        offset = terminator + 1
      } else {
        guard let terminator = bytes[cursor..<end].firstIndex(of: 0) else { throw malformed("unterminated path") }
        path = Array(bytes[cursor..<terminator])
        // Entries are NUL-padded (1 to 8 bytes) to a multiple of 8.
        offset += (headerSize + path.count + 8) & ~7
      }
      paths.append(String(decoding: path, as: UTF8.self))
      previousPath = path
    }
    var extensions: [String] = []
    while offset + 8 <= end {
      let signature = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
      let size = Int(uint32(at: offset + 4))
      extensions.append(signature)
      guard size <= end - offset - 8 else { break }
      offset += 8 + size
    }
    self.paths = paths
    self.extensions = extensions
  }

  /// Throws the clear error for an index libgit2 cannot read.
  func requireSupported() throws(GitError) {
    if isSplit { throw GitError(.splitIndex, GitError.splitIndexMessage) }
    if isSparse { throw GitError(.sparseIndex, GitError.sparseIndexMessage) }
  }
}

extension Repository {
  /// Fails with a clear error when the index uses a format libgit2 cannot read.
  func requireSupportedIndex(_ file: URL? = nil) throws(GitError) {
    try IndexFileSummary.read(file ?? indexFile)?.requireSupported()
  }
}
