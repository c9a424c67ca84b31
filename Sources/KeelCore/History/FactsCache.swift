import Foundation
import JSONSchema

/// The fields and sections (`DocumentFacts`) of the versions `keel history` has shown, by blob id and
/// format, kept between runs in a file (`<git-common-dir>/keel/history-facts.bin` when used by the
/// CLI), so that a warm `keel history PATH` neither reads nor parses a blob. A blob never changes, so
/// an entry never goes stale. Sealed with a checksum like `ScalarCache`'s file: a damaged file is
/// discarded (and reported), never read; one written by another format version is ignored.
public final class FactsCache: @unchecked Sendable {
  static let magic = "keel-history-facts"
  static let formatVersion: UInt32 = 1
  /// Deeper values than this are not written (and a file claiming them is damaged).
  static let maximumDepth = 64

  /// An entry is decoded from the file only when asked for; the others are copied back verbatim.
  private enum Entry {
    case stored(Range<Int>)
    case decoded(DocumentFacts)
  }

  private let file: URL?
  private let lock = NSLock()
  private var stored: [UInt8] = []
  private var entries: [String: Entry] = [:]
  private var added = 0

  /// - Parameters:
  ///   - file: where the cache is kept; nil keeps it in memory only.
  ///   - damaged: called with `file` when it is damaged (it is then removed, and rebuilt by `save`).
  public init(file: URL?, damaged: ((URL) -> Void)? = nil) {
    self.file = file
    guard let file,
      let (bytes, entries) = CacheFile.read(
        file, magic: Self.magic, version: Self.formatVersion, damaged: damaged, decode: Self.index)
    else { return }
    self.entries = entries
    stored = bytes
  }

  private static func key(_ blob: String, _ format: DocumentFormat) -> String {
    blob + String(UnicodeScalar(format.cacheTag))
  }

  /// Where each entry is in `data` (the file without its checksum); nil when it does not decode.
  private static func index(_ data: [UInt8]) -> [String: Entry]? {
    var reader = BinaryReader(bytes: data)
    do {
      guard try reader.readString() == magic, try reader.readUInt32() == formatVersion else { return nil }
      let count = try reader.readCount()
      var entries: [String: Entry] = [:]
      entries.reserveCapacity(min(count, data.count / 24))
      for _ in 0..<count {
        let blob = try reader.readID()
        guard let format = DocumentFormat(cacheTag: try reader.readByte()) else { return nil }
        let start = reader.offset
        _ = try decodeFacts(&reader)
        entries[key(blob, format)] = .stored(start..<reader.offset)
      }
      return reader.isAtEnd ? entries : nil
    } catch {
      return nil
    }
  }

  struct Damaged: Error {}

  private static func decodeFacts(_ reader: inout BinaryReader) throws -> DocumentFacts {
    guard case .object(let fields) = try decodeValue(&reader, depth: 0) else { throw Damaged() }
    var sections: [(heading: String, digest: UInt64)] = []
    for _ in 0..<(try reader.readCount()) {
      sections.append((try reader.readString(), UInt64(bitPattern: try reader.readInt64())))
    }
    return DocumentFacts(fields: fields, sections: sections)
  }

  private static func decodeValue(_ reader: inout BinaryReader, depth: Int) throws -> JSONValue {
    guard depth <= maximumDepth else { throw Damaged() }
    switch try reader.readByte() {
    case 0: return .null
    case 1: return .bool(try reader.readByte() != 0)
    case 2: return .integer(Int(try reader.readInt64()))
    case 3: return .number(Double(bitPattern: UInt64(bitPattern: try reader.readInt64())))
    case 4: return .string(try reader.readString())
    case 5:
      var items: [JSONValue] = []
      for _ in 0..<(try reader.readCount()) { items.append(try decodeValue(&reader, depth: depth + 1)) }
      return .array(items)
    case 6:
      var object = JSONObject()
      for _ in 0..<(try reader.readCount()) {
        let key = try reader.readString()
        object[key] = try decodeValue(&reader, depth: depth + 1)
      }
      return .object(object)
    default: throw Damaged()
    }
  }

  /// False when the value nests deeper than `maximumDepth` (the entry is then not kept).
  private static func encode(_ value: JSONValue, into writer: inout BinaryWriter, depth: Int) -> Bool {
    guard depth <= maximumDepth else { return false }
    switch value {
    case .null: writer.write(UInt8(0))
    case .bool(let flag):
      writer.write(UInt8(1))
      writer.write(UInt8(flag ? 1 : 0))
    case .integer(let number):
      writer.write(UInt8(2))
      writer.write(Int64(number))
    case .number(let number):
      writer.write(UInt8(3))
      writer.write(Int64(bitPattern: number.bitPattern))
    case .string(let text):
      writer.write(UInt8(4))
      writer.write(text)
    case .array(let items):
      writer.write(UInt8(5))
      writer.write(count: items.count)
      for item in items where !encode(item, into: &writer, depth: depth + 1) { return false }
    case .object(let object):
      writer.write(UInt8(6))
      writer.write(count: object.count)
      for (key, item) in object {
        writer.write(key)
        if !encode(item, into: &writer, depth: depth + 1) { return false }
      }
    }
    return true
  }

  /// The facts of the blob `id` read in `format`, read (and remembered) on first use.
  public func facts(
    ofBlob id: String, path: String, format: DocumentFormat, read: (String) throws -> Data
  ) -> DocumentFacts {
    let key = Self.key(id, format)
    lock.lock()
    switch entries[key] {
    case .decoded(let facts)?:
      lock.unlock()
      return facts
    case .stored(let range)?:
      var reader = BinaryReader(bytes: stored, range: range)
      let facts = (try? Self.decodeFacts(&reader)) ?? .empty
      entries[key] = .decoded(facts)
      lock.unlock()
      return facts
    case nil:
      lock.unlock()
    }
    let facts = (try? read(id)).map { DocumentFacts.read($0, path: path, format: format) } ?? .empty
    lock.lock()
    entries[key] = .decoded(facts)
    added += 1
    lock.unlock()
    return facts
  }

  /// Writes the cache back when something was added (atomically; failures are ignored).
  public func save() {
    lock.lock()
    defer { lock.unlock() }
    guard let file, added > 0 else { return }
    var body = BinaryWriter()
    var count = 0
    for (key, entry) in entries {
      var item = BinaryWriter()
      item.write(id: String(key.prefix(40)))
      item.write(key.utf8.last!)
      switch entry {
      case .stored(let range):
        item.append(stored[range])
      case .decoded(let facts):
        guard Self.encode(.object(facts.fields), into: &item, depth: 0) else { continue }
        item.write(count: facts.sections.count)
        for section in facts.sections {
          item.write(section.heading)
          item.write(Int64(bitPattern: section.digest))
        }
      }
      body.append(item.data)
      count += 1
    }
    var writer = BinaryWriter()
    writer.write(Self.magic)
    writer.write(Self.formatVersion)
    writer.write(count: count)
    writer.append(body.data)
    CacheFile.write(writer, to: file)
    added = 0
  }
}
