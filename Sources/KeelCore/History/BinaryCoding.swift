import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes the compact binary format of keel's history caches: little-endian integers,
/// length-prefixed UTF-8 strings and 20-byte object ids. Used by KeelGit and KeelCore caches.
public struct BinaryWriter {
  /// Bytes, not `Data`: appending to an array costs far less per call, and a cache is many small writes.
  private var bytes: [UInt8] = []

  public init() {}

  public var data: Data { Data(bytes) }

  /// The bytes written, followed by their checksum (8 bytes): what `BinaryReader.unseal` checks.
  public var sealedData: Data {
    var sealed = bytes
    let sum = bytes.withUnsafeBytes { ContentChecksum.of($0) }
    for shift in stride(from: 0, to: 64, by: 8) { sealed.append(UInt8(truncatingIfNeeded: sum >> UInt64(shift))) }
    return Data(sealed)
  }

  public mutating func write(_ value: UInt8) { bytes.append(value) }

  public mutating func write(_ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
  }

  public mutating func write(_ value: Int64) {
    let bits = UInt64(bitPattern: value)
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
  }

  public mutating func write(count: Int) { write(UInt32(count)) }

  /// Bytes copied as they are (a record read earlier with `BinaryReader`).
  public mutating func append(_ data: Data) { bytes.append(contentsOf: data) }
  public mutating func append(_ slice: ArraySlice<UInt8>) { bytes.append(contentsOf: slice) }

  public mutating func write(_ string: String) {
    var copy = string
    copy.withUTF8 { utf8 in
      write(UInt32(utf8.count))
      bytes.append(contentsOf: utf8)
    }
  }

  /// A 40-digit hex id as 20 bytes (missing digits are zeros).
  public mutating func write(id hex: String) {
    var written = 0
    var high: UInt8 = 0
    var position = 0
    for character in hex.utf8 {
      guard position < 40 else { break }
      let nibble = BinaryReader.nibble(character)
      if position % 2 == 0 {
        high = nibble << 4
      } else {
        bytes.append(high | nibble)
        written += 1
      }
      position += 1
    }
    while written < 20 {
      bytes.append(0)
      written += 1
    }
  }

  /// An id kept as a `BlobKey` (its 20 bytes; not the tag).
  public mutating func write(id key: BlobKey) {
    for shift in stride(from: 56, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: key.high >> UInt64(shift)))
    }
    for shift in stride(from: 56, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: key.middle >> UInt64(shift)))
    }
    for shift in stride(from: 24, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: key.low >> UInt32(shift)))
    }
  }

  /// An optional id: a presence byte, then the id.
  public mutating func write(optionalID hex: String?) {
    if let hex {
      write(UInt8(1))
      write(id: hex)
    } else {
      write(UInt8(0))
    }
  }
}

/// Reads what `BinaryWriter` wrote; every read checks bounds and throws on truncated input, so a
/// damaged cache is detected and ignored instead of crashing.
public struct BinaryReader {
  public struct Truncated: Error { public init() {} }

  private let bytes: [UInt8]
  public private(set) var offset = 0
  private let end: Int

  public init(_ data: Data) {
    bytes = [UInt8](data)
    end = bytes.count
  }

  /// Reads `bytes` (shared, not copied: many readers can read one buffer).
  public init(bytes: [UInt8]) {
    self.bytes = bytes
    end = bytes.count
  }

  /// Moves to `offset` (a position an earlier read returned).
  public mutating func seek(to offset: Int) throws(Truncated) {
    guard offset >= 0, offset <= end else { throw Truncated() }
    self.offset = offset
  }

  public mutating func skip(_ count: Int) throws(Truncated) { _ = try take(count) }

  /// Reads a string and tells whether it is `utf8`, without making a `String`.
  public mutating func readString(equals utf8: [UInt8]) throws(Truncated) -> Bool {
    let count = Int(try readUInt32())
    let range = try take(count)
    guard count == utf8.count else { return false }
    return bytes.withUnsafeBufferPointer { stored in
      utf8.withUnsafeBufferPointer { wanted in
        count == 0 || memcmp(stored.baseAddress! + range.lowerBound, wanted.baseAddress!, count) == 0
      }
    }
  }

  /// Reads only `range` of `bytes` (shared, not copied); offsets stay those of `bytes`.
  public init(bytes: [UInt8], range: Range<Int>) {
    self.bytes = bytes
    offset = max(0, min(range.lowerBound, bytes.count))
    end = max(offset, min(range.upperBound, bytes.count))
  }

  public var isAtEnd: Bool { offset == end }

  public mutating func skipString() throws(Truncated) {
    let count = Int(try readUInt32())
    _ = try take(count)
  }

  private mutating func take(_ count: Int) throws(Truncated) -> Range<Int> {
    guard count >= 0, end - offset >= count else { throw Truncated() }
    defer { offset += count }
    return offset..<(offset + count)
  }

  public mutating func readByte() throws(Truncated) -> UInt8 { bytes[try take(1).lowerBound] }

