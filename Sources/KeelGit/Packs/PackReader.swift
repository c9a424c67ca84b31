import CZlib
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The bytes of one object read from a pack, owned: they stay valid for as long as someone holds
/// the reference, whatever the cache does meanwhile.
final class PackedObject {
  enum Kind: UInt8 { case commit = 1, tree = 2, blob = 3, tag = 4 }

  let kind: Kind
  let count: Int
  /// The id these bytes were found to hash to (set once checked, so a cached object is hashed once).
  var verifiedID: ObjectID?
  /// At least one byte, so that an empty object still has an address.
  let storage: UnsafeMutableRawPointer

  init(kind: Kind, count: Int) {
    self.kind = kind
    self.count = count
    storage = .allocate(byteCount: max(count, 1), alignment: 16)
  }

  deinit { storage.deallocate() }

  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }
}

/// Reads objects from the packs of a `PackSet`, and loose objects, without libgit2, so that threads
/// do not wait on libgit2's global locks, and a history walk pays only for inflating and applying
/// deltas.
/// One reader per thread: it keeps an inflate stream and a cache of recent delta bases and trees.
///
/// Every read is bounds-checked. `object(_:)` returns nil for an object it does not find (one of an
/// alternate object store) and for anything it cannot read; the caller then asks libgit2.
final class PackReader {
  let packs: [Pack]
  private let objectsDirectory: String
  /// On the heap: zlib keeps the stream's address, and a pointer needs no exclusivity checks.
  private let stream: UnsafeMutablePointer<z_stream>
  private let streamReady: Bool
  private let cache = DeltaBaseCache()
  /// The pack that answered the last lookup: consecutive objects usually sit in the same one.
  private var lastPack = 0

  /// False with `KEEL_GIT_READER=libgit2`: every object is then read by libgit2.
  private let enabled: Bool

  init(packs: PackSet) {
    self.packs = packs.packs
    objectsDirectory = packs.objectsDirectory
    enabled = packs.enabled
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // Raw deflate: `startInflating` reads the zlib header itself (see there).
    streamReady = inflateInit2_(stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
  }

  deinit {
    if streamReady { inflateEnd(stream) }
    stream.deinitialize(count: 1)
    stream.deallocate()
  }

  /// The object `id` from a pack or a loose file, or nil (not found here, unreadable here, or its
  /// bytes do not hash to `id`: a damaged pack, index or loose file; libgit2 then reports it).
  func object(_ id: ObjectID) -> PackedObject? {
    guard streamReady, enabled else { return nil }
    let found: PackedObject?
    if let (number, offset) = withUnsafeBytes(of: id.raw, { location(of: $0.baseAddress!) }) {
      found = object(inPack: number, at: offset, depth: 0)
    } else {
      found = looseObject(id.hex)
    }
    guard let found else { return nil }
    // An object kept in the cache was checked when it was first returned.
    if found.verifiedID == id { return found }
    guard ObjectHash.id(kind: found.kind, content: found.bytes) == id else { return nil }
    found.verifiedID = id
    return found
  }

  /// The size of object `id` from its header (for a delta, the size it
  /// produces), without inflating its content; nil when it is not found here
  /// or its header cannot be read.
  func objectSize(_ id: ObjectID) -> Int? {
    guard streamReady else { return nil }
    guard let (number, offset) = withUnsafeBytes(of: id.raw, { location(of: $0.baseAddress!) }) else {
      return looseObjectSize(id.hex)
    }
    let file = packs[number].data.bytes
    let end = file.count - 20
    guard let header = Self.header(file, at: offset, end: end) else { return nil }
    var position = header.dataStart
    switch header.type {
    case 1...4: return header.size
    case 6:
      // Skip the base's distance (a varint) to reach the delta's instructions.
      while position < end, file[position] & 0x80 != 0 { position += 1 }
      position += 1
    case 7: position += 20
    default: return nil
    }
    guard position < end else { return nil }
    // A delta starts with two varints, the base's size and the result's: at most 20 bytes.
    var head = [UInt8](repeating: 0, count: 20)
    guard startInflating(file.baseAddress! + position, count: end - position) else { return nil }
    let produced = head.withUnsafeMutableBufferPointer { buffer -> Int? in
      stream.pointee.next_out = buffer.baseAddress
      stream.pointee.avail_out = UInt32(buffer.count)
      let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
      guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { return nil }
      return buffer.count - Int(stream.pointee.avail_out)
    }
    guard let produced else { return nil }
    var index = 0
    func varint() -> Int? {
      var value = 0
      var shift = 0
      while index < produced, shift < 63 {
        let byte = head[index]
        index += 1
        value |= Int(byte & 0x7f) << shift
        if byte & 0x80 == 0 { return value }
        shift += 7
      }
      return nil
    }
    guard varint() != nil else { return nil }
    return varint()
  }

  /// The size a loose object's header gives, from the first bytes of its file.
  private func looseObjectSize(_ hex: String) -> Int? {
    let path = objectsDirectory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
    guard let (descriptor, size) = openRegularFile(path) else { return nil }
    defer { close(descriptor) }
    // `blob 123456789\0` inflates from well under 1 KiB of zlib stream.
    var input = [UInt8](repeating: 0, count: min(size, 1024))
    let count = input.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
    guard count > 0 else { return nil }
    var head = [UInt8](repeating: 0, count: 32)
    let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
      head.withUnsafeMutableBufferPointer { buffer -> Int? in
        guard startInflating(inputBuffer.baseAddress!, count: count) else { return nil }
        stream.pointee.next_out = buffer.baseAddress
        stream.pointee.avail_out = UInt32(buffer.count)
        let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { return nil }
        return buffer.count - Int(stream.pointee.avail_out)
      }
    }
    guard let produced, let nul = head[..<produced].firstIndex(of: 0),
      let space = head[..<nul].firstIndex(of: 0x20)
    else { return nil }
    return Int(String(decoding: head[(space + 1)..<nul], as: UTF8.self))
  }

