import CLibgit2
import Foundation
import KeelTestSupport
import Testing

@testable import KeelGit

/// The pack reader against git itself: every object of a repacked repository must read back with
/// the type and the bytes `git cat-file --batch` prints.
@Suite struct PackReaderTests {
  struct GitObject {
    var id: String
    var type: String
    var contents: Data
  }

  /// A history with long delta chains: 80 versions of a text file edited in the middle, a file over
  /// 64 KiB (delta copies of the largest size), an empty file, incompressible bytes, a renamed folder.
  private func makeHistory(_ scratch: Scratch) throws {
    try scratch.makeRepository()
    var lines = (1...400).map { "Line \($0): the requirements of the product, stated plainly.\n" }
    let large = String(repeating: "0123456789abcdef", count: 5_000)
    var random = SeededGenerator(state: 20_260_301)
    for version in 1...80 {
      lines[(version * 37) % lines.count] = "Line changed in version \(version).\n"
      lines.append("Appended in version \(version).\n")
      try scratch.write("repo/specs/prd.md", lines.joined())
      try scratch.write("repo/specs/large.txt", large + "version \(version)\n" + large)
      try scratch.write("repo/specs/team-\(version % 3)/rfc.md", "# RFC\n\nstatus: v\(version)\n")
      if version % 20 == 0 {
        let noise = (0..<3_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        try FileManager.default.createDirectory(at: scratch.url("repo/bin"), withIntermediateDirectories: true)
        try Data(noise).write(to: scratch.url("repo/bin/noise-\(version).bin"))
      }
      try scratch.write("repo/empty.txt", "")
      try scratch.git("add", "-A")
      try scratch.git("commit", "-q", "-m", "Version \(version)")
    }
  }

  /// Every object git has, with its type and contents.
  private func allObjects(_ scratch: Scratch) throws -> [GitObject] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "cat-file", "--batch-all-objects", "--batch"]
    process.currentDirectoryURL = scratch.url("repo")
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var objects: [GitObject] = []
    var position = data.startIndex
    while position < data.endIndex {
      guard let newline = data[position...].firstIndex(of: 0x0a) else { break }
      let header = String(decoding: data[position..<newline], as: UTF8.self).split(separator: " ")
      let size = Int(header[2])!
      let start = newline + 1
      objects.append(GitObject(id: String(header[0]), type: String(header[1]), contents: data[start..<start + size]))
      position = start + size + 1
    }
    return objects
  }

  private func packSet(_ scratch: Scratch) -> PackSet {
    PackSet(objectsDirectory: scratch.url("repo/.git/objects"))
  }

  private func packIndexes(_ scratch: Scratch) throws -> [URL] {
    let folder = scratch.url("repo/.git/objects/pack")
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".idx") }.sorted()
      .map { folder.appendingPathComponent($0) }
  }

  /// The longest delta chain in the repository's packs, as `git verify-pack -v` reports it.
  private func longestChain(_ scratch: Scratch) throws -> Int {
    var longest = 0
    for index in try packIndexes(scratch) {
      let report = try scratch.git("verify-pack", "-v", index.path)
      for line in report.split(separator: "\n") where line.hasPrefix("chain length = ") {
        let length = Int(line.dropFirst("chain length = ".count).prefix { $0.isNumber }) ?? 0
        longest = max(longest, length)
      }
    }
    return longest
  }

  private func expectReadsEverything(_ scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let objects = try allObjects(scratch)
    #expect(objects.count > 300, sourceLocation: sourceLocation)
    let reader = PackReader(packs: packSet(scratch))
    var mismatches: [String] = []
    // Twice: the second pass reads through the delta base cache.
    for _ in 0..<2 {
      for object in objects {
        guard let packed = reader.object(ObjectID(hex: object.id)!) else {
          mismatches.append("\(object.id): not read")
          continue
        }
        if "\(packed.kind)" != object.type || Data(packed.bytes) != object.contents {
          mismatches.append("\(object.id): \(packed.kind) of \(packed.count) bytes, git: \(object.type)")
        }
        // The size from the header alone (a delta's result size), as a snapshot asks before reading.
        let size = reader.objectSize(ObjectID(hex: object.id)!)
        if size != object.contents.count {
          mismatches.append("\(object.id): header size \(String(describing: size)), git: \(object.contents.count)")
        }
      }
    }
    let mismatchCount = mismatches.count
    #expect(mismatchCount == 0, "\(mismatches.prefix(5))", sourceLocation: sourceLocation)
    try expectBatchReadsEverything(scratch, objects: objects, sourceLocation: sourceLocation)
  }

  /// `PackBatch` on one and on four threads, with a memory budget that fits and one that does not:
  /// every object it delivers is git's, exactly once; the rest is left to the one-by-one reader,
  /// and from a pack it leaves nothing (unless the budget is too small). `Repository.readBlobs`
  /// hands every blob over once, and nothing for other objects and unknown ids.
  private func expectBatchReadsEverything(
    _ scratch: Scratch, objects: [GitObject], sourceLocation: SourceLocation
  ) throws {
    // Each object twice (one id wanted by two readers), in an order unlike the pack's.
    let wanted = (objects + objects.reversed()).map { ObjectID(hex: $0.id)! }
    let packed = !(try packIndexes(scratch).isEmpty)
    for (threads, budget) in [(1, PackBatch.memoryBudget), (4, PackBatch.memoryBudget), (4, 1_000)] {
      let lock = NSLock()
      var counts = [Int](repeating: 0, count: wanted.count)
      var wrong: [String] = []
      let leftover = PackBatch.read(wanted, packs: packSet(scratch), threads: threads, budget: budget) {
        index, object in
        let expected = objects[index < objects.count ? index : 2 * objects.count - 1 - index]
        lock.lock()
        counts[index] += 1
        if "\(object.kind)" != expected.type || Data(object.bytes) != expected.contents { wrong.append(expected.id) }
        lock.unlock()
        return true
      }
      let left = Set(leftover)
      let badCounts = counts.indices.filter { counts[$0] != (left.contains($0) ? 0 : 1) }
      #expect(wrong.isEmpty, "\(threads) threads: \(wrong.prefix(5))", sourceLocation: sourceLocation)
      #expect(badCounts.isEmpty, "\(threads) threads: \(badCounts.prefix(5))", sourceLocation: sourceLocation)
      if packed && budget == PackBatch.memoryBudget {
        #expect(leftover.isEmpty, "\(threads) threads: \(leftover.count) left", sourceLocation: sourceLocation)
      }
      if budget < PackBatch.memoryBudget {
        #expect(packed ? !leftover.isEmpty : leftover.count == wanted.count, sourceLocation: sourceLocation)
      }
    }
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let hexes = objects.map(\.id) + ["0123456789012345678901234567890123456789", "not an id"]
    let lock = NSLock()
    var seen = [Int](repeating: 0, count: hexes.count)
    var wrong: [String] = []
    repository.readBlobs(hexIDs: hexes) { index, data in
      lock.lock()
      defer { lock.unlock() }
      seen[index] += 1
      let expected = index < objects.count && objects[index].type == "blob" ? objects[index].contents : nil
      if data != expected { wrong.append(hexes[index]) }
    }
    #expect(seen.allSatisfy { $0 == 1 }, sourceLocation: sourceLocation)
    #expect(wrong.isEmpty, "\(wrong.prefix(5))", sourceLocation: sourceLocation)
  }

  @Test func readsEveryObjectThroughLongDeltaChains() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    try scratch.git("-c", "pack.threads=1", "repack", "-adfq", "--depth=60", "--window=100")
    #expect(try packIndexes(scratch).count == 1)
    #expect(try longestChain(scratch) >= 20)
    try expectReadsEverything(scratch)
  }

  @Test func readsDeltasNamingTheirBaseByID() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    try scratch.git(
      "-c", "repack.useDeltaBaseOffset=false", "-c", "pack.threads=1", "repack", "-adfq", "--depth=60", "--window=100")
    #expect(try longestChain(scratch) >= 20)
    try expectReadsEverything(scratch)
  }

  @Test func readsOffsetsFromThe64BitTable() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    try scratch.git("repack", "-adfq")
    let index = try #require(try packIndexes(scratch).first)
    let pack = index.deletingPathExtension().appendingPathExtension("pack")
    try FileManager.default.removeItem(at: index)
    // Every offset past the first object (at 12, after the pack header) goes to the 64-bit table.
    try scratch.git("index-pack", "--index-version=2,12", pack.path)
    try expectReadsEverything(scratch)
  }

  @Test func readsObjectsSpreadOverSeveralPacks() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    try scratch.git("repack", "-adq")
    try scratch.write("repo/specs/prd.md", "Rewritten.\n")
    try scratch.git("commit", "-qam", "Rewrite")
    try scratch.git("repack", "-dq")
    #expect(try packIndexes(scratch).count == 2)
    try expectReadsEverything(scratch)
  }

  @Test func readsLooseObjects() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    #expect(try packIndexes(scratch).isEmpty, "nothing packed: every object is loose")
    try expectReadsEverything(scratch)
  }

  @Test func damagedLooseObjectsGiveNothing() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let hex = try scratch.git("rev-parse", "HEAD:docs/a.md")
    let blob = try #require(ObjectID(hex: hex))
    let file = scratch.url("repo/.git/objects/\(hex.prefix(2))/\(hex.dropFirst(2))")
    let original = try Data(contentsOf: file)
    for damaged in [original.prefix(original.count - 3), original + Data([0x78, 0x9c]), Data(count: original.count)] {
      try FileManager.default.removeItem(at: file)
      try damaged.write(to: file)
      #expect(PackReader(packs: packSet(scratch)).object(blob) == nil)
    }
    // libgit2 then reads it, and reports the damage.
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(throws: GitError.self) { try repository.readBlob(blob, path: "docs/a.md") }
  }

  /// A FIFO where a pack index or a loose object should be must not hang the reader on `open`.
  @Test(.timeLimit(.minutes(1))) func fifosInTheObjectStoreAreSkipped() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let hex = try scratch.git("rev-parse", "HEAD:docs/a.md")
    let blob = try #require(ObjectID(hex: hex))
    let loose = scratch.url("repo/.git/objects/\(hex.prefix(2))/\(hex.dropFirst(2))")
    try FileManager.default.removeItem(at: loose)
    let packFolder = scratch.url("repo/.git/objects/pack")
    try FileManager.default.createDirectory(at: packFolder, withIntermediateDirectories: true)
    for fifo in [
      loose, packFolder.appendingPathComponent("pack-0.idx"), packFolder.appendingPathComponent("pack-0.pack"),
    ] {
      #expect(mkfifo(fifo.path, 0o644) == 0)
    }
    let packs = packSet(scratch)
    #expect(packs.packs.isEmpty)
    #expect(PackReader(packs: packs).object(blob) == nil)
  }

  @Test func leavesOldIndexVersionsToLibgit2() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let blob = try #require(ObjectID(hex: try scratch.git("rev-parse", "HEAD:docs/a.md")))
    // A version-1 index is not read here; the repository still reads the blob through libgit2.
    try scratch.git("repack", "-adq")
    let index = try #require(try packIndexes(scratch).first)
    let pack = index.deletingPathExtension().appendingPathExtension("pack")
    try FileManager.default.removeItem(at: index)
    try scratch.git("index-pack", "--index-version=1", pack.path)
    #expect(packSet(scratch).packs.isEmpty)
    #expect(PackReader(packs: packSet(scratch)).object(blob) == nil)
    let repository = try Repository.discover(from: scratch.url("repo").path)
    #expect(try repository.readBlob(blob, path: "docs/a.md").text == "two\n")
  }

  @Test func damagedPacksGiveNothingRatherThanWrongBytes() throws {
    let scratch = try Scratch()
    try makeHistory(scratch)
    try scratch.git("repack", "-adfq", "--depth=60")
    let objects = try allObjects(scratch)
    let index = try #require(try packIndexes(scratch).first)
    let packURL = index.deletingPathExtension().appendingPathExtension("pack")
    let original = try Data(contentsOf: packURL)
    let damages: [(String, Data)] = [
      ("truncated", original.prefix(original.count / 2)),
      (
        "overwritten",
        {
          var bytes = original
          let middle = bytes.count / 2
          bytes.replaceSubrange(middle..<middle + 64, with: Data(repeating: 0xff, count: 64))
          return bytes
        }()
      ),
      (
        "zeroed",
        {
          var bytes = original
          let start = bytes.count / 3
          bytes.replaceSubrange(start..<start + 4_096, with: Data(count: 4_096))
          return bytes
        }()
      ),
    ]
    for (name, damaged) in damages {
      try FileManager.default.removeItem(at: packURL)
      try damaged.write(to: packURL)
      let reader = PackReader(packs: packSet(scratch))
      var read = 0
      for object in objects {
        guard let packed = reader.object(ObjectID(hex: object.id)!) else { continue }
        read += 1
        #expect(Data(packed.bytes) == object.contents, "\(name): \(object.id) read wrong")
      }
      // Some objects sit before the damage and still read.
      #expect(read > 0, "\(name)")
      #expect(read < objects.count * 2, "\(name)")
    }
  }
}