  public mutating func readUInt32() throws(Truncated) -> UInt32 {
    let range = try take(4)
    var value: UInt32 = 0
    for (shift, index) in range.enumerated() { value |= UInt32(bytes[index]) << (8 * shift) }
    return value
  }

  public mutating func readInt64() throws(Truncated) -> Int64 {
    let range = try take(8)
    var value: UInt64 = 0
    for (shift, index) in range.enumerated() { value |= UInt64(bytes[index]) << (8 * shift) }
    return Int64(bitPattern: value)
  }

  public mutating func readCount() throws(Truncated) -> Int { Int(try readUInt32()) }

  public mutating func readString() throws(Truncated) -> String {
    let count = Int(try readUInt32())
    let range = try take(count)
    return bytes.withUnsafeBufferPointer { String(decoding: $0[range], as: UTF8.self) }
  }

  public mutating func readID() throws(Truncated) -> String {
    let range = try take(20)
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    return String(unsafeUninitializedCapacity: 40) { buffer in
      for (position, index) in range.enumerated() {
        buffer[position * 2] = digits[Int(bytes[index] >> 4)]
        buffer[position * 2 + 1] = digits[Int(bytes[index] & 0x0f)]
      }
      return 40
    }
  }

  /// An id as a `BlobKey` (with tag 0), without making its hex `String`.
  public mutating func readIDKey() throws(Truncated) -> BlobKey {
    let range = try take(20)
    var key = BlobKey(high: 0, middle: 0, low: 0, tag: 0)
    for index in range.lowerBound..<(range.lowerBound + 8) { key.high = key.high << 8 | UInt64(bytes[index]) }
    for index in (range.lowerBound + 8)..<(range.lowerBound + 16) {
      key.middle = key.middle << 8 | UInt64(bytes[index])
    }
    for index in (range.lowerBound + 16)..<range.upperBound { key.low = key.low << 8 | UInt32(bytes[index]) }
    return key
  }

  public mutating func readOptionalID() throws(Truncated) -> String? {
    try readByte() == 0 ? nil : try readID()
  }

  static func nibble(_ character: UInt8) -> UInt8 {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: 0
    }
  }
}

extension BinaryReader {
  /// Checks the checksum `BinaryWriter.sealedData` put at the end of `bytes` and removes it; false
  /// (and `bytes` unchanged) when it is missing or does not match: the content was damaged.
  public static func unseal(_ bytes: inout [UInt8]) -> Bool {
    guard let length = bytes.withUnsafeBytes({ sealedLength($0) }) else { return false }
    bytes.removeLast(bytes.count - length)
    return true
  }

  /// As `unseal(_:)` for `Data`.
  public static func unseal(_ data: inout Data) -> Bool {
    guard let length = data.withUnsafeBytes({ sealedLength($0) }) else { return false }
    data.removeLast(data.count - length)
    return true
  }

  /// The length of the content before a valid checksum, or nil.
  private static func sealedLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard bytes.count >= 8 else { return nil }
    let length = bytes.count - 8
    var stored: UInt64 = 0
    for index in 0..<8 { stored |= UInt64(bytes[length + index]) << (8 * UInt64(index)) }
    return ContentChecksum.of(UnsafeRawBufferPointer(rebasing: bytes[..<length])) == stored ? length : nil
  }
}

/// A 20-byte object id and a one-byte tag as plain integers: what a cache indexes its thousands of
/// entries by, without a 40-character `String` for each.
public struct BlobKey: Hashable, Sendable {
  public var high: UInt64
  public var middle: UInt64
  public var low: UInt32
  public var tag: UInt8
}

extension BlobKey {
  /// The key of an id written as 40 lowercase hex digits (as Git and `BinaryReader.readID` write
  /// them); nil for any other text.
  public init?(hex: String, tag: UInt8 = 0) {
    var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var count = 0
    for character in hex.utf8 {
      let nibble: UInt64
      switch character {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(character - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(character - UInt8(ascii: "a") + 10)
      default: return nil
      }
      switch count {
      case 0..<16: words.0 = words.0 << 4 | nibble
      case 16..<32: words.1 = words.1 << 4 | nibble
      case 32..<40: words.2 = words.2 << 4 | nibble
      default: return nil
      }
      count += 1
    }
    guard count == 40 else { return nil }
    self.init(high: words.0, middle: words.1, low: UInt32(words.2), tag: tag)
  }
}

/// The checksum that seals a cache file against damage (not against tampering: whoever can write the
/// file can recompute it). Eight bytes at a time: each step is a bijection of the running value and
/// of the word, so changing any one word always changes the result; the length is mixed in first.
public enum ContentChecksum {
  public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash = 0x9e37_79b9_7f4a_7c15 ^ UInt64(bytes.count)
    func mix(_ word: UInt64) {
      hash = (hash ^ word) &* 0xff51_afd7_ed55_8ccd
      hash ^= hash >> 32
    }
    let words = bytes.count / 8
    for index in 0..<words { mix(bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self).littleEndian) }
    var tail: UInt64 = 0
    for index in (words * 8)..<bytes.count { tail |= UInt64(bytes[index]) << (8 * UInt64(index - words * 8)) }
    mix(tail)
    hash ^= hash >> 33
    hash = hash &* 0xc4ce_b9fe_1a85_ec53
    return hash ^ (hash >> 33)
  }
}

