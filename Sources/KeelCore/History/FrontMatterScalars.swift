import Foundation
import JSONSchema

/// The top-level string fields of a document's front matter (`status`, `title`, …): what changelogs
/// and metrics need from every version of every document.
///
/// Most front matter is a flat list of `key: value` lines, which `fastRead` reads directly, without
/// a YAML parser (the full parse costs a hundred times more, and metrics read every version of every
/// document). Anything it does not fully understand (block or flow scalars spanning lines, anchors,
/// tags, tabs, escapes, duplicate keys, unterminated front matter) makes it give up, and the full
/// `DocumentParser` is used instead, so the result is always the parser's.
public enum FrontMatterScalars {
  /// The string fields of a document, by name.
  ///
  /// - Parameter format: where the fields are; nil: from the path's extension.
  public static func read(_ data: Data, path: String, format: DocumentFormat? = nil) -> [String: String] {
    let format = format ?? .of(path: path)
    if format == .frontMatter || format == .yaml, let fast = fastRead(data, wholeFile: format == .yaml) { return fast }
    return parsed(data, path: path, format: format)
  }

  /// What the full parser says (the reference `fastRead` is tested against).
  public static func parsed(_ data: Data, path: String, format: DocumentFormat? = nil) -> [String: String] {
    let document = DocumentParser.parse(path: path, data: data, format: format)
    guard case .object(let object)? = document.frontMatter?.value else { return [:] }
    var result: [String: String] = [:]
    for (key, value) in object {
      if case .string(let text) = value { result[key] = text }
    }
    return result
  }

