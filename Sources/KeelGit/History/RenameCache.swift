import Crypto
import Foundation
import KeelCore

/// What rename detection found, kept between runs in `<git-common-dir>/keel/history-renames.bin`:
/// for each set of compared files (the additions and deletions `RenameDetector.renames` was given, in
/// order, paths and blob ids, keyed by their SHA-256), the renames it found. The inputs name every
/// byte compared, so an entry never goes stale and never answers for other inputs; a warm history
/// reads no blob and looks up no pair score to find a commit's renames, even when the commit moved
/// hundreds of files (the pair scores in the scalar cache are only needed the first time).
///
/// Sealed and replaced like the other caches (`CacheFile`): a damaged file is discarded (and
/// reported), never read; an entry whose indexes do not fit its inputs is not used.
public final class RenameCache: RenameResults, @unchecked Sendable {
  static let magic = "keel-history-renames"
  static let formatVersion: UInt32 = 1

  /// A SHA-256 digest of the inputs.
  struct Key: Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64)

    static func == (left: Key, right: Key) -> Bool { left.words == right.words }

    func hash(into hasher: inout Hasher) { hasher.combine(words.0) }
  }

  /// One rename: indexes into the deletions and the additions, and the score.
  struct Found {
    var source: UInt32
    var destination: UInt32
    var score: UInt32
  }

  private let file: URL?
  private let lock = NSLock()
  private var entries: [Key: [Found]] = [:]
  private var unsaved = 0

  /// - Parameters:
  ///   - file: where the cache is kept; nil keeps it in memory only.
  ///   - damaged: called with `file` when it is damaged (it is then removed, and rebuilt by `save`).
  public init(file: URL?, damaged: ((URL) -> Void)? = nil) {
    self.file = file
    guard let file,
      let (_, entries) = CacheFile.read(
        file, magic: Self.magic, version: Self.formatVersion, damaged: damaged, decode: Self.decode)
    else { return }
    self.entries = entries
  }

  /// The cache of `repository` (next to the commit cache); nil `repository`: in memory only.
  public convenience init(repository: Repository?, damaged: ((URL) -> Void)? = nil) {
    self.init(file: repository.map(Self.file(in:)), damaged: damaged)
  }

  static func file(in repository: Repository) -> URL {
    HistoryCache.directory(in: repository).appendingPathComponent("history-renames.bin")
  }

  private static func decode(_ data: [UInt8]) -> [Key: [Found]]? {
    var reader = BinaryReader(bytes: data)
    do {
      guard try reader.readString() == magic, try reader.readUInt32() == formatVersion else { return nil }
      let count = try reader.readCount()
      var entries: [Key: [Found]] = [:]
      entries.reserveCapacity(min(count, data.count / 36))
      for _ in 0..<count {
        let key = Key(
          words: (
            UInt64(bitPattern: try reader.readInt64()), UInt64(bitPattern: try reader.readInt64()),
            UInt64(bitPattern: try reader.readInt64()), UInt64(bitPattern: try reader.readInt64())
          ))
        let foundCount = try reader.readCount()
        var found: [Found] = []
        found.reserveCapacity(min(foundCount, data.count / 12))
        for _ in 0..<foundCount {
          found.append(
            Found(source: try reader.readUInt32(), destination: try reader.readUInt32(), score: try reader.readUInt32())
          )
        }
        entries[key] = found
      }
      return reader.isAtEnd ? entries : nil
    } catch {
      return nil
    }
  }

  /// The digest of what rename detection compares: every path and blob id, in order, and the threshold.
  static func key(added: [TreeChange], deleted: [TreeChange], minimumScore: Int) -> Key {
    var hasher = SHA256()
    func update(_ value: UInt32) {
      withUnsafeBytes(of: value.littleEndian) { hasher.update(bufferPointer: $0) }
    }
    func update(_ text: String?) {
      guard let text else { return update(UInt32.max) }
      update(UInt32(text.utf8.count))
      hasher.update(data: Array(text.utf8))
    }
    update(UInt32(truncatingIfNeeded: minimumScore))
    for list in [added, deleted] {
      update(UInt32(list.count))
      for change in list {
        update(change.path)
        update(change.oldBlob)
        update(change.newBlob)
      }
    }
    let digest = Array(hasher.finalize())
    func word(_ index: Int) -> UInt64 {
      (0..<8).reduce(UInt64(0)) { $0 | UInt64(digest[index * 8 + $1]) << (8 * UInt64($1)) }
    }
    return Key(words: (word(0), word(1), word(2), word(3)))
  }

  public func renames(added: [TreeChange], deleted: [TreeChange], minimumScore: Int) -> [RenameDetector.Rename]? {
    let key = Self.key(added: added, deleted: deleted, minimumScore: minimumScore)
    lock.lock()
    let found = entries[key]
    lock.unlock()
    guard let found else { return nil }
    var renames: [RenameDetector.Rename] = []
    var sources = Set<UInt32>()
    var destinations = Set<UInt32>()
    for item in found {
      // Indexes that do not fit the inputs (a damaged entry that kept its checksum): not an answer.
      guard item.source < deleted.count, item.destination < added.count, item.score <= RenameDetector.maximumScore,
        sources.insert(item.source).inserted, destinations.insert(item.destination).inserted
      else { return nil }
      renames.append(
        RenameDetector.Rename(
          source: deleted[Int(item.source)], destination: added[Int(item.destination)], score: Int(item.score)))
    }
    return renames
  }

  public func remember(
    _ renames: [RenameDetector.Rename], added: [TreeChange], deleted: [TreeChange], minimumScore: Int
  ) {
    // Each rename by its position among the inputs (paths are unique within each list).
    let sourceIndex = Dictionary(deleted.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
    let destinationIndex = Dictionary(added.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
    var found: [Found] = []
    for rename in renames {
      guard let source = sourceIndex[rename.source.path], let destination = destinationIndex[rename.destination.path]
      else { return }
      found.append(Found(source: UInt32(source), destination: UInt32(destination), score: UInt32(rename.score)))
    }
    let key = Self.key(added: added, deleted: deleted, minimumScore: minimumScore)
    lock.lock()
    if entries.updateValue(found, forKey: key) == nil { unsaved += 1 }
    lock.unlock()
  }

  /// Writes the cache back when something was added (atomically; failures are ignored).
  public func save() {
    lock.lock()
    defer { lock.unlock() }
    guard let file, unsaved > 0 else { return }
    var writer = BinaryWriter()
    writer.write(Self.magic)
    writer.write(Self.formatVersion)
    writer.write(count: entries.count)
    for (key, found) in entries {
      for word in [key.words.0, key.words.1, key.words.2, key.words.3] { writer.write(Int64(bitPattern: word)) }
      writer.write(count: found.count)
      for item in found {
        writer.write(item.source)
        writer.write(item.destination)
        writer.write(item.score)
      }
    }
    CacheFile.write(writer, to: file)
    unsaved = 0
  }
}