  /// Which pack holds the 20-byte id, and where.
  private func location(of id: UnsafeRawPointer) -> (pack: Int, offset: Int)? {
    for step in 0..<packs.count {
      let number = (lastPack + step) % packs.count
      guard let offset = packs[number].offset(of: id) else { continue }
      lastPack = number
      return (number, offset)
    }
    return nil
  }

  /// A loose object, `objects/ab/cdef…`: zlib over `<type> <size>\0<content>`. Nil when there is
  /// none (an alternate's, say) or it does not read exactly as its header says.
  private func looseObject(_ hex: String) -> PackedObject? {
    // Read, not mapped: loose objects are small, and unmapping costs every thread a TLB flush.
    guard readFile(objectsDirectory + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)) else { return nil }
    return looseBuffer.withUnsafeBytes { inflateLoose(UnsafeRawBufferPointer(rebasing: $0[..<looseCount])) }
  }

  /// The compressed bytes of the last loose object read (reused: most are a few hundred bytes).
  private var looseBuffer = [UInt8](repeating: 0, count: 4096)
  private var looseCount = 0

  /// Reads a whole regular file into `looseBuffer` (grown as needed), setting `looseCount`.
  private func readFile(_ path: String) -> Bool {
    guard let (descriptor, size) = openRegularFile(path) else { return false }
    defer { close(descriptor) }
    guard size < Int(UInt32.max) else { return false }
    if looseBuffer.count < size { looseBuffer = [UInt8](repeating: 0, count: size) }
    var total = 0
    while total < size {
      let count = looseBuffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + total, size - total) }
      guard count > 0 else { return false }
      total += count
    }
    looseCount = size
    return true
  }

  private func inflateLoose(_ input: UnsafeRawBufferPointer) -> PackedObject? {
    guard let base = input.baseAddress, startInflating(base, count: input.count) else { return nil }
    // The header is at most `commit ` and 20 digits and a NUL: inflate that much first.
    var head = [UInt8](repeating: 0, count: 32)
    let headStatus = head.withUnsafeMutableBufferPointer { buffer -> Int32 in
      stream.pointee.next_out = buffer.baseAddress
      stream.pointee.avail_out = UInt32(buffer.count)
      return CZlib.inflate(stream, Z_NO_FLUSH)
    }
    guard headStatus == Z_OK || headStatus == Z_STREAM_END else { return nil }
    let produced = head.count - Int(stream.pointee.avail_out)
    guard let nul = head[..<produced].firstIndex(of: 0), let space = head[..<nul].firstIndex(of: 0x20) else {
      return nil
    }
    let kind: PackedObject.Kind
    switch String(decoding: head[..<space], as: UTF8.self) {
    case "commit": kind = .commit
    case "tree": kind = .tree
    case "blob": kind = .blob
    case "tag": kind = .tag
    default: return nil
    }
    guard let size = Int(String(decoding: head[(space + 1)..<nul], as: UTF8.self)), size >= 0,
      size <= input.count * 1032 + 64
    else { return nil }
    let result = PackedObject(kind: kind, count: size)
    let already = produced - nul - 1
    guard already <= size else { return nil }
    head[(nul + 1)..<produced].withUnsafeBytes { result.storage.copyMemory(from: $0.baseAddress!, byteCount: already) }
    // Like git, refuse bytes after the end of the stream ("garbage at end of loose object"): only
    // the 4-byte Adler-32 may follow the deflate data.
    if headStatus == Z_STREAM_END { return already == size && stream.pointee.avail_in == 4 ? result : nil }
    return finishInflating(into: result, from: already) && stream.pointee.avail_in == 4 ? result : nil
  }

  /// A delta whose base is not resolved yet: where its instructions are and how big they are.
  private struct PendingDelta {
    var offset: Int
    var dataStart: Int
    var size: Int
  }

  /// Longest delta chain followed (git's default depth is 50; `--depth=4095` is the maximum).
  static let maximumChain = 10_000
  /// How many REF_DELTA bases may be looked up by id inside one another.
  private static let maximumDepth = 8

  private func object(inPack number: Int, at start: Int, depth: Int) -> PackedObject? {
    let pack = packs[number]
    let file = pack.data.bytes
    // The last 20 bytes of a pack are its checksum.
    let end = file.count - 20
    var chain: [PendingDelta] = []
    var offset = start
    var base: PackedObject?
    var foundElsewhere = false
    while base == nil {
      if let cached = cache.object(pack: number, offset: offset) {
        base = cached
        break
      }
      guard chain.count < Self.maximumChain, let header = Self.header(file, at: offset, end: end) else { return nil }
      switch header.type {
      case 1...4:
        guard let kind = PackedObject.Kind(rawValue: header.type),
          let inflated = inflate(file, from: header.dataStart, end: end, count: header.size, kind: kind)
        else { return nil }
        base = inflated
      case 6:
        // OFS_DELTA: the base sits `distance` bytes before this object in the same pack.
        guard let (base, position) = Self.offsetDeltaBase(file, header: header, at: offset, end: end) else {
          return nil
        }
        chain.append(PendingDelta(offset: offset, dataStart: position, size: header.size))
        offset = base
      case 7:
        // REF_DELTA: the base is named by id, normally in the same pack.
        guard header.dataStart + 20 <= end else { return nil }
        let baseID = file.baseAddress! + header.dataStart
        chain.append(PendingDelta(offset: offset, dataStart: header.dataStart + 20, size: header.size))
        if let baseOffset = pack.offset(of: baseID) {
          offset = baseOffset
        } else {
          guard depth < Self.maximumDepth else { return nil }
          var found: PackedObject?
          for other in packs.indices where other != number {
            if let otherOffset = packs[other].offset(of: baseID) {
              found = object(inPack: other, at: otherOffset, depth: depth + 1)
              break
            }
          }
          guard let found else { return nil }
          base = found
          foundElsewhere = true
        }
      default:
        return nil
      }
    }
    guard var current = base else { return nil }
    // Apply the deltas from the base outwards, keeping each base for the next object that needs it
    // (a base found in another pack is kept there, not here).
    var baseOffset: Int? = foundElsewhere ? nil : offset
    for position in chain.indices.reversed() {
      if let baseOffset { cache.insert(current, pack: number, offset: baseOffset) }
      let delta = chain[position]
      guard let instructions = inflate(file, from: delta.dataStart, end: end, count: delta.size, kind: .blob),
        let result = Delta.apply(instructions.bytes, to: current)
      else { return nil }
      current = result
      baseOffset = delta.offset
    }
    if current.kind == .tree { cache.insert(current, pack: number, offset: start) }
    return current
  }

  struct Header {
    var type: UInt8
    var size: Int
    var dataStart: Int
  }

  /// An OFS_DELTA's base: its offset (`distance` bytes before the delta at `offset`), and where the
  /// delta's instructions start; nil when the distance is malformed or points outside the pack.
  static func offsetDeltaBase(_ file: UnsafeRawBufferPointer, header: Header, at offset: Int, end: Int)
    -> (base: Int, instructions: Int)?
  {
    var position = header.dataStart
    guard position < end else { return nil }
    var byte = file[position]
    position += 1
    var distance = Int(byte & 0x7f)
    while byte & 0x80 != 0 {
      guard position < end, distance < Int.max >> 8 else { return nil }
      byte = file[position]
      position += 1
      distance = ((distance + 1) << 7) | Int(byte & 0x7f)
    }
    guard distance > 0, distance <= offset else { return nil }
    return (offset - distance, position)
  }

  /// The object header at `offset`: type in bits 4–6 of the first byte, size in 4 + 7k bits.
  static func header(_ file: UnsafeRawBufferPointer, at offset: Int, end: Int) -> Header? {
    guard offset >= 12, offset < end else { return nil }
    var position = offset
    var byte = file[position]
    position += 1
    let type = (byte >> 4) & 0x07
    var size = Int(byte & 0x0f)
    var shift = 4
    while byte & 0x80 != 0 {
      guard position < end, shift < 57 else { return nil }
      byte = file[position]
      position += 1
      size |= Int(byte & 0x7f) << shift
      shift += 7
    }
    return Header(type: type, size: size, dataStart: position)
  }

  /// Inflates exactly `count` bytes from the zlib stream at `start`.
  func inflate(_ file: UnsafeRawBufferPointer, from start: Int, end: Int, count: Int, kind: PackedObject.Kind)
    -> PackedObject?
  {
    // zlib expands at most about 1032:1, so a size the remaining bytes cannot hold is damage (and
    // is not allocated).
    guard start < end, count >= 0, count < 1 << 32, count <= (end - start) * 1032 + 64 else { return nil }
    guard startInflating(file.baseAddress! + start, count: end - start) else { return nil }
    let result = PackedObject(kind: kind, count: count)
    return finishInflating(into: result, from: 0) ? result : nil
  }

  /// Starts inflating the zlib stream that begins at `start` (at most `count` bytes): checks its
  /// two-byte header (deflate, no preset dictionary, as git writes) and hands zlib the raw deflate
  /// data after it. The Adler-32 at the stream's end is not checked: every object read is checked
  /// against its SHA-1 id, which catches whatever the checksum would, and the checksum cost 4% of
  /// a cold history walk.
  private func startInflating(_ start: UnsafeRawPointer, count: Int) -> Bool {
    guard count > 2, inflateReset(stream) == Z_OK else { return false }
    let method = start.load(as: UInt8.self)
    let flags = start.load(fromByteOffset: 1, as: UInt8.self)
    guard method & 0x0f == 8, method >> 4 <= 7, flags & 0x20 == 0, (UInt16(method) << 8 | UInt16(flags)) % 31 == 0
    else { return false }
    stream.pointee.next_in = UnsafeMutablePointer(mutating: (start + 2).assumingMemoryBound(to: UInt8.self))
    stream.pointee.avail_in = UInt32(min(count - 2, Int(UInt32.max)))
    return true
  }

  /// Inflates the rest of the stream into `result` from byte `start` on, and checks that the stream
  /// ends exactly at its end: one byte to spare catches a stream longer than its header says.
  private func finishInflating(into result: PackedObject, from start: Int) -> Bool {
    stream.pointee.next_out = result.storage.assumingMemoryBound(to: UInt8.self) + start
    stream.pointee.avail_out = UInt32(result.count - start)
    var status = CZlib.inflate(stream, Z_FINISH)
    if result.count == start || (status == Z_BUF_ERROR && stream.pointee.avail_out == 0) {
      // Output full: the stream must end here.
      var spare: UInt8 = 0
      withUnsafeMutablePointer(to: &spare) { stream.pointee.next_out = $0 }
      stream.pointee.avail_out = 1
      status = CZlib.inflate(stream, Z_FINISH)
      return status == Z_STREAM_END && stream.pointee.avail_out == 1
    }
    return status == Z_STREAM_END && stream.pointee.avail_out == 0
  }
}