extension PackReaderTests {
  /// An index that names the wrong object for an id (two offsets swapped) is caught by hashing what
  /// was read: the reader gives nothing, and libgit2, which then reads the object, reports the damage.
  @Test func anIndexPointingAnIdAtAnotherObjectIsCaught() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    try scratch.git("repack", "-adq")
    let first = try scratch.git("rev-parse", "HEAD:docs/a.md")
    let second = try scratch.git("rev-parse", "HEAD^{tree}")
    let indexURL = try #require(try packIndexes(scratch).first)
    var index = try Data(contentsOf: indexURL)
    let count =
      Int(index[8 + 255 * 4]) << 24 | Int(index[8 + 255 * 4 + 1]) << 16 | Int(index[8 + 255 * 4 + 2]) << 8
      | Int(index[8 + 255 * 4 + 3])
    let ids = (0..<count).map { position -> String in
      let start = 8 + 256 * 4 + position * 20
      return index[start..<start + 20].map { String(format: "%02x", $0) }.joined()
    }
    let offsetsStart = 8 + 256 * 4 + count * 24
    let positions = try [first, second].map { id in try #require(ids.firstIndex(of: id)) }
    let slots = positions.map { offsetsStart + $0 * 4 }
    let a = index[slots[0]..<slots[0] + 4]
    let b = index[slots[1]..<slots[1] + 4]
    index.replaceSubrange(slots[0]..<slots[0] + 4, with: b)
    index.replaceSubrange(slots[1]..<slots[1] + 4, with: a)
    try FileManager.default.removeItem(at: indexURL)
    try index.write(to: indexURL)
    let reader = PackReader(packs: packSet(scratch))
    #expect(reader.object(ObjectID(hex: first)!) == nil)
    #expect(reader.object(ObjectID(hex: second)!) == nil)
    let repository = try Repository.discover(from: scratch.url("repo").path)
    let error = #expect(throws: GitError.self) { try repository.readBlob(ObjectID(hex: first)!, path: "docs/a.md") }
    #expect(error?.description.contains("hash") == true, "\(String(describing: error))")
  }

