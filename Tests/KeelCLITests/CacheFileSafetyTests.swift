import Foundation
import KeelTestSupport
import Testing

/// The cache files under `.git/keel` are read and written as the repository's own files are: never
/// through a symbolic link (the file's or the `keel` folder's), never larger than the bound, never
/// half (a truncated file is damaged). Whatever is there, the answer is `--no-cache`'s and nothing
/// outside the repository is read or written.
@Suite struct CacheFileSafetyTests {
  static let names = [
    "history-commits.bin", "history-scalars.bin", "history-facts.bin", "history-paths.bin", "history-renames.bin",
  ]
  static let commands: [[String]] = [
    ["history", "specs/coupons-v2.md", "--format", "json"], ["changelog", "--format", "json"],
    ["metrics", "--now", "2030-01-01", "--format", "json"],
  ]

  /// A repository whose history has a rename (so every cache file is written), the answers without
  /// a cache, a folder outside it (the caller removes it), and the folder of the cache files, filled.
  private func setUp() throws -> (TestRepository, [String], URL, URL) {
    let repository = try HistoryFixtures.makeRepository()
    try repository.git(["mv", "specs/coupons.md", "specs/coupons-v2.md"])
    try repository.write("specs/other.md", HistoryFixtures.spec("Other", "draft"))
    try repository.commitAll("Rename coupons, add another")
    let expected = try Self.commands.map { command in
      let result = try repository.keel(command + ["--no-cache"])
      #expect(result.status == 0, "\(result.stderr)")
      return result.stdout
    }
    let outside = FileManager.default.temporaryDirectory.appendingPathComponent("keel-outside-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    try fill(repository)
    return (repository, expected, outside, repository.url.appendingPathComponent(".git/keel"))
  }

  /// Fills every cache file afresh: a path walk first (no commit cache yet), then the other commands.
  private func fill(_ repository: TestRepository) throws {
    try? FileManager.default.removeItem(at: repository.url.appendingPathComponent(".git/keel"))
    try repository.keel(["history", "specs/coupons-v2.md"], environment: ["KEEL_PATH_WALK_MINIMUM": "1"])
    for command in Self.commands { try repository.keel(command) }
    for name in Self.names {
      let path = repository.url.appendingPathComponent(".git/keel/\(name)").path
      #expect(FileManager.default.fileExists(atPath: path), "\(name) written")
    }
  }

  /// Runs every command twice (the first may write the caches): each answers as `--no-cache` did,
  /// with no note of a damaged cache unless `damagedNote`.
  private func expectAnswers(
    _ repository: TestRepository, _ expected: [String], damagedNote: Bool = false, _ comment: String
  ) throws {
    for round in 0..<2 {
      for (index, command) in Self.commands.enumerated() {
        let result = try repository.keel(command)
        #expect(result.status == 0, "\(comment): \(result.stderr)")
        #expect(result.stdout == expected[index], "\(comment): \(command)")
        if !damagedNote || round == 1 {
          #expect(!result.stderr.contains("damaged"), "\(comment): \(command): \(result.stderr)")
        }
      }
    }
  }

  /// The bytes of a file with one byte flipped past its header: read, it would be reported damaged.
  private func damagedCopy(of file: URL) throws -> Data {
    var bytes = try Data(contentsOf: file)
    bytes[bytes.count / 2 + 30] ^= 0x40
    return bytes
  }

  @Test func aCacheFileThatIsASymbolicLinkIsNeitherReadNorWrittenThrough() throws {
    let (repository, expected, outside, folder) = try setUp()
    defer { try? FileManager.default.removeItem(at: outside) }
    for name in Self.names {
      let file = folder.appendingPathComponent(name)
      let target = outside.appendingPathComponent(name)
      let content = try damagedCopy(of: file)
      try content.write(to: target)
      try FileManager.default.removeItem(at: file)
      try FileManager.default.createSymbolicLink(at: file, withDestinationURL: target)
      try expectAnswers(repository, expected, "\(name) linked outside")
      #expect(try Data(contentsOf: target) == content, "\(name): nothing written through the link")
      #expect(
        (try? FileManager.default.destinationOfSymbolicLink(atPath: file.path)) == target.path,
        "\(name): the link is left alone")
      try fill(repository)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).sorted() == Self.names.sorted())
  }

  @Test func aKeelFolderThatIsASymbolicLinkIsNeitherReadNorWritten() throws {
    let (repository, expected, outside, folder) = try setUp()
    defer { try? FileManager.default.removeItem(at: outside) }
    // The caches moved outside, each damaged (read, it would be reported), and linked back.
    let moved = outside.appendingPathComponent("keel")
    try FileManager.default.moveItem(at: folder, to: moved)
    var contents: [String: Data] = [:]
    for name in Self.names {
      let file = moved.appendingPathComponent(name)
      contents[name] = try damagedCopy(of: file)
      try contents[name]!.write(to: file)
    }
    try FileManager.default.createSymbolicLink(at: folder, withDestinationURL: moved)
    try expectAnswers(repository, expected, "the keel folder linked outside")
    #expect(try FileManager.default.contentsOfDirectory(atPath: moved.path).sorted() == Self.names.sorted())
    for name in Self.names {
      #expect(try Data(contentsOf: moved.appendingPathComponent(name)) == contents[name], "\(name) untouched")
    }
  }

  /// A cache file over the bound is not read (its size decides: a sparse file of 1 GiB and a byte
  /// costs no memory), and a later run replaces it with a sound one.
  @Test func anOversizedCacheFileIsIgnored() throws {
    let (repository, expected, outside, folder) = try setUp()
    defer { try? FileManager.default.removeItem(at: outside) }
    for name in Self.names {
      let file = folder.appendingPathComponent(name)
      // Its own header and a checksum that cannot match: read, it would be reported damaged.
      let head = try Data(contentsOf: file).prefix(64)
      try head.write(to: file)
      let handle = try FileHandle(forWritingTo: file)
      try handle.truncate(atOffset: (1 << 30) + 1)
      try handle.close()
      try expectAnswers(repository, expected, "\(name) of 1 GiB")
      try fill(repository)
    }
    // A bound set lower than the files: every cache is ignored, the answers stay.
    for (index, command) in Self.commands.enumerated() {
      let result = try repository.keel(command, environment: ["KEEL_CACHE_MAX_BYTES": "16"])
      #expect(result.stdout == expected[index], "\(command) with a bound of 16 bytes")
      #expect(!result.stderr.contains("damaged"), "\(result.stderr)")
    }
  }

  @Test func aTruncatedCacheFileIsDiscardedAndRebuilt() throws {
    let (repository, expected, outside, folder) = try setUp()
    defer { try? FileManager.default.removeItem(at: outside) }
    for name in Self.names {
      let file = folder.appendingPathComponent(name)
      let bytes = try Data(contentsOf: file)
      try bytes.prefix(bytes.count / 2).write(to: file)
      try expectAnswers(repository, expected, damagedNote: true, "\(name) truncated")
      try fill(repository)
    }
  }
}
