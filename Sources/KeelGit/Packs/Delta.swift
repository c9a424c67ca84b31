import Foundation

/// Git's binary delta format: the base's size and the result's size (little-endian base-128),
/// then instructions, each either "copy `size` bytes from `offset` of the base" (high bit set;
/// the low 4 bits say which offset bytes follow, the next 3 which size bytes; size 0 means 65536)
/// or "insert the next 1–127 bytes" (the byte is the count).
enum Delta {
  /// The object the delta makes from `base`, or nil when the delta is malformed or does not fit.
  static func apply(_ instructions: UnsafeRawBufferPointer, to base: PackedObject) -> PackedObject? {
    var position = 0
    guard let baseSize = varint(instructions, &position), baseSize == base.count,
      let resultSize = varint(instructions, &position),
      // Each instruction byte yields at most 64 KiB: a larger size is damage (and is not allocated).
      resultSize <= instructions.count * 0x10000
    else { return nil }
    let result = PackedObject(kind: base.kind, count: resultSize)
    let output = result.storage
    let source = UnsafeRawPointer(base.storage)
    var written = 0
    while position < instructions.count {
      let opcode = instructions[position]
      position += 1
      if opcode & 0x80 != 0 {
        var offset = 0
        var size = 0
        for bit in 0..<4 where opcode & (1 << bit) != 0 {
          guard position < instructions.count else { return nil }
          offset |= Int(instructions[position]) << (8 * bit)
          position += 1
        }
        for bit in 0..<3 where opcode & (0x10 << bit) != 0 {
          guard position < instructions.count else { return nil }
          size |= Int(instructions[position]) << (8 * bit)
          position += 1
        }
        if size == 0 { size = 0x10000 }
        guard offset + size <= baseSize, written + size <= resultSize else { return nil }
        (output + written).copyMemory(from: source + offset, byteCount: size)
        written += size
      } else if opcode != 0 {
        let size = Int(opcode)
        guard position + size <= instructions.count, written + size <= resultSize else { return nil }
        (output + written).copyMemory(from: instructions.baseAddress! + position, byteCount: size)
        position += size
        written += size
      } else {
        return nil  // opcode 0 is reserved
      }
    }
    return written == resultSize ? result : nil
  }

  private static func varint(_ bytes: UnsafeRawBufferPointer, _ position: inout Int) -> Int? {
    var value = 0
    var shift = 0
    while position < bytes.count {
      let byte = bytes[position]
      position += 1
      value |= Int(byte & 0x7f) << shift
      if byte & 0x80 == 0 { return value }
      shift += 7
      if shift > 56 { return nil }
    }
    return nil
  }
}
