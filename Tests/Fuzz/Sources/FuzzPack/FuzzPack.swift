import Foundation
import FuzzDriver

@testable import KeelGit

/// The pack reader. The input is a table of objects and a pack file: a count byte `n`, then `n`
/// entries of a 20-byte object id and a 4-byte little-endian offset, then the `.pack` bytes. The
/// version-2 `.idx` is built from the table (ids sorted, fan-out, offsets), so that the fuzzer
/// spends its time in the pack (headers, sizes, zlib streams, delta chains, bases by offset and by
/// id) rather than on index checksums; every object of the table is then sized from its header and
/// read (the bytes of each are hashed and compared with its id, so most reads end there, after all
/// the parsing).
let packFolder = FuzzDriver.scratch.appendingPathComponent("objects/pack")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPack(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let start, count > 0 else { return 0 }
  let input = UnsafeBufferPointer(start: start, count: count)
  let objectCount = Int(input[0])
  guard count >= 1 + objectCount * 24 else { return 0 }
  var table: [(id: [UInt8], offset: UInt32)] = []
  for number in 0..<objectCount {
    let entry = 1 + number * 24
    let id = Array(input[entry..<(entry + 20)])
    let offset = input[(entry + 20)..<(entry + 24)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    table.append((id, offset))
  }
  table.sort { $0.id.lexicographicallyPrecedes($1.id) }
  var index: [UInt8] = [0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]
  for first in 0..<256 {
    appendBigEndian(UInt32(table.filter { Int($0.id[0]) <= first }.count), to: &index)
  }
  for entry in table { index += entry.id }
  for _ in table { index += [0, 0, 0, 0] }  // CRC-32s: not checked by the reader
  for entry in table { appendBigEndian(entry.offset, to: &index) }
  index += [UInt8](repeating: 0, count: 40)  // the two checksums: not checked either
  try? FileManager.default.createDirectory(at: packFolder, withIntermediateDirectories: true)
  let base = packFolder.appendingPathComponent("pack-fuzz")
  guard (try? Data(index).write(to: base.appendingPathExtension("idx"))) != nil,
    (try? Data(input[(1 + objectCount * 24)...]).write(to: base.appendingPathExtension("pack"))) != nil
  else { return 0 }
  let reader = PackReader(packs: PackSet(objectsDirectory: FuzzDriver.scratch.appendingPathComponent("objects")))
  for entry in table {
    guard let id = ObjectID(hex: entry.id.map { String(format: "%02x", $0) }.joined()) else { continue }
    _ = reader.objectSize(id)
    _ = reader.object(id)
  }
  return 0
}

func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
  bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
}

@_cdecl("FuzzPack_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzPack)
}