  /// The object ids KeelGit computes are git's, for every size around the SHA-1 block boundaries.
  @Test func objectHashIsGitsObjectID() throws {
    var random = SeededGenerator(state: 1_105)
    let sizes = Array(0...200) + [1_000, 4_095, 4_096, 65_537, 200_003]
    for size in sizes {
      let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
      for (kind, type) in [
        (PackedObject.Kind.blob, GIT_OBJECT_BLOB), (.tree, GIT_OBJECT_TREE), (.commit, GIT_OBJECT_COMMIT),
      ] {
        var expected = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&expected, $0.baseAddress, size, type) }
        let ours = bytes.withUnsafeBytes { ObjectHash.id(kind: kind, content: $0) }
        #expect(ours == ObjectID(expected), "\(kind) of \(size) bytes")
      }
    }
  }

  /// With `KEEL_GIT_READER=libgit2` KeelGit reads no object itself; any other value is refused.
  @Test func libgit2ReaderReadsEverything() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    let blob = try #require(ObjectID(hex: try scratch.git("rev-parse", "HEAD:docs/a.md")))
    let repository = try Repository(path: scratch.url("repo").path, environment: ["KEEL_GIT_READER": "libgit2"])
    #expect(repository.withLock { repository.packReader.object(blob) } == nil)
    #expect(try repository.readBlob(blob, path: "docs/a.md").text == "two\n")
    let own = try Repository(path: scratch.url("repo").path, environment: ["KEEL_GIT_READER": "keel"])
    #expect(own.withLock { own.packReader.object(blob) } != nil)
    #expect(throws: GitError.self) {
      try Repository(path: scratch.url("repo").path, environment: ["KEEL_GIT_READER": "git"])
    }
  }
}

