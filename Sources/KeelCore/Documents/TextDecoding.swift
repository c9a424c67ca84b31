import Foundation
import JSONSchema

/// Turns raw file bytes into text, or into the one diagnostic that explains why
/// the bytes are not text Keel reads: too large, binary, or not UTF-8.
enum TextDecoding {
  struct Decoded {
    /// The bytes without a leading UTF-8 BOM.
    var bytes: [UInt8]
    var text: String
  }

  enum Outcome {
    case success(Decoded)
    case failure(Diagnostic)
  }

  /// `parse/too-large` for a file of `size` bytes.
  static func tooLarge(size: Int, path: String, limit: Int) -> Diagnostic {
    ReaderRules.tooLarge.finding(
      "file is \(size) bytes, over the limit of \(limit) bytes; it was not parsed", path: path)
  }

  static func decode(_ data: Data, path: String, limits: ParseLimits) -> Outcome {
    if data.count > limits.maxFileBytes {
      return .failure(tooLarge(size: data.count, path: path, limit: limits.maxFileBytes))
    }
    var bytes = [UInt8](data)
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
      bytes.removeFirst(3)
    }
    let nulOffset = bytes.withUnsafeBytes { raw in
      raw.baseAddress.flatMap { memchr($0, 0, raw.count) }.map { UnsafeRawPointer($0) - raw.baseAddress! }
    }
    if let nul = nulOffset {
      let position = approximatePosition(of: nul, in: bytes)
      return .failure(
        ReaderRules.binary.finding(
          "file looks binary (it contains a NUL byte); it was not parsed", path: path, at: position))
    }
    if let bad = firstInvalidUTF8Offset(bytes) {
      let position = approximatePosition(of: bad, in: bytes)
      let hex = String(bytes[bad], radix: 16, uppercase: true)
      return .failure(
        ReaderRules.encoding.finding(
          "file is not valid UTF-8 (byte 0x\(hex) at offset \(bad)); it was not parsed", path: path, at: position))
    }
    let text = String(decoding: bytes, as: UTF8.self)
    return .success(Decoded(bytes: bytes, text: text))
  }

  /// Offset of the first byte that does not belong to a well-formed UTF-8
  /// sequence (no overlong forms, no surrogates, nothing above U+10FFFF).
  static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { bytes in
      var index = 0
      let count = bytes.count
      let raw = UnsafeRawBufferPointer(bytes)
      while index < count {
        let lead = bytes[index]
        if lead < 0x80 {
          index += 1
          // ASCII, nearly all text: eight bytes at a time.
          while index + 8 <= count,
            raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
          {
            index += 8
          }
          continue
        }
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: return index
        }
        guard index + 1 < count, (lowerBound...upperBound).contains(bytes[index + 1]) else { return index }
        for offset in 2..<length {
          guard index + offset < count, (0x80...0xBF).contains(bytes[index + offset]) else { return index }
        }
        index += length
      }
      return nil
    }
  }

  /// Line and column of a byte offset; the column counts the UTF-8 lead bytes
  /// before it on its line (Unicode scalars when the line is valid UTF-8).
  static func approximatePosition(of offset: Int, in bytes: [UInt8]) -> SourcePosition {
    var line = 1
    var column = 1
    for index in 0..<min(offset, bytes.count) {
      let byte = bytes[index]
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return SourcePosition(line: line, column: column)
  }
}

/// Byte offsets of the starts of the lines of UTF-8 text, to turn byte
/// positions (what C libraries report) into scalar columns.
struct LineTable {
  let bytes: [UInt8]
  /// `lineStarts[i]` is the offset of the first byte of line `i + 1`.
  let lineStarts: [Int]

