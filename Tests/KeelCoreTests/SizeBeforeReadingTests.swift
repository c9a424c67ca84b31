import Foundation
import Testing

@testable import KeelCore

/// Issue 13, row 4: a file's size is decided before it is read. A snapshot
/// that counts reads shows that a document, a RACI file or a schema over the
/// limit is never read, only measured.
@Suite struct SizeBeforeReadingTests {
  /// A snapshot whose files claim a size (as `stat` or a blob header would)
  /// and that records every path whose content is read.
  final class MeasuredSnapshot: Snapshot, @unchecked Sendable {
    let files: [String: Data]
    let claimedSizes: [String: Int]
    private let lock = NSLock()
    private var readPaths: [String] = []

    init(files: [String: String], claimedSizes: [String: Int]) {
      self.files = files.mapValues { Data($0.utf8) }
      self.claimedSizes = claimedSizes
    }

    var label: String { "measured" }
    var revision: String? { nil }
    var supportsConcurrentReads: Bool { true }
    var reads: [String] {
      lock.lock()
      defer { lock.unlock() }
      return readPaths
    }

    func paths() throws -> [String] { Array(Set(files.keys).union(claimedSizes.keys)).sorted() }
    func read(_ path: String) throws -> Data {
      lock.lock()
      readPaths.append(path)
      lock.unlock()
      guard let data = files[path] else { throw KeelError("no such file: \(path)") }
      return data
    }
    func blobID(_ path: String) -> String? { nil }
    func byteCount(_ path: String) -> Int? { claimedSizes[path] ?? files[path]?.count }
  }

  static let config = """
    version: 1
    raci: ["raci/*.yaml"]
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.yaml
    """

  @Test func documentsOverTheLimitAreMeasuredNotRead() throws {
    let eightGigabytes = 8 << 30
    let snapshot = MeasuredSnapshot(
      files: [
        "keel.yaml": Self.config, "schemas/prd.yaml": "type: object\n", "specs/ok.md": "---\ntitle: T\n---\n# T\n",
      ],
      claimedSizes: ["specs/huge.md": eightGigabytes, "raci/huge.yaml": 1 << 40])
    let diagnostics = try Checker(snapshot: snapshot).run().diagnostics
    let tooLarge = diagnostics.filter { $0.rule == "parse/too-large" }
    #expect(tooLarge.map(\.path).sorted() == ["raci/huge.yaml", "specs/huge.md"])
    #expect(tooLarge.first { $0.path == "specs/huge.md" }?.message.contains("\(eightGigabytes) bytes") == true)
    #expect(!snapshot.reads.contains("specs/huge.md"))
    #expect(!snapshot.reads.contains("raci/huge.yaml"))
    #expect(snapshot.reads.contains("specs/ok.md"))
  }

  @Test func keelFilesOverTheLimitAreMeasuredNotRead() throws {
    let huge = MeasuredSnapshot(files: [:], claimedSizes: ["keel.yaml": 8 << 30])
    let error = try #require(throws: KeelError.self) { try Checker(snapshot: huge).run() }
    #expect(error.message.contains("\(8 << 30) bytes, over the limit"))
    #expect(huge.reads.isEmpty)

    let snapshot = MeasuredSnapshot(
      files: [
        "keel.yaml":
          "version: 1\nglossary: glossary.yaml\npeople: people.yaml\nkinds:\n  prd:\n    include: [\"specs/*.md\"]\n"
      ],
      claimedSizes: ["glossary.yaml": 1 << 40, "people.yaml": 1 << 40])
    let diagnostics = try Checker(snapshot: snapshot).run().diagnostics
    #expect(diagnostics.filter { $0.message.contains("\(1 << 40) bytes, over the limit") }.count == 2)
    #expect(snapshot.reads == ["keel.yaml"])
  }

  @Test func aSnapshotWithoutSizesStillRefusesAfterReading() throws {
    let snapshot = MemorySnapshot(texts: ["a.md": String(repeating: "x", count: 100)])
    #expect(throws: FileTooLargeError.self) { try snapshot.read("a.md", maxBytes: 99) }
    #expect(try snapshot.read("a.md", maxBytes: 100).count == 100)
  }

  @Test func fileSystemSizesComeFromStat() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("keel-size-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("specs"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    // A sparse file: 1 GiB claimed, nothing written.
    let huge = root.appendingPathComponent("specs/huge.md")
    #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
    let handle = try FileHandle(forWritingTo: huge)
    try handle.truncate(atOffset: 1 << 30)
    try handle.close()
    let snapshot = FileSystemSnapshot(root: root)
    #expect(snapshot.byteCount("specs/huge.md") == 1 << 30)
    #expect(snapshot.byteCount("specs/../specs/huge.md") == nil)
    #expect(snapshot.byteCount("specs/missing.md") == nil)
    let error = try #require(throws: FileTooLargeError.self) { try snapshot.read("specs/huge.md", maxBytes: 1 << 20) }
    #expect(error.size == 1 << 30)
  }

  /// The baseline is a keel file like the glossary: over 16 times `limits.max-file-bytes` it is an
  /// error that says so (exit 2 in the CLI), decided from its size; it used to be read whole.
  @Test func aBaselineOverTheLimitIsMeasuredNotRead() throws {
    let snapshot = MeasuredSnapshot(
      files: ["keel.yaml": Self.config], claimedSizes: [Baseline.fileName: 8 << 30])
    let error = try #require(throws: KeelError.self) {
      try Baseline.load(from: snapshot, paths: try snapshot.paths())
    }
    #expect(error.path == Baseline.fileName)
    #expect(
      "\(error)".contains("is not read: it is \(8 << 30) bytes, over the limit of \(16 << 20) bytes"), "\(error)")
    #expect(snapshot.reads.isEmpty)

    var limits = ParseLimits.default
    limits.maxFileBytes = 2
    let small = MemorySnapshot(texts: [Baseline.fileName: Baseline(entries: []).rendered()])
    #expect(throws: KeelError.self) { try Baseline.load(from: small, paths: [Baseline.fileName], limits: limits) }
    limits.maxFileBytes = 100
    #expect(try Baseline.load(from: small, paths: [Baseline.fileName], limits: limits) == Baseline(entries: []))
  }
}
