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

  private let whole: Set<String>
  /// `wholeLengths[n]`: some placeholder is `n` bytes long (most blocks then need no hashing).
  private let wholeLengths: [Bool]
  /// Long placeholders as bytes, and their indices by first eight bytes.
  private let contained: [[UInt8]]
  private let byPrefix: [UInt64: [Int]]
  /// Bit `slot(prefix)` is set for the prefix of every long placeholder.
  private let filter: [UInt64]

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
    self.whole = whole
    var lengths = [Bool](repeating: false, count: (whole.map(\.utf8.count).max() ?? 0) + 1)
    for placeholder in whole { lengths[placeholder.utf8.count] = true }
    self.wholeLengths = lengths
    self.contained = contained
    self.byPrefix = byPrefix
    self.filter = filter
  }

  public var isEmpty: Bool { whole.isEmpty }

  private static func slot(_ prefix: UInt64) -> Int {
    Int(truncatingIfNeeded: (prefix &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - filterBits))
  }

  /// Whether `block` repeats a placeholder.
  public func matches(_ block: MarkdownBlock) -> Bool {
    guard !whole.isEmpty else { return false }
    return Template.withNormalisedProse(block.text) { matches(normalisedBytes: $0) }
  }

  /// Whether normalised block text repeats a placeholder.
  func matches(normalised text: String) -> Bool {
    var text = text
    return text.withUTF8 { matches(normalisedBytes: $0) }
  }

  private func matches(normalisedBytes bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !bytes.isEmpty else { return false }
    if bytes.count < wholeLengths.count, wholeLengths[bytes.count],
      whole.contains(String(decoding: bytes, as: UTF8.self))
    {
      return true
    }
    guard !contained.isEmpty, bytes.count >= Self.minimumContainedLength,
      let base = UnsafeRawPointer(bytes.baseAddress)
    else { return false }
    for start in 0...(bytes.count - Self.minimumContainedLength) {
      let prefix = (base + start).loadUnaligned(as: UInt64.self)
      let slot = Self.slot(prefix)
      guard filter[slot >> 6] & (1 << UInt64(slot & 63)) != 0, let candidates = byPrefix[prefix] else { continue }
      for index in candidates {
        let pattern = contained[index]
        guard pattern.count <= bytes.count - start else { continue }
        if pattern.withUnsafeBytes({ memcmp(base + start, $0.baseAddress!, pattern.count) == 0 }) { return true }
      }
    }
    return false
  }
}