/// Recently used delta bases and trees, by pack and offset: a direct-mapped table (a new entry
/// replaces whatever shared its slot) with a byte budget, like git's delta base cache.
private final class DeltaBaseCache {
  private struct Entry {
    var pack: Int
    var offset: Int
    var object: PackedObject
  }

  private static let slotCount = 4096
  private static let budget = 64 << 20
  private var slots = [Entry?](repeating: nil, count: slotCount)
  private var bytes = 0

  private func slot(pack: Int, offset: Int) -> Int {
    var hash = UInt64(truncatingIfNeeded: offset) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(pack)
    hash ^= hash >> 29
    return Int(hash % UInt64(Self.slotCount))
  }

  func object(pack: Int, offset: Int) -> PackedObject? {
    guard let entry = slots[slot(pack: pack, offset: offset)], entry.pack == pack, entry.offset == offset else {
      return nil
    }
    return entry.object
  }

  func insert(_ object: PackedObject, pack: Int, offset: Int) {
    guard object.count <= Self.budget / 8 else { return }
    let index = slot(pack: pack, offset: offset)
    if let old = slots[index] {
      if old.pack == pack && old.offset == offset { return }
      bytes -= old.object.count
    }
    if bytes + object.count > Self.budget {
      slots = [Entry?](repeating: nil, count: Self.slotCount)
      bytes = 0
    }
    slots[index] = Entry(pack: pack, offset: offset, object: object)
    bytes += object.count
  }
}
