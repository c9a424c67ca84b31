import Foundation
import FuzzDriver
import KeelCore

@testable import KeelGit

/// The history cache decoders: the commit cache (`history-commits.bin`, read by KeelGit) when the
/// first byte is even, the scalar cache (`history-scalars.bin`, KeelCore) when it is odd. The rest
/// of the input is the file's content; it is sealed with a valid checksum before it is read (so
/// that the fuzzer reaches the decoders), unless bit 1 of the first byte is set.
let file = FuzzDriver.scratch.appendingPathComponent("cache.bin")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHistoryCache(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  // Not an empty file: Foundation's `Data(contentsOf:)` leaks a 4 KiB buffer reading one (not Keel's leak).
  guard let start, count > 1 else { return 0 }
  let content = Data(bytes: start + 1, count: count - 1)
  var writer = BinaryWriter()
  writer.append(content)
  guard (try? (start.pointee & 2 == 0 ? writer.sealedData : content).write(to: file)) != nil else { return 0 }
  defer { try? FileManager.default.removeItem(at: file) }
  if start.pointee % 2 == 0 {
    var damaged = false
    _ = HistoryCache.read(file, shallow: [], damaged: &damaged)
    if let index = HistoryCache.Index(bytes: [UInt8](content)) {
      for position in 0..<min(index.count, 64) {
        _ = try? index.id(at: position)
        _ = try? index.record(at: position)
        let lists = (try? index.listCount(at: position)) ?? 0
        for list in 0..<min(lists, 4) {
          _ = try? index.changes(at: position, list: list)
          _ = try? index.change(of: Array("specs/a.md".utf8), at: position, list: list)
        }
      }
    }
  } else {
    // The fields of the first blob the file lists (after its magic, version and count) are decoded
    // from the file; those of another blob are read from `read` (the input itself).
    var header = BinaryReader(content)
    let firstBlob = try? { () throws(BinaryReader.Truncated) -> String in
      _ = try header.readString()
      _ = try header.readUInt32()
      _ = try header.readCount()
      return try header.readID()
    }()
    let cache = ScalarCache(file: file)
    for blob in [firstBlob, String(repeating: "0", count: 40)].compactMap({ $0 }) {
      _ = cache.fields(ofBlob: blob, path: "specs/a.md") { _ in content }
    }
  }
  return 0
}

@_cdecl("FuzzHistoryCache_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzHistoryCache)
}
