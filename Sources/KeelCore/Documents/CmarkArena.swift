import CCmarkGFM

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The memory of one cmark-gfm parse, handed out by bumping a pointer and released all at once.
///
/// cmark-gfm allocates every node, text chunk and buffer of its tree separately; with the C
/// allocator those allocations and the final `cmark_node_free` were a sixth of `keel check`'s time
/// on long documents. A parse runs on one thread, so the arena is found through a thread-local
/// slot (cmark's allocator functions take no context). Memory stays bounded: an arena only lives
/// for one parse of a body whose size and node count `ParseLimits` bound, and a buffer that grows
/// keeps its earlier copies at most until the parse ends (geometric growth: under twice the final size).
final class CmarkArena {
  /// Each allocation starts with its usable size, in a header that keeps the 16-byte alignment malloc gives.
  private static let headerSize = 16
  private static let chunkSize = 64 * 1024
  /// Larger requests get a block of their own.
  private static let largeSize = chunkSize / 4

  private var blocks: [UnsafeMutableRawPointer] = []
  private var next: UnsafeMutableRawPointer?
  private var remaining = 0

  init() {}

  deinit {
    for block in blocks { free(block) }
  }

  /// Runs `body` with cmark-gfm's allocations on this thread going to a fresh arena, released after.
  /// `body` gets the allocator to pass to `cmark_parser_new_with_mem`; nothing allocated with it may
  /// be used (or freed) after `body` returns.
  static func withArena<Result>(_ body: (UnsafeMutablePointer<cmark_mem>) -> Result) -> Result {
    let arena = CmarkArena()
    let previous = pthread_getspecific(slot)
    pthread_setspecific(slot, Unmanaged.passUnretained(arena).toOpaque())
    defer {
      pthread_setspecific(slot, previous)
      withExtendedLifetime(arena) {}
    }
    return body(allocator)
  }

  private static func rounded(_ size: Int) -> Int { (size + 15) & ~15 }

  func allocate(_ size: Int, zeroed: Bool) -> UnsafeMutableRawPointer? {
    guard size >= 0, size <= Int.max - 2 * Self.headerSize else { return nil }
    let needed = Self.rounded(size) + Self.headerSize
    let block: UnsafeMutableRawPointer
    if needed > Self.largeSize {
      guard let own = malloc(needed) else { return nil }
      blocks.append(own)
      block = own
    } else {
      if needed > remaining {
        guard let chunk = malloc(Self.chunkSize) else { return nil }
        blocks.append(chunk)
        next = chunk
        remaining = Self.chunkSize
      }
      block = next!
      next = block + needed
      remaining -= needed
    }
    block.storeBytes(of: Self.rounded(size), as: Int.self)
    let memory = block + Self.headerSize
    if zeroed { memset(memory, 0, size) }
    return memory
  }

  func reallocate(_ memory: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    guard let memory else { return allocate(size, zeroed: false) }
    let header = memory - Self.headerSize
    let capacity = header.load(as: Int.self)
    if size <= capacity { return memory }
    guard size <= Int.max - 2 * Self.headerSize else { return nil }
    // The latest allocation of the current chunk grows in place when the chunk has room.
    let growth = Self.rounded(size) - capacity
    if let next, memory + capacity == next, growth <= remaining {
      self.next = next + growth
      remaining -= growth
      header.storeBytes(of: Self.rounded(size), as: Int.self)
      return memory
    }
    guard let moved = allocate(size, zeroed: false) else { return nil }
    moved.copyMemory(from: memory, byteCount: capacity)
    return moved
  }

  // MARK: The C side

  private static let slot: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
  }()

  /// Runs `body` with this thread's arena, without retaining it (cmark allocates for every node;
  /// the arena outlives the parse).
  private static func withCurrent<Result>(_ body: (CmarkArena) -> Result) -> Result {
    Unmanaged<CmarkArena>.fromOpaque(pthread_getspecific(slot)!)._withUnsafeGuaranteedRef(body)
  }

  /// One allocator for every parse (cmark keeps a pointer to it in the parser and in every node);
  /// written once, then only read.
  private nonisolated(unsafe) static let allocator: UnsafeMutablePointer<cmark_mem> = {
    let memory = UnsafeMutablePointer<cmark_mem>.allocate(capacity: 1)
    memory.initialize(
      to: cmark_mem(
        calloc: { count, size in
          let (total, overflow) = count.multipliedReportingOverflow(by: size)
          return overflow ? nil : CmarkArena.withCurrent { $0.allocate(total, zeroed: true) }
        },
        realloc: { memory, size in CmarkArena.withCurrent { $0.reallocate(memory, size) } },
        // Freed memory is released with the arena.
        free: { _ in }))
    return memory
  }()
}
