import Dispatch

/// Slots written by exactly one iteration each, so no two threads touch the same slot.
private final class Slots<Element>: @unchecked Sendable {
  var values: [Element?]
  init(count: Int) { values = Array(repeating: nil, count: count) }
}

extension Array where Element: Sendable {
  /// `map` across all cores, keeping order. Work is handed out in chunks so
  /// small items do not drown in scheduling overhead; 32 chunks a core, so
  /// the cores run out of work at nearly the same time (items differ in size).
  public func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
    guard count > 1 else { return map(transform) }
    let slots = Slots<T>(count: count)
    let chunk = Swift.max(1, count / (ProcessInfoCores.count * 32))
    let chunks = (count + chunk - 1) / chunk
    self.withUnsafeBufferPointer { buffer in
      nonisolated(unsafe) let input = buffer
      DispatchQueue.concurrentPerform(iterations: chunks) { index in
        let start = index * chunk
        let end = Swift.min(start + chunk, input.count)
        for position in start..<end { slots.values[position] = transform(input[position]) }
      }
    }
    return slots.values.map { $0! }
  }
}

enum ProcessInfoCores {
  static let count: Int = {
    #if canImport(Glibc)
      return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
      return 4
    #endif
  }()
}

#if canImport(Glibc)
  import Glibc
#endif
