import Foundation

/// A value computed on a background thread from the moment it is created; `value` waits for it.
final class InBackground<Value>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var result: Value?

  init(_ compute: @escaping @Sendable () -> Value) {
    Thread.detachNewThread { [self] in
      result = compute()
      done.signal()
    }
  }

  /// Waits for the value (the semaphore orders the write before this read); safe to ask again.
  var value: Value {
    done.wait()
    done.signal()
    return result!
  }
}