extension PackReaderTests {
  /// Random damage anywhere in the pack or its index (headers, sizes, offsets, delta instructions):
  /// the reader must neither crash nor hang, and what it reads from a damaged pack must be git's bytes.
  @Test func randomDamageNeverCrashesOrReadsWrongBytes() throws {
    let scratch = try Scratch()
    try scratch.makeRepository()
    for version in 1...30 {
      try scratch.write("repo/spec.md", (1...60).map { "line \($0) of version \(version)\n" }.joined())
      try scratch.git("add", "-A")
      try scratch.git("commit", "-qm", "v\(version)")
    }
    try scratch.git("-c", "pack.threads=1", "repack", "-adfq", "--depth=50")
    let objects = try allObjects(scratch)
    let index = try #require(
      try FileManager.default.contentsOfDirectory(atPath: scratch.url("repo/.git/objects/pack").path)
        .first { $0.hasSuffix(".idx") })
    let indexURL = scratch.url("repo/.git/objects/pack/\(index)")
    let packURL = indexURL.deletingPathExtension().appendingPathExtension("pack")
    let originals = [indexURL: try Data(contentsOf: indexURL), packURL: try Data(contentsOf: packURL)]
    var random = SeededGenerator(state: 20_261_121)
    var wrong: [String] = []
    for round in 0..<60 {
      let target = round % 3 == 0 ? indexURL : packURL
      var bytes = originals[target]!
      for _ in 0..<(1 + round % 4) {
        let position = Int.random(in: 0..<bytes.count, using: &random)
        bytes[position] = UInt8.random(in: 0...255, using: &random)
      }
      try FileManager.default.removeItem(at: target)
      try bytes.write(to: target)
      let reader = PackReader(packs: PackSet(objectsDirectory: scratch.url("repo/.git/objects")))
      for object in objects {
        guard let packed = reader.object(ObjectID(hex: object.id)!) else { continue }
        // A damaged index can point an id at another object: the object's hash catches it; in the
        // pack, zlib's checksum, the size checks and the hash catch the damage.
        if "\(packed.kind)" != object.type || Data(packed.bytes) != object.contents {
          wrong.append("round \(round): \(object.id)")
        }
      }
      // The batch reader, on two threads, delivers only git's bytes too.
      let lock = NSLock()
      _ = PackBatch.read(
        objects.map { ObjectID(hex: $0.id)! }, packs: PackSet(objectsDirectory: scratch.url("repo/.git/objects")),
        threads: 2
      ) { index, packed in
        if "\(packed.kind)" != objects[index].type || Data(packed.bytes) != objects[index].contents {
          lock.lock()
          wrong.append("round \(round), batch: \(objects[index].id)")
          lock.unlock()
        }
        return true
      }
      try FileManager.default.removeItem(at: target)
      try originals[target]!.write(to: target)
    }
    let wrongCount = wrong.count
    #expect(wrongCount == 0, "\(wrong.prefix(5))")
  }
}