  /// nil when the front matter is not simple enough to be read without a YAML parser.
  ///
  /// - Parameter wholeFile: the whole file is the YAML (a YAML document), not front matter.
  public static func fastRead(_ data: Data, wholeFile: Bool = false) -> [String: String]? {
    // Only the front matter is read: the text is cut after the closing fence (found on bytes,
    // splitting lines as below), so that the body, usually most of the document, is only checked
    // for NUL bytes and valid UTF-8, in place, never copied or split into lines.
    let prefix: String? = data.withUnsafeBytes { raw in
      var bytes = raw.bindMemory(to: UInt8.self)
      if bytes.starts(with: [0xef, 0xbb, 0xbf]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
      guard isUTF8WithoutNUL(bytes) else { return nil }
      let end = wholeFile ? bytes.count : frontMatterEnd(bytes) ?? bytes.count
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
    }
    guard let text = prefix else { return nil }
    // "\r\n" is one Character in Swift.
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    let closing: Int
    if wholeFile {
      // Document markers and directives (`---`, `...`, `%YAML`), a lone `\r`, empty files: the parser decides.
      guard text.utf8.contains(where: { $0 != 0x20 && $0 != 0x0a && $0 != 0x0d }),
        !lines.contains(where: {
          $0.hasPrefix("---") || $0.hasPrefix("...") || $0.hasPrefix("%") || $0.utf8.contains(0x0d)
        })
      else { return nil }
      closing = lines.count
    } else {
      guard let first = lines.first else { return [:] }
      guard first == "---" else {
        // No front matter, unless the first line only looks like a fence (`--- x`, trailing spaces).
        return first.hasPrefix("---") ? nil : [:]
      }
      lines.removeFirst()
      guard let found = lines.firstIndex(where: { $0 == "---" || $0 == "..." }) else { return nil }
      closing = found
    }
    var result: [String: String] = [:]
    var keys = Set<String>()
    /// After a key with a scalar on its line, an indented line would continue that scalar.
    var previousHadScalar = false
    for line in lines[..<closing] {
      guard let head = line.first else {
        continue
      }
      if head == "#" { continue }
      if head == " " {
        if line.allSatisfy({ $0 == " " }) { continue }
        if previousHadScalar { return nil }
        continue  // part of a nested mapping or list under the previous key
      }
      if head == "-" && (line.count == 1 || line.dropFirst().first == " ") {
        if previousHadScalar { return nil }
        continue  // a list item under the previous key (YAML allows it at the key's indentation)
      }
      guard let colon = line.firstIndex(of: ":") else { return nil }
      let key = line[..<colon]
      guard !key.isEmpty, key.utf8.allSatisfy(isASCIIKeyByte) || key.allSatisfy(isKeyCharacter) else { return nil }
      let afterColon = line[line.index(after: colon)...]
      guard afterColon.isEmpty || afterColon.first == " " else { return nil }
      guard keys.insert(String(key)).inserted else { return nil }
      guard let value = scalar(afterColon) else { return nil }
      switch value {
      case .none:
        previousHadScalar = false
      case .nonString:
        previousHadScalar = true
      case .string(let string):
        previousHadScalar = true
        result[String(key)] = string
      case .collection:
        previousHadScalar = true
      }
    }
    return result
  }

  /// Letters, digits and `_-.`: ASCII bytes checked directly (a Character's properties cost more
  /// than the rest of the scan); `isKeyCharacter` decides for any other key.
  private static func isASCIIKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
      true
    default: false
    }
  }

  private static func isKeyCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || "_-.".contains(character)
  }

  /// Whether `bytes` are valid UTF-8 without a NUL byte. Eight bytes at a time while they are ASCII
  /// (most documents are); from the first other byte on, the standard library validates.
  static func isUTF8WithoutNUL(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let high: UInt64 = 0x8080_8080_8080_8080
    let ones: UInt64 = 0x0101_0101_0101_0101
    var offset = 0
    while offset + 8 <= bytes.count {
      let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
      // A byte with its high bit set, or a zero byte (the classic "has a zero byte" test).
      if word & high != 0 || (word &- ones) & ~word & high != 0 { break }
      offset += 8
    }
    let rest = UnsafeBufferPointer(rebasing: bytes[offset...])
    // Everything before `offset` is ASCII, so `offset` starts a character.
    if rest.allSatisfy({ $0 != 0 && $0 < 0x80 }) { return true }
    return !rest.contains(0) && String(validating: rest, as: UTF8.self) != nil
  }

  /// The offset just after the line that closes the front matter (`---` or `...` after a first line
  /// `---`), with lines ending at `\n` and a `\r` before it not part of the line; nil when not found.
  static func frontMatterEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var start = 0
    var lineNumber = 0
    while start < bytes.count {
      guard let newline = bytes[start...].firstIndex(of: 0x0a) else { return nil }
      var end = newline
      if end > start && bytes[end - 1] == 0x0d { end -= 1 }
      let length = end - start
      if lineNumber == 0 {
        guard length == 3, bytes[start] == 0x2d, bytes[start + 1] == 0x2d, bytes[start + 2] == 0x2d else { return nil }
      } else if length == 3,
        (bytes[start] == 0x2d && bytes[start + 1] == 0x2d && bytes[start + 2] == 0x2d)
          || (bytes[start] == 0x2e && bytes[start + 1] == 0x2e && bytes[start + 2] == 0x2e)
      {
        return newline + 1
      }
      lineNumber += 1
      start = newline + 1
    }
    return nil
  }

  private enum Scalar {
    /// Nothing on the key's line: null, or a nested block on the next lines.
    case none
    case string(String)
    /// null, a boolean or a number (YAML 1.2 core schema).
    case nonString
    /// A flow collection closed on the same line.
    case collection
  }

  private static func scalar(_ raw: Substring) -> Scalar? {
    var value = raw.drop { $0 == " " }
    if value.isEmpty || value.first == "#" { return Scalar.none }
    // Bytes, not strings: `contains("…")` would be Foundation's substring search.
    if value.utf8.contains(0x09) { return nil }
    switch value.first! {
    case "\"":
      let body = value.dropFirst()
      guard let end = body.firstIndex(of: "\""), !body[..<end].utf8.contains(0x5c) else { return nil }
      guard rest(body[body.index(after: end)...]) else { return nil }
      return .string(String(body[..<end]))
    case "'":
      var result = ""
      var index = value.index(after: value.startIndex)
      while true {
        guard index < value.endIndex else { return nil }
        let character = value[index]
        index = value.index(after: index)
        if character == "'" {
          if index < value.endIndex && value[index] == "'" {
            result.append("'")
            index = value.index(after: index)
          } else {
            break
          }
        } else {
          result.append(character)
        }
      }
      guard rest(value[index...]) else { return nil }
      return .string(result)
    case "[", "{":
      // Closed on this line, with no quotes or comments to misread: its content does not matter here.
      guard !value.utf8.contains(where: { $0 == 0x22 || $0 == 0x27 || $0 == 0x23 }) else { return nil }
      let open = value.filter { $0 == "[" || $0 == "{" }.count
      let close = value.filter { $0 == "]" || $0 == "}" }.count
      guard open == close, value.last == "]" || value.last == "}" else { return nil }
      return .collection
    case "|", ">", "&", "*", "!", "%", "@", "`", "?", ",", "]", "}":
      return nil
    default:
      if let comment = firstIndex(of: " #", in: value) { value = value[..<comment] }
      while value.last == " " { value = value.dropLast() }
      if firstIndex(of: ": ", in: value) != nil || value.hasSuffix(":") || value.hasPrefix("- ") || value == "-" {
        return nil
      }
      if value.hasPrefix("---") || value.hasPrefix("...") { return nil }
      return isCoreSchemaNonString(value) ? .nonString : .string(String(value))
    }
  }

  /// Where the two ASCII characters `pair` first appear in `text` (compared on UTF-8: Foundation's
  /// `range(of:)` costs more than the rest of the scan).
  private static func firstIndex(of pair: StaticString, in text: Substring) -> Substring.Index? {
    let first = pair.utf8Start[0]
    let second = pair.utf8Start[1]
    let utf8 = text.utf8
    var index = utf8.startIndex
    while index < utf8.endIndex {
      let next = utf8.index(after: index)
      if utf8[index] == first, next < utf8.endIndex, utf8[next] == second { return index }
      index = next
    }
    return nil
  }

  private static let nulls: Set<Substring> = ["~", "null", "Null", "NULL"]
  private static let booleans: Set<Substring> = ["true", "True", "TRUE", "false", "False", "FALSE"]
  private static let specialNumbers: Set<Substring> = [
    ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
  ]

  /// After a closing quote only spaces and a comment may follow.
  private static func rest(_ tail: Substring) -> Bool {
    let trimmed = tail.drop { $0 == " " }
    return trimmed.isEmpty || (trimmed.first == "#" && (tail.first == " "))
  }

  /// Plain scalars that YAML 1.2's core schema reads as null, booleans or numbers.
  static func isCoreSchemaNonString(_ value: Substring) -> Bool {
    if nulls.contains(value) || booleans.contains(value) || specialNumbers.contains(value) { return true }
    return isCoreSchemaNumber(Array(value.utf8))
  }

  /// YAML 1.2 core schema numbers: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+` and
  /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, matched by hand (a regular expression
  /// costs more than the rest of the front matter scan together).
  static func isCoreSchemaNumber(_ bytes: [UInt8]) -> Bool {
    func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    func isOctal(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x37 }
    func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }
    if bytes.count > 2, bytes[0] == 0x30, bytes[1] == UInt8(ascii: "o") { return bytes[2...].allSatisfy(isOctal) }
    if bytes.count > 2, bytes[0] == 0x30, bytes[1] == UInt8(ascii: "x") { return bytes[2...].allSatisfy(isHex) }
    var index = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
    func digits() -> Int {
      let start = index
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
      return index - start
    }
    let integerDigits = digits()
    var fractionDigits = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      fractionDigits = digits()
      // `.5` and `5.` are numbers, `.` is not.
      guard integerDigits > 0 || fractionDigits > 0 else { return false }
    } else {
      guard integerDigits > 0 else { return false }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }
}