/// A 64-bit FNV-1a hash: stable across runs and machines (unlike `Hasher`), so it can be cached.
public struct StableHash {
  public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  public init() {}

  public mutating func combine<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
    for byte in bytes {
      value ^= UInt64(byte)
      value = value &* 0x100_0000_01b3
    }
  }

  public mutating func combine(_ string: String) { combine(string.utf8) }
}

/// One of keel's sealed cache files under `.git/keel` (written by `BinaryWriter.sealedData`, opening
/// with a magic string and a format version): how every such cache is read back and written.
///
/// A cache file `<git-dir>/keel/<name>` is read and written as the repository's own files are
/// (`PathPolicy`, rooted at the Git directory): never through a symbolic link (neither the file nor
/// the `keel` folder), only a regular file, and none larger than `maximumBytes`. Such a file is no
/// cache (the answer comes from Git), and a symbolic link is never written through.
public enum CacheFile {
  /// The largest cache file read (`KEEL_CACHE_MAX_BYTES` sets another, for tests): a larger one is
  /// not read, and not replaced by a smaller one until a run writes the cache again.
  public static let maximumBytes =
    ProcessInfo.processInfo.environment["KEEL_CACHE_MAX_BYTES"].flatMap { Int($0) } ?? 1 << 30

  /// The policy and the path under it by which `file` is read and written: its folder (`keel`) and
  /// name, under the folder that holds that folder (the Git directory, trusted as given).
  private static func location(_ file: URL) -> (PathPolicy, String) {
    let folder = file.deletingLastPathComponent()
    return (
      PathPolicy(root: folder.deletingLastPathComponent()), folder.lastPathComponent + "/" + file.lastPathComponent
    )
  }

  /// The file's bytes without their checksum, with `decode`'s result; nil when there is no file or
  /// it is another format's (replaced without a note). A damaged file (bad checksum, or `decode`
  /// returns nil) is removed and `damaged` is called: the cache is rebuilt by the next save.
  ///
  /// The bytes are read once into the array `decode` and the caller share (no other copy: a warm
  /// `keel history` opens caches of megabytes for a few dozen lookups).
  public static func read<Index>(
    _ file: URL, magic: String, version: UInt32, damaged: ((URL) -> Void)?, decode: ([UInt8]) -> Index?
  ) -> (bytes: [UInt8], index: Index)? {
    guard var bytes = contents(of: file), hasHeader(bytes, magic: magic, version: version) else { return nil }
    guard BinaryReader.unseal(&bytes), let index = decode(bytes) else {
      remove(file)
      damaged?(file)
      return nil
    }
    return (bytes, index)
  }

  /// Whether `bytes` open with `magic` and `version` (another version's file is not damaged, only
  /// foreign: replaced without a note).
  private static func hasHeader(_ bytes: [UInt8], magic: String, version: UInt32) -> Bool {
    var header = BinaryReader(bytes: bytes)
    return (try? header.readString() == magic && header.readUInt32() == version) == true
  }

  /// The bytes of the cache file `file` (or its first `prefix`), read straight into an array through
  /// the path policy; nil when there is none, or it is a symbolic link (or under one), not a regular
  /// file, or larger than `maximumBytes`.
  public static func contents(of file: URL, prefix: Int? = nil) -> [UInt8]? {
    let (policy, path) = location(file)
    guard let names = try? PathPolicy.components(of: path, access: .read),
      let directory = try? policy.openFolder(of: names, path: path, access: .read, creating: false, forReading: true)
    else { return nil }
    defer { close(directory) }
    guard let descriptor = try? policy.openFile(names, in: directory, path: path, access: .read) else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) <= maximumBytes
    else { return nil }
    let size = min(Int(status.st_size), prefix ?? Int.max)
    var complete = false
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = FileDescriptorIO.read(descriptor, into: UnsafeMutableRawBufferPointer(buffer)) ?? 0
      complete = count == size
    }
    return complete ? bytes : nil
  }

  /// Removes a damaged file (a symbolic link in its place is removed itself, never followed).
  public static func remove(_ file: URL) {
    let (policy, path) = location(file)
    try? policy.remove(path)
  }

  /// Writes `writer`'s bytes, sealed, to `file` at once (a temporary file renamed into place), creating
  /// the `keel` folder; never through a symbolic link (the file's or the folder's: nothing is written
  /// then). Failures are ignored: a cache that cannot be written is rebuilt next time. Not flushed to
  /// disk (`durable: false`): a cache lost or cut short by a crash fails its checksum and is rebuilt,
  /// and the flushes cost a first `keel history` several milliseconds per file.
  public static func write(_ writer: BinaryWriter, to file: URL) {
    let (policy, path) = location(file)
    try? policy.write(writer.sealedData, to: path, replacing: true, durable: false)
  }
}