@Suite struct DeltaTests {
  private func object(_ bytes: [UInt8]) -> PackedObject {
    let object = PackedObject(kind: .blob, count: bytes.count)
    bytes.withUnsafeBytes { object.storage.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    return object
  }

  private func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8]? {
    delta.withUnsafeBytes { Delta.apply($0, to: object(base)) }.map { Array($0.bytes) }
  }

  let base = Array("Hello, product operations!".utf8)

  @Test func copiesAndInserts() {
    // base size 26, result size 12; copy 5 bytes from 0; insert " ops!" ... (5 bytes); copy 2 from 5.
    let delta: [UInt8] = [26, 12, 0x90, 5, 5] + Array(" ops!".utf8) + [0x91, 5, 2]
    #expect(apply(delta, to: base).map { String(decoding: $0, as: UTF8.self) } == "Hello ops!, ")
  }

  @Test func aCopyOfSizeZeroMeans65536Bytes() {
    let large = [UInt8](repeating: 7, count: 70_000)
    // sizes as base-128: 70000 = 0xF0 0xA2 0x04; 65536 = 0x80 0x80 0x04.
    let delta: [UInt8] = [0xF0, 0xA2, 0x04, 0x80, 0x80, 0x04, 0x80]
    #expect(apply(delta, to: large)?.count == 65_536)
  }

  @Test func rejectsMalformedDeltas() {
    #expect(apply([25, 5, 0x90, 5], to: base) == nil, "wrong base size")
    #expect(apply([26, 5, 0x91, 24, 5], to: base) == nil, "copy past the end of the base")
    #expect(apply([26, 5, 0], to: base) == nil, "reserved opcode")
    #expect(apply([26, 6, 0x90, 5], to: base) == nil, "result shorter than announced")
    #expect(apply([26, 2, 5, 0x61], to: base) == nil, "insert longer than the delta")
    #expect(apply([26], to: base) == nil, "no result size")
  }
}
