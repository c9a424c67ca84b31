import Foundation
import KeelCore
import Testing

@testable import KeelGit

/// The rename cache answers only for exactly the inputs it was given, survives a round trip through
/// its file, and never answers from a damaged file or an entry that does not fit its inputs.
@Suite struct RenameCacheTests {
  static let added = [
    TreeChange(path: "keps/a/kep.yaml", oldBlob: nil, newBlob: String(repeating: "1", count: 40)),
    TreeChange(path: "keps/b/kep.yaml", oldBlob: nil, newBlob: String(repeating: "2", count: 40)),
  ]
  static let deleted = [
    TreeChange(path: "keps/a.md", oldBlob: String(repeating: "3", count: 40), newBlob: nil),
    TreeChange(path: "keps/b.md", oldBlob: String(repeating: "4", count: 40), newBlob: nil),
  ]
  static let found = [
    RenameDetector.Rename(source: deleted[1], destination: added[0], score: 41_000),
    RenameDetector.Rename(source: deleted[0], destination: added[1], score: 60_000),
  ]

  private func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-renames-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func roundTripAndExactInputs() throws {
    let directory = try folder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("history-renames.bin")
    let cache = RenameCache(file: file)
    #expect(cache.renames(added: Self.added, deleted: Self.deleted, minimumScore: 30_000) == nil)
    cache.remember(Self.found, added: Self.added, deleted: Self.deleted, minimumScore: 30_000)
    cache.save()
    let read = RenameCache(file: file)
    #expect(read.renames(added: Self.added, deleted: Self.deleted, minimumScore: 30_000) == Self.found)
    // Other inputs (another order, another blob, another threshold) are not answered.
    #expect(read.renames(added: Self.added.reversed(), deleted: Self.deleted, minimumScore: 30_000) == nil)
    var changed = Self.deleted
    changed[0].oldBlob = String(repeating: "5", count: 40)
    #expect(read.renames(added: Self.added, deleted: changed, minimumScore: 30_000) == nil)
    #expect(read.renames(added: Self.added, deleted: Self.deleted, minimumScore: 50_000) == nil)
    // No rename is an answer too.
    read.remember([], added: Self.added, deleted: changed, minimumScore: 30_000)
    read.save()
    #expect(RenameCache(file: file).renames(added: Self.added, deleted: changed, minimumScore: 30_000) == [])
  }

  @Test func damagedFileIsDiscarded() throws {
    let directory = try folder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("history-renames.bin")
    let cache = RenameCache(file: file)
    cache.remember(Self.found, added: Self.added, deleted: Self.deleted, minimumScore: 30_000)
    cache.save()
    var bytes = try Data(contentsOf: file)
    bytes[bytes.count - 20] ^= 0x40
    try bytes.write(to: file)
    var reported: [URL] = []
    let lock = NSLock()
    let damaged = RenameCache(file: file) { url in
      lock.lock()
      reported.append(url)
      lock.unlock()
    }
    #expect(damaged.renames(added: Self.added, deleted: Self.deleted, minimumScore: 30_000) == nil)
    #expect(reported == [file])
    #expect(!FileManager.default.fileExists(atPath: file.path))
  }

  /// An entry whose indexes point past its inputs (sealed as if it were sound) is no answer.
  @Test func entryThatDoesNotFitIsNotUsed() throws {
    let directory = try folder()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("history-renames.bin")
    let key = RenameCache.key(added: Self.added, deleted: Self.deleted, minimumScore: 30_000)
    for entries in [[(UInt32(5), UInt32(0))], [(0, 0), (1, 0)]] as [[(UInt32, UInt32)]] {
      var writer = BinaryWriter()
      writer.write(RenameCache.magic)
      writer.write(RenameCache.formatVersion)
      writer.write(count: 1)
      for word in [key.words.0, key.words.1, key.words.2, key.words.3] { writer.write(Int64(bitPattern: word)) }
      writer.write(count: entries.count)
      for (source, destination) in entries {
        writer.write(source)
        writer.write(destination)
        writer.write(UInt32(60_000))
      }
      CacheFile.write(writer, to: file)
      #expect(RenameCache(file: file).renames(added: Self.added, deleted: Self.deleted, minimumScore: 30_000) == nil)
    }
  }
}
