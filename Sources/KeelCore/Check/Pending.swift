import Foundation

/// A value that may still be on its way: computed on a background thread from the moment it is
/// created, or given ready. `value` waits for it. The check context carries the state history this
/// way, so that the Git history is read while the documents are parsed and checked.
public final class Pending<Value: Sendable>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var result: Value?

  /// Starts `compute` on a thread of its own.
  public init(_ compute: @escaping @Sendable () -> Value) {
    Thread.detachNewThread { [self] in
      result = compute()
      done.signal()
    }
  }

  /// A value that is already there.
  public init(value: Value) {
    result = value
    done.signal()
  }

  /// Waits for the value (the semaphore orders the write before this read); safe to ask again.
  public var value: Value {
    done.wait()
    done.signal()
    return result!
  }
}