/// Scalar fields by blob id and format (front matter, header list, YAML or JSON: the same blob
/// read as another format has other fields), and the rename similarity of pairs of blobs
/// (`RenameDetector`: what a warm changelog or metrics would otherwise read blobs for), kept between
/// runs in a file
/// (`<git-common-dir>/keel/history-scalars.bin` when used by the CLI): a blob never changes, so an
/// entry never goes stale. The file ends with a
/// checksum: a damaged file is discarded (and reported), never read; one written by another format
/// version is ignored.
public final class ScalarCache: RenameScores, @unchecked Sendable {
  static let magic = "keel-history-scalars"
  static let formatVersion: UInt32 = 4

  /// A pair of blobs whose rename similarity is known.
  private struct Pair: Hashable {
    var source: BlobKey
    var destination: BlobKey
  }

  private let file: URL?
  private let lock = NSLock()
  /// The file's bytes; an entry is decoded from them only when asked for, the others are copied
  /// back verbatim. Indexed by integer keys: a warm `keel history` looks up a few dozen of the
  /// file's tens of thousands of entries.
  private var stored: [UInt8] = []
  /// Where the fields of each entry of the file are in `stored` (after its id and format tag).
  private var storedEntries: [BlobKey: Range<Int>] = [:]
  /// Entries read or decoded in this run, by `key(blob, format)`.
  private var entries: [String: [String: String]] = [:]
  /// Similarity scores of pairs of blobs; kept only with a file: a run rarely scores a pair twice,
  /// and keeping the hundreds of thousands of pairs a commit that moved every document compares
  /// costs more than scoring them.
  private var renameScores: [Pair: Int] = [:]
  private var added = 0

