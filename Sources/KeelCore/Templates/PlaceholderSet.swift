import Foundation

/// The placeholder prose of a template (normalised as `Template.normaliseProse` does), matched
/// against the blocks of a document: a block repeats a placeholder when its normalised text equals
/// one, or contains one of at least `minimumContainedLength` bytes.
///
/// Every block of every document is matched against every placeholder of its template, so the
/// search is one pass over the block's bytes whatever the number of placeholders: each position's
/// next eight bytes are looked up in a bit filter of the long placeholders' first eight bytes, and
/// only a hit compares whole placeholders.
public struct PlaceholderSet: Sendable {
  /// Placeholders shorter than this only match a whole block, so a short
  /// prompt (`TBD`) does not match inside an author's sentence.
  static let minimumContainedLength = 12
  private static let filterBits = 16

  /// The tables, shared: a copy of the set (one per document and block checked) is one reference.
  private final class Tables: Sendable {
    let whole: Set<String>
    /// `wholeLengths[n]`: some placeholder is `n` bytes long (most blocks then need no hashing).
    let wholeLengths: [Bool]
    /// Long placeholders as bytes, and their indices by first eight bytes.
    let contained: [[UInt8]]
    let byPrefix: [UInt64: [Int]]
    /// Bit `slot(prefix)` is set for the prefix of every long placeholder.
    let filter: [UInt64]
    /// `firstBytes[b]`: some long placeholder starts with byte `b` (most positions need no hashing).
    let firstBytes: [Bool]

    init(whole: Set<String>, contained: [[UInt8]], byPrefix: [UInt64: [Int]], filter: [UInt64]) {
      self.whole = whole
      var firstBytes = [Bool](repeating: false, count: 256)
      for pattern in contained { firstBytes[Int(pattern[0])] = true }
      self.firstBytes = firstBytes
      var lengths = [Bool](repeating: false, count: (whole.map(\.utf8.count).max() ?? 0) + 1)
      for placeholder in whole { lengths[placeholder.utf8.count] = true }
      self.wholeLengths = lengths
      self.contained = contained
      self.byPrefix = byPrefix
      self.filter = filter
    }
  }
  private let tables: Tables

  public init(_ placeholders: some Sequence<String>) {
    var whole = Set<String>()
    var contained: [[UInt8]] = []
    var byPrefix: [UInt64: [Int]] = [:]
    var filter = [UInt64](repeating: 0, count: (1 << Self.filterBits) / 64)
    for placeholder in placeholders where !placeholder.isEmpty {
      whole.insert(placeholder)
      let bytes = Array(placeholder.utf8)
      guard bytes.count >= Self.minimumContainedLength else { continue }
      let prefix = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
      byPrefix[prefix, default: []].append(contained.count)
      contained.append(bytes)
      let slot = Self.slot(prefix)
      filter[slot >> 6] |= 1 << UInt64(slot & 63)
    }
    tables = Tables(whole: whole, contained: contained, byPrefix: byPrefix, filter: filter)
  }

  public var isEmpty: Bool { tables.whole.isEmpty }

  private static func slot(_ prefix: UInt64) -> Int {
    Int(truncatingIfNeeded: (prefix &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - filterBits))
  }

  /// Whether `block` repeats a placeholder.
  public func matches(_ block: MarkdownBlock) -> Bool {
    let tables = tables
    guard !tables.whole.isEmpty else { return false }
    var text = block.text
    if let ascii = text.withUTF8({ Self.matches(ascii: $0, in: tables) }) { return ascii }
    return Template.withNormalisedProse(block.text) { Self.matches(normalisedBytes: $0, in: tables) }
  }

  /// `matches` for ASCII text, normalising (as `Template.normaliseProse` does) and looking up each
  /// position's first eight bytes in the filter in the same pass; the search runs in full only when
  /// the filter and the prefixes hold a candidate. nil when the text is not ASCII.
  private static func matches(ascii source: UnsafeBufferPointer<UInt8>, in tables: Tables) -> Bool? {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, source.count)) { output -> Bool? in
      var count = 0
      var pendingSpace = false
      // The last eight normalised bytes, the oldest in the low byte (as `loadUnaligned` reads them).
      var window: UInt64 = 0
      var candidate = false
      func emit(_ byte: UInt8) {
        output[count] = byte
        count += 1
        window = (window >> 8) | (UInt64(byte) << 56)
        guard count >= 8, tables.firstBytes[Int(window & 0xFF)] else { return }
        let bit = slot(window)
        if tables.filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0, tables.byPrefix[window] != nil { candidate = true }
      }
      for byte in source {
        guard byte < 0x80 else { return nil }
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
          pendingSpace = count > 0
          continue
        }
        if pendingSpace { emit(0x20) }
        pendingSpace = false
        emit(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
      }
      let normalised = UnsafeBufferPointer(rebasing: output[..<count])
      if candidate { return matches(normalisedBytes: normalised, in: tables) }
      return count > 0 && count < tables.wholeLengths.count && tables.wholeLengths[count]
        && tables.whole.contains(String(decoding: normalised, as: UTF8.self))
    }
  }

  /// Whether normalised block text repeats a placeholder.
  func matches(normalised text: String) -> Bool {
    var text = text
    let tables = tables
    return text.withUTF8 { Self.matches(normalisedBytes: $0, in: tables) }
  }

  private static func matches(normalisedBytes bytes: UnsafeBufferPointer<UInt8>, in tables: Tables) -> Bool {
    guard !bytes.isEmpty else { return false }
    if bytes.count < tables.wholeLengths.count, tables.wholeLengths[bytes.count],
      tables.whole.contains(String(decoding: bytes, as: UTF8.self))
    {
      return true
    }
    guard !tables.contained.isEmpty, bytes.count >= minimumContainedLength,
      let base = UnsafeRawPointer(bytes.baseAddress)
    else { return false }
    for start in 0...(bytes.count - minimumContainedLength) {
      let prefix = (base + start).loadUnaligned(as: UInt64.self)
      let bit = slot(prefix)
      guard tables.filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0, let candidates = tables.byPrefix[prefix] else {
        continue
      }
      for index in candidates {
        let pattern = tables.contained[index]
        guard pattern.count <= bytes.count - start else { continue }
        if pattern.withUnsafeBytes({ memcmp(base + start, $0.baseAddress!, pattern.count) == 0 }) { return true }
      }
    }
    return false
  }
}