  /// `scalarCounts[k]` is how many Unicode scalars start in the first
  /// `k * 64` bytes: a column is then found by scanning at most 2 × 63 bytes,
  /// not the whole line (one 1 MB line with a node every two bytes was quadratic).
  private let scalarCounts: [Int]
  private static let blockShift = 6
  /// No byte continues a multi-byte character: every column is then a byte offset plus one.
  private let isASCII: Bool

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    var starts = [0]
    starts.reserveCapacity(bytes.count / 32 + 1)
    var counts: [Int] = []
    counts.reserveCapacity((bytes.count >> Self.blockShift) + 2)
    var scalars = 0
    bytes.withUnsafeBufferPointer { buffer in
      let count = buffer.count
      var blockStart = 0
      while blockStart < count {
        counts.append(scalars)
        let blockEnd = min(blockStart + (1 << Self.blockShift), count)
        for index in blockStart..<blockEnd {
          let byte = buffer[index]
          scalars &+= byte & 0xC0 != 0x80 ? 1 : 0
          // A line ends at `\n`, `\r\n` or a lone `\r`, as cmark and libyaml count lines.
          if byte <= 0x0D, byte == 0x0A || (byte == 0x0D && (index + 1 == count || buffer[index + 1] != 0x0A)) {
            starts.append(index + 1)
          }
        }
        blockStart = blockEnd
      }
    }
    counts.append(scalars)
    lineStarts = starts
    scalarCounts = counts
    isASCII = scalars == bytes.count
  }

  /// The table of `table.bytes[range]`, where `range` runs from a line start to a line start (or
  /// the end): its line starts are the table's, shifted, so the bytes are not scanned again when
  /// they are ASCII.
  init(_ range: Range<Int>, of table: LineTable) {
    guard table.isASCII else {
      self.init(Array(table.bytes[range]))
      return
    }
    // The first line that starts after `range.lowerBound` (binary search).
    var line = 0
    var upper = table.lineStarts.count
    while line < upper {
      let middle = (line + upper) / 2
      if table.lineStarts[middle] > range.lowerBound { upper = middle } else { line = middle + 1 }
    }
    var starts = [0]
    while line < table.lineStarts.count, table.lineStarts[line] <= range.upperBound {
      starts.append(table.lineStarts[line] - range.lowerBound)
      line += 1
    }
    self.init(bytes: Array(table.bytes[range]), lineStarts: starts, scalarCounts: [], isASCII: true)
  }

  private init(bytes: [UInt8], lineStarts: [Int], scalarCounts: [Int], isASCII: Bool) {
    self.bytes = bytes
    self.lineStarts = lineStarts
    self.scalarCounts = scalarCounts
    self.isASCII = isASCII
  }

  /// How many Unicode scalars start before byte `offset` (0...bytes.count).
  private func scalars(before offset: Int) -> Int {
    let block = offset >> Self.blockShift
    var count = scalarCounts[block]
    var index = block << Self.blockShift
    while index < offset {
      if bytes[index] & 0xC0 != 0x80 { count += 1 }
      index += 1
    }
    return count
  }

  var lineCount: Int { lineStarts.count }

  /// Byte range of a 1-based line, without its `\n`, `\r\n` or `\r`.
  func contentRange(ofLine line: Int) -> Range<Int> {
    guard line >= 1, line <= lineStarts.count else { return bytes.count..<bytes.count }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == 0x0D { end -= 1 }
    return start..<max(start, end)
  }

  /// The 1-based scalar column of the byte at `offset` of a 1-based line.
  func scalarColumn(line: Int, byteOffsetInLine offset: Int) -> Int {
    guard line >= 1, line <= lineStarts.count else { return max(1, offset + 1) }
    let start = lineStarts[line - 1]
    let end = min(start + max(0, offset), bytes.count)
    if isASCII { return 1 + end - start }
    return 1 + scalars(before: end) - scalars(before: start)
  }

  /// Byte offset within its line of a 1-based scalar column.
  func byteOffset(line: Int, scalarColumn column: Int) -> Int? {
    guard line >= 1, line <= lineStarts.count else { return nil }
    let range = contentRange(ofLine: line)
    var remaining = column - 1
    var index = range.lowerBound
    while remaining > 0 {
      guard index < range.upperBound else { return nil }
      index += 1
      while index < range.upperBound, bytes[index] & 0xC0 == 0x80 { index += 1 }
      remaining -= 1
    }
    return index - lineStarts[line - 1]
  }
}
