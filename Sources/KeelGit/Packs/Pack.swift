import Foundation

/// One pack of the object database: the `.pack` file and its version-2 `.idx`, both mapped.
///
/// The index is `\377tOc`, version 2, a 256-entry fan-out table, the sorted object ids, their
/// CRC-32s, their 32-bit offsets (the high bit points into a table of 64-bit offsets) and the
/// 64-bit offsets. Everything read from either file is bounds-checked: a damaged pack makes a
/// lookup fail, and the object is then read through libgit2, which reports the damage.
final class Pack: @unchecked Sendable {
  let data: MappedFile
  private let index: MappedFile
  let objectCount: Int
  private static let fanoutStart = 8
  private var idsStart: Int { Self.fanoutStart + 256 * 4 }
  private var offsetsStart: Int { idsStart + objectCount * 24 }
  private var largeOffsetsStart: Int { offsetsStart + objectCount * 4 }

  /// Nil when either file is missing or is not a version-2 index and a version-2 or 3 pack.
  init?(indexPath: String, packPath: String) {
    guard let index = MappedFile(path: indexPath), let data = MappedFile(path: packPath) else { return nil }
    guard index.count >= 8 + 256 * 4 + 40, index.uint32(at: 0) == 0xff74_4f63, index.uint32(at: 4) == 2 else {
      return nil
    }
    let count = Int(index.uint32(at: Self.fanoutStart + 255 * 4))
    // ids, CRCs, offsets, then two checksums; 64-bit offsets may sit between.
    guard index.count >= 8 + 256 * 4 + count * 28 + 40 else { return nil }
    guard data.count >= 12 + 20, data.uint32(at: 0) == 0x5041_434b, [2, 3].contains(data.uint32(at: 4)),
      Int(data.uint32(at: 8)) == count
    else { return nil }
    self.index = index
    self.data = data
    objectCount = count
  }

  /// The offset of the object in the pack file, or nil when the pack does not hold it.
  func offset(of id: UnsafeRawPointer) -> Int? {
    let first = Int(id.load(as: UInt8.self))
    var low = first == 0 ? 0 : Int(index.uint32(at: Self.fanoutStart + (first - 1) * 4))
    var high = Int(index.uint32(at: Self.fanoutStart + first * 4))
    guard low <= high, high <= objectCount else { return nil }
    let ids = index.bytes.baseAddress! + idsStart
    // The first 8 bytes, as a big-endian number, order ids as `memcmp` does and nearly always
    // decide: the rest is compared only when they are equal.
    let key = UInt64(bigEndian: id.loadUnaligned(as: UInt64.self))
    while low < high {
      let middle = (low + high) / 2
      let entry = ids + middle * 20
      let head = UInt64(bigEndian: entry.loadUnaligned(as: UInt64.self))
      let order = head == key ? Int(memcmp(entry, id, 20)) : (head < key ? -1 : 1)
      if order == 0 { return offset(atPosition: middle) }
      if order < 0 { low = middle + 1 } else { high = middle }
    }
    return nil
  }

  private func offset(atPosition position: Int) -> Int? {
    let small = index.uint32(at: offsetsStart + position * 4)
    guard small & 0x8000_0000 != 0 else { return Int(small) }
    let large = largeOffsetsStart + Int(small & 0x7fff_ffff) * 8
    guard large + 8 <= index.count - 40 else { return nil }
    let offset = index.uint64(at: large)
    return offset < UInt64(data.count) ? Int(offset) : nil
  }
}

/// The packs of a repository's object database (`objects/pack/*.idx`), opened once and shared by
/// every thread; each thread reads through its own `PackReader`, which also reads loose objects.
final class PackSet: @unchecked Sendable {
  let packs: [Pack]
  /// `objects/`, where loose objects live (`objects/ab/cdef…`).
  let objectsDirectory: String
  /// False when every object is to be read by libgit2 (`KEEL_GIT_READER=libgit2`).
  let enabled: Bool

  /// - Parameter enabled: false opens nothing, and every reader leaves every object to libgit2.
  init(objectsDirectory: URL, enabled: Bool = true) {
    self.objectsDirectory = objectsDirectory.path
    self.enabled = enabled
    guard enabled else {
      packs = []
      return
    }
    let folder = objectsDirectory.appendingPathComponent("pack")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    packs = names.filter { $0.hasSuffix(".idx") }.sorted().compactMap { name in
      let base = folder.appendingPathComponent(String(name.dropLast(4))).path
      return Pack(indexPath: base + ".idx", packPath: base + ".pack")
    }
  }
}
