import CLibgit2

/// The SHA-1 object id of an object's content, as git computes it: SHA-1 of `<type> <size>\0` followed
/// by the content. Used to check every object the pack reader reads before it is used. libgit2's
/// `git_odb_hash` gives the same id, but costs several times more per object (its collision-detecting
/// SHA-1 and per-call set-up), and a history walk hashes tens of thousands of small objects.
enum ObjectHash {
  /// The id of `content` as an object of type `kind`.
  static func id(kind: PackedObject.Kind, content: UnsafeRawBufferPointer) -> ObjectID {
    let name: StaticString
    switch kind {
    case .commit: name = "commit"
    case .tree: name = "tree"
    case .blob: name = "blob"
    case .tag: name = "tag"
    }
    var header = [UInt8](UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    header.append(0x20)
    header += Array(String(content.count).utf8)
    header.append(0)
    var state = SHA1State()
    let total = header.count + content.count
    // The first block(s): the header, then as much content as fits; then whole blocks of content;
    // then the rest with the padding and the length in bits.
    var block = [UInt8](repeating: 0, count: 128)
    let first = min(content.count, 64 - header.count)
    block.replaceSubrange(0..<header.count, with: header)
    if first > 0 {
      block.withUnsafeMutableBytes {
        $0.baseAddress!.advanced(by: header.count).copyMemory(from: content.baseAddress!, byteCount: first)
      }
    }
    var consumed = first
    if header.count + first == 64 {
      block.withUnsafeBytes { state.compress($0.baseAddress!) }
      let whole = (content.count - consumed) / 64
      if whole > 0 {
        for index in 0..<whole { state.compress(content.baseAddress! + consumed + index * 64) }
        consumed += whole * 64
      }
      // The tail goes to the start of the final block(s).
      let tail = content.count - consumed
      for index in 0..<128 { block[index] = 0 }
      if tail > 0 {
        block.withUnsafeMutableBytes {
          $0.baseAddress!.copyMemory(from: content.baseAddress! + consumed, byteCount: tail)
        }
      }
      return finish(&state, block: &block, used: tail, total: total)
    }
    return finish(&state, block: &block, used: header.count + first, total: total)
  }

  /// Pads the last `used` bytes in `block`, appends the length, and compresses the last one or two blocks.
  private static func finish(_ state: inout SHA1State, block: inout [UInt8], used: Int, total: Int) -> ObjectID {
    block[used] = 0x80
    let blocks = used + 9 <= 64 ? 1 : 2
    let bits = UInt64(total) &* 8
    for index in 0..<8 { block[blocks * 64 - 1 - index] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(index))) }
    block.withUnsafeBytes { bytes in
      for index in 0..<blocks { state.compress(bytes.baseAddress! + index * 64) }
    }
    var digest = git_oid()
    withUnsafeMutableBytes(of: &digest) { out in
      for (index, word) in [state.a, state.b, state.c, state.d, state.e].enumerated() {
        out[index * 4] = UInt8(truncatingIfNeeded: word >> 24)
        out[index * 4 + 1] = UInt8(truncatingIfNeeded: word >> 16)
        out[index * 4 + 2] = UInt8(truncatingIfNeeded: word >> 8)
        out[index * 4 + 3] = UInt8(truncatingIfNeeded: word)
      }
    }
    return ObjectID(digest)
  }
}

/// The five words of SHA-1 (FIPS 180-4) and its compression function.
private struct SHA1State {
  var a: UInt32 = 0x6745_2301
  var b: UInt32 = 0xEFCD_AB89
  var c: UInt32 = 0x98BA_DCFE
  var d: UInt32 = 0x1032_5476
  var e: UInt32 = 0xC3D2_E1F0

  @inline(__always) private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value << count) | (value >> (32 - count))
  }

  /// Processes one 64-byte block at `block` (any alignment).
  mutating func compress(_ block: UnsafeRawPointer) {
    var w = (
      UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
      UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0)
    )
    withUnsafeMutableBytes(of: &w) { raw in
      let words = raw.bindMemory(to: UInt32.self)
      for index in 0..<16 {
        words[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
      }
      var a = self.a
      var b = self.b
      var c = self.c
      var d = self.d
      var e = self.e
      for round in 0..<80 {
        let slot = round & 15
        if round >= 16 {
          words[slot] = Self.rotate(
            words[(round + 13) & 15] ^ words[(round + 8) & 15] ^ words[(round + 2) & 15] ^ words[slot], 1)
        }
        let f: UInt32
        let k: UInt32
        switch round {
        case 0..<20:
          f = (b & c) | (~b & d)
          k = 0x5A82_7999
        case 20..<40:
          f = b ^ c ^ d
          k = 0x6ED9_EBA1
        case 40..<60:
          f = (b & c) | (b & d) | (c & d)
          k = 0x8F1B_BCDC
        default:
          f = b ^ c ^ d
          k = 0xCA62_C1D6
        }
        let temporary = Self.rotate(a, 5) &+ f &+ e &+ k &+ words[slot]
        e = d
        d = c
        c = Self.rotate(b, 30)
        b = a
        a = temporary
      }
      self.a &+= a
      self.b &+= b
      self.c &+= c
      self.d &+= d
      self.e &+= e
    }
  }
}
