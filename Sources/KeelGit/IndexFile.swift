import CLibgit2
import Foundation

/// Keel's own reader of Git index files, for what libgit2 1.5 cannot read: a split index (the
/// `link` extension: most entries live in a shared `sharedindex.<id>` file) and a sparse index
/// (the `sdir` extension: folders outside the sparse-checkout cone are one directory entry). Both
/// are resolved here into the plain list of entries git itself works with.
///
/// Format: a 12-byte header (`DIRC`, version, entry count), the entries, then extensions
/// (4-byte signature, 4-byte big-endian size, data), then a 20-byte SHA-1 checksum.
struct IndexFileSummary {
  struct Entry: Equatable {
    /// ctime seconds, ctime nanoseconds, mtime seconds, mtime nanoseconds, dev, ino, uid, gid, size.
    var stat: [UInt32]
    var mode: UInt32
    var id: ObjectID
    /// The 16-bit flags (stage in bits 12–13) and, in versions 3 and 4, the extended flags.
    var flags: UInt16
    var extendedFlags: UInt16
    var path: [UInt8]

    var stage: Int { Int(flags >> 12 & 3) }
    var isIntentToAdd: Bool { extendedFlags & 0x2000 != 0 }
    var isSkipWorktree: Bool { extendedFlags & 0x4000 != 0 }
    var isSparseDirectory: Bool { mode == 0o040000 }
    var pathString: String { String(decoding: path, as: UTF8.self) }

    /// The index order: by path bytes, then by stage.
    static func precedes(_ left: Entry, _ right: Entry) -> Bool {
      left.path == right.path ? left.stage < right.stage : left.path.lexicographicallyPrecedes(right.path)
    }
  }

  var version: UInt32
  /// Every entry, in file order (all stages, including sparse directory entries).
  var entries: [Entry]
  /// The extension signatures found after the entries, in file order (`TREE`, `link`, `sdir`, …).
  var extensions: [String]
  /// A split index's `link` extension: the shared index's id and the EWAH bitmaps of the shared
  /// entries deleted and replaced (empty when the extension has none).
  var link: (sharedIndex: String, deleted: [UInt8], replaced: [UInt8])?

  /// The path of every entry, in file order.
  var paths: [String] { entries.map(\.pathString) }
  var isSplit: Bool { link != nil }
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
    var entries: [Entry] = []
    entries.reserveCapacity(min(entryCount, end / 62))
    var previousPath: [UInt8] = []
    // ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 each), SHA-1 (20), flags (2).
    let fixedSize = 62
    for _ in 0..<entryCount {
      guard offset + fixedSize <= end else { throw malformed("truncated entry") }
      let flags = UInt16(bytes[offset + 60]) << 8 | UInt16(bytes[offset + 61])
      let isExtended = version >= 3 && flags & 0x4000 != 0
      guard !isExtended || offset + fixedSize + 2 <= end else { throw malformed("truncated entry") }
      let extendedFlags = isExtended ? UInt16(bytes[offset + 62]) << 8 | UInt16(bytes[offset + 63]) : 0
      let headerSize = fixedSize + (isExtended ? 2 : 0)
      var cursor = offset + headerSize
      var path: [UInt8]
      let start = offset
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
      var oid = git_oid()
      withUnsafeMutableBytes(of: &oid) { raw in
        for index in 0..<20 { raw[index] = bytes[start + 40 + index] }
      }
      let stat = [0, 4, 8, 12, 16, 20, 28, 32, 36].map { uint32(at: start + $0) }
      entries.append(
        Entry(
          stat: stat, mode: uint32(at: start + 24), id: ObjectID(oid), flags: flags, extendedFlags: extendedFlags,
          path: path))
      previousPath = path
    }
    var extensions: [String] = []
    var link: (String, [UInt8], [UInt8])?
    while offset + 8 <= end {
      let signature = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
      let size = Int(uint32(at: offset + 4))
      extensions.append(signature)
      guard size <= end - offset - 8 else { break }
      if signature == "link" {
        // The shared index's id, then (optionally) the delete and the replace bitmaps.
        let data = Array(bytes[offset + 8..<offset + 8 + size])
        guard data.count >= 20 else { throw malformed("short link extension") }
        let shared = data[0..<20].map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        var rest = data[20...]
        var bitmaps: [[UInt8]] = []
        while !rest.isEmpty {
          guard let length = EWAHBitmap.serializedLength(rest) else { throw malformed("bad link bitmap") }
          bitmaps.append(Array(rest.prefix(length)))
          rest = rest.dropFirst(length)
        }
        link = (shared, bitmaps.first ?? [], bitmaps.count > 1 ? bitmaps[1] : [])
      }
      offset += 8 + size
    }
    self.entries = entries
    self.extensions = extensions
    self.link = link
  }
}

