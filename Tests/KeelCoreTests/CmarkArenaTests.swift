import Foundation
import Testing

@testable import KeelCore

@Suite("CmarkArena")
struct CmarkArenaTests {
  @Test func allocationsAreAlignedZeroedAndKeepTheirBytesWhenTheyGrow() throws {
    let arena = CmarkArena()
    var blocks: [(UnsafeMutableRawPointer, Int)] = []
    // Small, medium and large (own block) sizes, each filled with its own byte.
    for (index, size) in [1, 7, 16, 100, 4000, 20_000, 70_000, 0, 33].enumerated() {
      let memory = try #require(arena.allocate(size, zeroed: true))
      #expect(Int(bitPattern: memory) % 16 == 0)
      #expect(UnsafeRawBufferPointer(start: memory, count: size).allSatisfy { $0 == 0 })
      memset(memory, Int32(index + 1), size)
      blocks.append((memory, size))
    }
    for (index, (memory, size)) in blocks.enumerated() {
      #expect(UnsafeRawBufferPointer(start: memory, count: size).allSatisfy { $0 == UInt8(index + 1) })
    }
    // Growing the latest allocation (in place) and an older one (moved) keeps the bytes.
    var latest = try #require(arena.allocate(10, zeroed: false))
    memset(latest, 0x5A, 10)
    for size in [20, 200, 3000, 30_000, 100_000] {
      latest = try #require(arena.reallocate(latest, size))
      #expect(UnsafeRawBufferPointer(start: latest, count: 10).allSatisfy { $0 == 0x5A })
    }
    let (older, olderSize) = blocks[4]
    let grown = try #require(arena.reallocate(older, olderSize * 3))
    #expect(UnsafeRawBufferPointer(start: grown, count: olderSize).allSatisfy { $0 == 5 })
    #expect(arena.allocate(Int.max, zeroed: false) == nil)
  }

  @Test func parsesInParallelAsTheCAllocatorDid() {
    // Documents with tables, task lists, autolinks, strikethrough and CRLF code blocks, parsed on
    // every core: each tree must be the one a sequential parse gives.
    let documents = (0..<64).map { index in
      "# Title \(index)\r\n\r\n| a | b |\r\n|---|---|\r\n| \(index) | ~~x~~ |\r\n\r\n- [x] done https://example.com/\(index)\r\n"
        + "- [ ] open\r\n\r\n```\r\ncode \(index)\r\n```\r\n\r\n"
        + String(repeating: "Some *text* with `code` and [a link](x.md) &amp; more.\n", count: index * 20)
    }
    let sequential = documents.map { MarkdownParser.parse($0) }
    let parallel = documents.parallelMap { MarkdownParser.parse($0) }
    #expect(parallel == sequential)
    #expect(sequential[3].tasks.map(\.checked) == [true, false])
    #expect(sequential[3].sections.flatMap(\.blocks).contains { $0.kind == .table })
  }
}