  /// - Parameters:
  ///   - file: where the cache is kept; nil keeps it in memory only.
  ///   - damaged: called with `file` when it is damaged (it is then removed, and rebuilt by `save`).
  public init(file: URL?, damaged: ((URL) -> Void)? = nil) {
    self.file = file
    guard let file,
      let (bytes, (storedEntries, renameScores)) = CacheFile.read(
        file, magic: Self.magic, version: Self.formatVersion, damaged: damaged, decode: Self.index)
    else { return }
    self.storedEntries = storedEntries
    self.renameScores = renameScores
    stored = bytes
  }

  /// The key of a blob read in a format: its id, followed by the format's tag unless front matter.
  private static func key(_ blob: String, _ format: DocumentFormat) -> String {
    format == .frontMatter ? blob : blob + String(UnicodeScalar(format.cacheTag))
  }

  /// Where each blob's entry is in `bytes` (the file without its checksum), and the rename scores;
  /// nil when it does not decode.
  private static func index(_ bytes: [UInt8]) -> ([BlobKey: Range<Int>], [Pair: Int])? {
    var reader = BinaryReader(bytes: bytes)
    do {
      guard try reader.readString() == Self.magic, try reader.readUInt32() == Self.formatVersion else { return nil }
      let count = try reader.readCount()
      var entries: [BlobKey: Range<Int>] = [:]
      // The count comes from the file: reserve no more than its bytes can hold (an id and a count each).
      entries.reserveCapacity(min(count, bytes.count / 24))
      for _ in 0..<count {
        var key = try reader.readIDKey()
        key.tag = try reader.readByte()
        guard DocumentFormat(cacheTag: key.tag) != nil else { return nil }
        let start = reader.offset
        let fieldCount = try reader.readCount()
        for _ in 0..<(2 * fieldCount) { try reader.skipString() }
        entries[key] = start..<reader.offset
      }
      let scoreCount = try reader.readCount()
      var scores: [Pair: Int] = [:]
      scores.reserveCapacity(min(scoreCount, bytes.count / 44))
      for _ in 0..<scoreCount {
        let pair = Pair(source: try reader.readIDKey(), destination: try reader.readIDKey())
        let score = Int(try reader.readUInt32())
        guard score <= RenameDetector.maximumScore else { return nil }
        scores[pair] = score
      }
      return reader.isAtEnd ? (entries, scores) : nil
    } catch {
      return nil
    }
  }

  private func decode(_ range: Range<Int>) -> [String: String] {
    var reader = BinaryReader(bytes: stored, range: range)
    var fields: [String: String] = [:]
    do {
      let count = try reader.readCount()
      for _ in 0..<count {
        let key = try reader.readString()
        fields[key] = try reader.readString()
      }
    } catch {}
    return fields
  }

  /// The fields of `id` in `format` known in this run or from the file (decoded and kept); nil when
  /// neither has them. The caller holds the lock.
  private func known(_ id: String, _ format: DocumentFormat, key: String) -> [String: String]? {
    if let fields = entries[key] { return fields }
    guard let stored = BlobKey(hex: id, tag: format.cacheTag).flatMap({ storedEntries[$0] }) else { return nil }
    let fields = decode(stored)
    entries[key] = fields
    return fields
  }

  /// The string fields of the blob `id`, read (and remembered) on first use.
  ///
  /// - Parameter format: where the fields are; nil: from the path's extension.
  public func fields(
    ofBlob id: String, path: String, format: DocumentFormat? = nil, read: (String) throws -> Data
  ) -> [String: String] {
    let format = format ?? .of(path: path)
    let key = Self.key(id, format)
    lock.lock()
    if let fields = known(id, format, key: key) {
      lock.unlock()
      return fields
    }
    lock.unlock()
    let fields = (try? read(id)).map { FrontMatterScalars.read($0, path: path, format: format) } ?? [:]
    lock.lock()
    entries[key] = fields
    added += 1
    lock.unlock()
    return fields
  }