/// The EWAH-compressed bitmaps of a split index's `link` extension (as git's `ewah/` writes them):
/// a 32-bit bit count, a 32-bit word count, that many 64-bit words, a 32-bit position of the last
/// marker word; all big-endian. Each marker word holds a run bit (bit 0), a run length in words
/// (bits 1–32) and a count of literal words that follow it (bits 33–63).
enum EWAHBitmap {
  static func serializedLength(_ bytes: ArraySlice<UInt8>) -> Int? {
    guard bytes.count >= 8 else { return nil }
    let words = Int(bytes.dropFirst(4).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    let length = 8 + words * 8 + 4
    return bytes.count >= length ? length : nil
  }

  /// The positions of the set bits, in increasing order; nil when the bitmap is malformed.
  static func setBits(_ bytes: [UInt8]) -> [Int]? {
    guard !bytes.isEmpty else { return [] }
    guard let length = serializedLength(bytes[...]), length <= bytes.count else { return nil }
    let bitCount = Int(bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    let wordCount = (length - 12) / 8
    func word(_ index: Int) -> UInt64 {
      bytes[8 + index * 8..<16 + index * 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
    var bits: [Int] = []
    var position = 0
    var index = 0
    while index < wordCount {
      let marker = word(index)
      index += 1
      let runBit = marker & 1 != 0
      let runLength = Int(marker >> 1 & 0xFFFF_FFFF)
      let literals = Int(marker >> 33)
      if runBit {
        guard runLength <= (bitCount + 63) / 64 else { return nil }
        bits += position..<(position + runLength * 64)
      }
      position += runLength * 64
      guard literals <= wordCount - index else { return nil }
      for _ in 0..<literals {
        let literal = word(index)
        index += 1
        for bit in 0..<64 where literal >> UInt64(bit) & 1 != 0 { bits.append(position + bit) }
        position += 64
      }
    }
    return bits.filter { $0 < bitCount }
  }
}

extension IndexFileSummary {
  /// The index as git sees it: a split index merged with its shared index (git's
  /// `merge_base_index`), a sparse index's directory entries expanded from their trees (marked
  /// skip-worktree, as `git sparse-checkout` leaves them). Call with the repository lock held.
  func resolved(sharedIndexFolders: [URL], repository: OpaquePointer) throws(GitError) -> [Entry] {
    var entries = self.entries
    if let link, link.sharedIndex != String(repeating: "0", count: 40) {
      let candidates = sharedIndexFolders.map { $0.appendingPathComponent("sharedindex." + link.sharedIndex) }
      guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }),
        let shared = try IndexFileSummary.read(file)
      else { throw GitError(.other, "the split index's shared index sharedindex.\(link.sharedIndex) is missing") }
      guard let deleted = EWAHBitmap.setBits(link.deleted), let replaced = EWAHBitmap.setBits(link.replaced) else {
        throw GitError(.other, "malformed index: bad link extension bitmaps")
      }
      var base: [Entry?] = shared.entries
      // Replaced entries come first in the split index, nameless, in the order of their bits.
      guard replaced.count <= entries.count, replaced.allSatisfy({ $0 < base.count }),
        deleted.allSatisfy({ $0 < base.count })
      else { throw GitError(.other, "malformed index: the link extension names entries the shared index lacks") }
      for (order, position) in replaced.enumerated() {
        var entry = entries[order]
        entry.path = base[position]!.path
        base[position] = entry
      }
      for position in deleted { base[position] = nil }
      var merged = base.compactMap { $0 }
      let added = entries.dropFirst(replaced.count)
      if !added.isEmpty {
        // New entries replace a shared one with the same path and stage, else are inserted in order.
        var byKey: [[UInt8]: Int] = [:]
        for (index, entry) in merged.enumerated() { byKey[entry.path + [UInt8(entry.stage)]] = index }
        var extra: [Entry] = []
        for entry in added {
          if let index = byKey[entry.path + [UInt8(entry.stage)]] { merged[index] = entry } else { extra.append(entry) }
        }
        merged = (merged + extra).sorted(by: Entry.precedes)
      }
      entries = merged
    }
    if isSparse {
      var expanded: [Entry] = []
      for entry in entries {
        guard entry.isSparseDirectory else {
          expanded.append(entry)
          continue
        }
        try Self.expand(tree: entry.id, prefix: entry.path, template: entry, repository: repository, into: &expanded)
      }
      entries = expanded.sorted(by: Entry.precedes)
    }
    return entries
  }

  /// The files of a sparse directory entry's tree, as skip-worktree entries.
  private static func expand(
    tree id: ObjectID, prefix: [UInt8], template: Entry, repository: OpaquePointer, into entries: inout [Entry]
  ) throws(GitError) {
    var tree: OpaquePointer?
    let code = id.withPointer { git_tree_lookup(&tree, repository, $0) }
    guard code == 0, let tree else {
      throw GitError.fromLastError(code: code, operation: "cannot read tree \(id.hex) of the sparse index")
    }
    defer { git_tree_free(tree) }
    for index in 0..<git_tree_entrycount(tree) {
      guard let item = git_tree_entry_byindex(tree, index) else { continue }
      let path = prefix + Array(String(cString: git_tree_entry_name(item)).utf8)
      let mode = git_tree_entry_filemode(item)
      if mode == GIT_FILEMODE_TREE {
        try expand(
          tree: ObjectID(git_tree_entry_id(item)), prefix: path + [0x2f], template: template, repository: repository,
          into: &entries)
      } else {
        var entry = template
        entry.mode = mode.rawValue
        entry.id = ObjectID(git_tree_entry_id(item))
        entry.path = path
        entry.stat = Array(repeating: 0, count: 9)
        entry.flags = 0x4000 | UInt16(min(path.count, 0xFFF))
        entry.extendedFlags = 0x4000  // skip-worktree
        entries.append(entry)
      }
    }
  }
}

extension Repository {
  /// The entries of the index `file` (the repository's by default) as git sees them, split and
  /// sparse indexes resolved; nil when there is no index file, or when libgit2 reads it itself
  /// (neither split nor sparse) and `onlyWhenNeeded`.
  func indexEntries(_ file: URL? = nil, onlyWhenNeeded: Bool = false) throws(GitError) -> [IndexFileSummary.Entry]? {
    let file = file ?? indexFile
    guard let summary = try IndexFileSummary.read(file) else { return nil }
    if onlyWhenNeeded && !summary.isSplit && !summary.isSparse { return nil }
    return try withLock { () throws(GitError) in
      try summary.resolved(
        sharedIndexFolders: [file.deletingLastPathComponent(), gitDirectory, commonDirectory], repository: handle)
    }
  }

  /// An in-memory libgit2 index holding `entries`, for the comparisons libgit2 makes (call with
  /// the lock held; the caller frees it).
  func memoryIndex(_ entries: [IndexFileSummary.Entry]) throws(GitError) -> OpaquePointer {
    var index: OpaquePointer?
    try check(git_index_new(&index), "cannot create an index")
    guard let index else { throw GitError(.other, "cannot create an index") }
    for entry in entries where !entry.isSparseDirectory {
      var raw = git_index_entry()
      raw.ctime = git_index_time(seconds: Int32(bitPattern: entry.stat[0]), nanoseconds: entry.stat[1])
      raw.mtime = git_index_time(seconds: Int32(bitPattern: entry.stat[2]), nanoseconds: entry.stat[3])
      raw.dev = entry.stat[4]
      raw.ino = entry.stat[5]
      raw.mode = entry.mode
      raw.uid = entry.stat[6]
      raw.gid = entry.stat[7]
      raw.file_size = entry.stat[8]
      raw.id = entry.id.raw
      raw.flags = entry.flags & 0x3000  // the stage; libgit2 computes the name length
      raw.flags_extended = entry.extendedFlags & 0x6000  // intent-to-add, skip-worktree
      let code = entry.pathString.withCString { path in
        raw.path = path
        return git_index_add(index, &raw)
      }
      if code != 0 {
        git_index_free(index)
        try check(code, "cannot build the index entry \(entry.pathString)")
      }
    }
    return index
  }
}
