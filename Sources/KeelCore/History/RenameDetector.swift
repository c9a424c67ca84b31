import Foundation

/// Finds renames among the files a commit added and deleted, the way `git log --follow` and
/// `git diff -M` judge them: identical blobs first, then content similarity of at least 50%.
///
/// Similarity follows git's idea: both files are cut into chunks (a line, or 64 bytes when a line
/// is longer; a `\r` before `\n` is ignored in text), and the score is the number of bytes of the
/// source whose chunks reappear in the destination, over the size of the larger file.
/// Similarity scores remembered between runs (a pair of blobs always has the same score), so that
/// a warm run reads no blob to find renames. `ScalarCache` keeps them in its file.
public protocol RenameScores: AnyObject, Sendable {
  /// The score of `source` → `destination` (blob ids) when known.
  func score(_ source: String, _ destination: String) -> Int?
  func remember(_ source: String, _ destination: String, score: Int)
}

/// What `RenameDetector.renames` found for exactly these additions and deletions (in this order),
/// remembered between runs: a warm run then neither reads a blob nor looks up a pair's score, even
/// for a commit that moves hundreds of files. `KeelGit.RenameCache` keeps them under `.git/keel`.
public protocol RenameResults: AnyObject, Sendable {
  /// The renames found earlier among these inputs; nil when they were never compared.
  func renames(added: [TreeChange], deleted: [TreeChange], minimumScore: Int) -> [RenameDetector.Rename]?
  func remember(_ renames: [RenameDetector.Rename], added: [TreeChange], deleted: [TreeChange], minimumScore: Int)
}

public enum RenameDetector {
  /// Git's scale: 60000 is identical; the default threshold is half of it.
  public static let maximumScore = 60_000
  public static let defaultMinimumScore = 30_000

  /// One rename: the deleted source and the added destination.
  public struct Rename: Sendable, Hashable {
    public var source: TreeChange
    public var destination: TreeChange
    public var score: Int

    public init(source: TreeChange, destination: TreeChange, score: Int) {
      self.source = source
      self.destination = destination
      self.score = score
    }
  }

  /// The similarity score (0…60000) of two contents.
  public static func score(_ source: Data, _ destination: Data) -> Int {
    if let bound = sizeScore(source.count, destination.count) { return bound }
    return score(chunks(source), chunks(destination), larger: max(source.count, destination.count))
  }

  /// The score sizes alone decide: identical for two empty files, 0 when a size difference this
  /// large cannot reach the threshold (git skips such pairs too); nil when the contents decide.
  static func sizeScore(_ sourceSize: Int, _ destinationSize: Int) -> Int? {
    let larger = max(sourceSize, destinationSize)
    let smaller = min(sourceSize, destinationSize)
    guard larger > 0 else { return maximumScore }
    if larger * (maximumScore - defaultMinimumScore) < (larger - smaller) * maximumScore { return 0 }
    return nil
  }

  /// The score of two contents' chunks (`chunks`), `larger` the larger size.
  static func score(_ sourceChunks: [UInt64: Int], _ destinationChunks: [UInt64: Int], larger: Int) -> Int {
    var copied = 0
    for (hash, count) in sourceChunks {
      if let other = destinationChunks[hash] { copied += min(count, other) }
    }
    return copied * maximumScore / larger
  }