  /// Reads the fields of many blobs on every core (the first metrics or check run reads every
  /// version of every document). `read` reads many blobs at once (`HistorySource.readBlobs`): it
  /// calls its handler from several threads at once, with bytes valid only during the call.
  ///
  /// - Parameter keeping: blobs whose bytes are wanted too (read in the same batch): returned.
  @discardableResult
  public func prefetch(
    _ items: [(blob: String, path: String, format: DocumentFormat)], keeping kept: Set<String> = [],
    read: ([String], (Int, Data?) -> Void) -> Void
  ) -> [String: Data] {
    lock.lock()
    var seen = Set<String>()
    let missing = items.filter {
      let key = Self.key($0.blob, $0.format)
      return entries[key] == nil && BlobKey(hex: $0.blob, tag: $0.format.cacheTag).flatMap { storedEntries[$0] } == nil
        && seen.insert(key).inserted
    }
    lock.unlock()
    let blobs = missing.map(\.blob) + kept.subtracting(missing.lazy.map(\.blob))
    guard !blobs.isEmpty else { return [:] }
    // Each index is written once, by the thread handed its blob; the reader's return publishes the writes.
    let results = UnsafeMutableBufferPointer<[String: String]>.allocate(capacity: missing.count)
    results.initialize(repeating: [:])
    let contents = UnsafeMutableBufferPointer<Data?>.allocate(capacity: blobs.count)
    contents.initialize(repeating: nil)
    defer {
      results.deinitialize()
      results.deallocate()
      contents.deinitialize()
      contents.deallocate()
    }
    read(blobs) { index, data in
      guard let data else { return }
      if index < missing.count {
        let item = missing[index]
        results[index] = FrontMatterScalars.read(data, path: item.path, format: item.format)
      }
      // A copy: the reader's bytes are only lent.
      if kept.contains(blobs[index]) { contents[index] = data.withUnsafeBytes { Data($0) } }
    }
    lock.lock()
    for (item, fields) in zip(missing, results) where entries[Self.key(item.blob, item.format)] == nil {
      entries[Self.key(item.blob, item.format)] = fields
      added += 1
    }
    lock.unlock()
    var read: [String: Data] = [:]
    for (blob, data) in zip(blobs, contents) where data != nil { read[blob] = data }
    return read
  }

  public func score(_ source: String, _ destination: String) -> Int? {
    guard file != nil, let source = BlobKey(hex: source), let destination = BlobKey(hex: destination) else {
      return nil
    }
    lock.lock()
    defer { lock.unlock() }
    return renameScores[Pair(source: source, destination: destination)]
  }

  /// Only pairs of Git ids (40 hex digits) are remembered, and only in a cache with a file.
  public func remember(_ source: String, _ destination: String, score: Int) {
    guard file != nil, let source = BlobKey(hex: source), let destination = BlobKey(hex: destination) else { return }
    lock.lock()
    if renameScores.updateValue(score, forKey: Pair(source: source, destination: destination)) == nil { added += 1 }
    lock.unlock()
  }

  /// Writes the cache back when something was added (atomically; failures are ignored).
  public func save() {
    lock.lock()
    defer { lock.unlock() }
    guard let file, added > 0 else { return }
    // The file's entries not decoded in this run are copied back as they are (id, tag and fields).
    var decoded = Set<BlobKey>()
    for key in entries.keys {
      let utf8 = key.utf8
      if let blob = BlobKey(hex: String(key.prefix(40)), tag: utf8.count > 40 ? utf8.last! : 0) { decoded.insert(blob) }
    }
    let copied = storedEntries.filter { !decoded.contains($0.key) }
    var writer = BinaryWriter()
    writer.write(Self.magic)
    writer.write(Self.formatVersion)
    writer.write(count: entries.count + copied.count)
    for (key, fields) in entries {
      writer.write(id: String(key.prefix(40)))
      writer.write(key.utf8.count > 40 ? key.utf8.last! : UInt8(0))
      writer.write(count: fields.count)
      for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
        writer.write(key)
        writer.write(value)
      }
    }
    for range in copied.values { writer.append(stored[(range.lowerBound - 21)..<range.upperBound]) }
    writer.write(count: renameScores.count)
    for (pair, score) in renameScores {
      writer.write(id: pair.source)
      writer.write(id: pair.destination)
      writer.write(UInt32(score))
    }
    CacheFile.write(writer, to: file)
    added = 0
  }
}