  /// Chunk hash → number of bytes in chunks with that hash.
  static func chunks(_ data: Data) -> [UInt64: Int] {
    let isText = !data.prefix(8000).contains(0)
    var result: [UInt64: Int] = [:]
    data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      var hash = StableHash()
      var length = 0
      var index = 0
      let count = buffer.count
      while index < count {
        let byte = buffer[index]
        index += 1
        if isText && byte == 0x0d && index < count && buffer[index] == 0x0a { continue }
        hash.combine(CollectionOfOne(byte))
        length += 1
        if byte == 0x0a || length == 64 {
          result[hash.value, default: 0] += length
          hash = StableHash()
          length = 0
        }
      }
      if length > 0 { result[hash.value, default: 0] += length }
    }
    return result
  }

  /// For each added file, the deleted file it was most likely renamed from (exact matches win,
  /// then the highest score ≥ `minimumScore`; ties go to the first source by path). Each source is
  /// used at most once; the best-scoring pairs are taken first.
  ///
  /// - Parameters:
  ///   - read: reads a blob's bytes; a blob that cannot be read is never a rename.
  ///   - scores: scores known from earlier runs, and where new ones are remembered.
  ///   - results: whole results known from earlier runs (then nothing is read or scored), and
  ///     where this one is remembered.
  public static func renames(
    added: [TreeChange], deleted: [TreeChange], minimumScore: Int = defaultMinimumScore,
    read: (String) throws -> Data, scores: RenameScores? = nil, results: RenameResults? = nil
  ) -> [Rename] {
    if let known = results?.renames(added: added, deleted: deleted, minimumScore: minimumScore) { return known }
    let found = detect(added: added, deleted: deleted, minimumScore: minimumScore, read: read, scores: scores)
    results?.remember(found, added: added, deleted: deleted, minimumScore: minimumScore)
    return found
  }

  private static func detect(
    added: [TreeChange], deleted: [TreeChange], minimumScore: Int, read: (String) throws -> Data,
    scores: RenameScores?
  ) -> [Rename] {
    let additions = added.filter { $0.newBlob != nil }
    let deletions = deleted.filter { $0.oldBlob != nil }
    guard !additions.isEmpty, !deletions.isEmpty else { return [] }
    var result: [Rename] = []
    var usedSources = Set<String>()
    var usedDestinations = Set<String>()
    // Identical content first.
    var deletedByBlob: [String: [TreeChange]] = [:]
    for deletion in deletions { deletedByBlob[deletion.oldBlob!, default: []].append(deletion) }
    for addition in additions {
      guard let source = deletedByBlob[addition.newBlob!]?.first(where: { !usedSources.contains($0.path) }) else {
        continue
      }
      usedSources.insert(source.path)
      usedDestinations.insert(addition.path)
      result.append(Rename(source: source, destination: addition, score: maximumScore))
    }
    // Then similar content: each blob read and cut into chunks once (a commit that moves hundreds
    // of files compares every pair).
    var contents: [String: Data?] = [:]
    func content(_ blob: String) -> Data? {
      if let cached = contents[blob] { return cached }
      let data = try? read(blob)
      contents[blob] = data
      return data
    }
    var candidates: [Rename] = []
    func consider(_ deletion: TreeChange, _ addition: TreeChange, score: Int) {
      if score >= minimumScore { candidates.append(Rename(source: deletion, destination: addition, score: score)) }
    }
    // The pairs no earlier run scored whose sizes do not decide, by addition: their chunks are compared
    // through an index of the deletions' chunks, so that a chunk shared by no pair costs nothing.
    var compared: [(addition: Int, deletions: [Int])] = []
    for (additionIndex, addition) in additions.enumerated() where !usedDestinations.contains(addition.path) {
      var deletionIndexes: [Int] = []
      for (deletionIndex, deletion) in deletions.enumerated() where !usedSources.contains(deletion.path) {
        let source = deletion.oldBlob!
        let destination = addition.newBlob!
        if let known = scores?.score(source, destination) {
          consider(deletion, addition, score: known)
          continue
        }
        guard let new = content(destination), let old = content(source) else { continue }
        if let bound = sizeScore(old.count, new.count) {
          scores?.remember(source, destination, score: bound)
          consider(deletion, addition, score: bound)
        } else {
          deletionIndexes.append(deletionIndex)
        }
      }
      if !deletionIndexes.isEmpty { compared.append((additionIndex, deletionIndexes)) }
    }
    guard !compared.isEmpty else { return sorted(result, candidates) }
    // Chunk hash → the deletions that have it, with their bytes in chunks with that hash.
    var sources = Set<Int>()
    for (_, deletionIndexes) in compared { sources.formUnion(deletionIndexes) }
    var postings: [UInt64: [(deletion: Int, bytes: Int)]] = [:]
    for deletionIndex in sources.sorted() {
      for (hash, bytes) in chunks(content(deletions[deletionIndex].oldBlob!)!) {
        postings[hash, default: []].append((deletionIndex, bytes))
      }
    }
    // Bytes copied from each deletion: the sum over shared chunks of the smaller count (`score`).
    var copied = [Int](repeating: 0, count: deletions.count)
    for (additionIndex, deletionIndexes) in compared {
      let addition = additions[additionIndex]
      let new = content(addition.newBlob!)!
      let newChunks = chunks(new)
      for (hash, bytes) in newChunks {
        for posting in postings[hash] ?? [] { copied[posting.deletion] += min(bytes, posting.bytes) }
      }
      for deletionIndex in deletionIndexes {
        let deletion = deletions[deletionIndex]
        let larger = max(content(deletion.oldBlob!)!.count, new.count)
        let score = copied[deletionIndex] * maximumScore / larger
        scores?.remember(deletion.oldBlob!, addition.newBlob!, score: score)
        consider(deletion, addition, score: score)
      }
      for hash in newChunks.keys {
        for posting in postings[hash] ?? [] { copied[posting.deletion] = 0 }
      }
    }
    return sorted(result, candidates)
  }

  /// The exact renames, then the best-scoring candidates that use neither a source nor a
  /// destination already taken, by destination path.
  private static func sorted(_ exact: [Rename], _ candidates: [Rename]) -> [Rename] {
    var result = exact
    var usedSources = Set(exact.map(\.source.path))
    var usedDestinations = Set(exact.map(\.destination.path))
    var candidates = candidates
    candidates.sort {
      ($0.score, $1.destination.path, $1.source.path) > ($1.score, $0.destination.path, $0.source.path)
    }
    for candidate in candidates
    where !usedSources.contains(candidate.source.path) && !usedDestinations.contains(candidate.destination.path) {
      usedSources.insert(candidate.source.path)
      usedDestinations.insert(candidate.destination.path)
      result.append(candidate)
    }
    return result.sorted { $0.destination.path < $1.destination.path }
  }

  /// The file `path` was renamed from in a commit with these changes (against one parent), if `path`
  /// was added there and a deleted file is similar enough: what `git log --follow` switches to.
  public static func source(
    of path: String, in changes: [TreeChange], minimumScore: Int = defaultMinimumScore,
    read: (String) throws -> Data
  ) -> TreeChange? {
    guard let addition = changes.first(where: { $0.path == path && $0.isAddition }), let blob = addition.newBlob
    else { return nil }
    let deletions = changes.filter { $0.isDeletion }
    guard !deletions.isEmpty else { return nil }
    if let exact = deletions.first(where: { $0.oldBlob == blob }) { return exact }
    guard let new = try? read(blob) else { return nil }
    var best: (TreeChange, Int)?
    for deletion in deletions {
      guard let old = try? read(deletion.oldBlob!) else { continue }
      let score = score(old, new)
      if score >= minimumScore && score > (best?.1 ?? -1) { best = (deletion, score) }
    }
    return best?.0
  }
}
