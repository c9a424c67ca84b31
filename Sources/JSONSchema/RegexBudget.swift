import Foundation

/// How much work one match of one pattern against one string may do: a count
/// of engine steps (a back reference costs its length, a linear-engine step
/// one unit per live thread), and a wall-clock deadline as a safety net
/// (default 100 ms). The step count decides first on the inputs tests use, so
/// outcomes do not depend on the machine's speed.
public struct RegexBudget: Sendable {
  /// Steps left.
  public private(set) var remaining: Int
  /// Steps spent so far.
  public private(set) var used = 0
  private let deadline: UInt64?
  private var nextClockCheck: Int

  public static let defaultSteps = 50_000_000
  public static let defaultTime: Duration = .milliseconds(100)
  /// Steps between two looks at the clock.
  static let clockInterval = 1 << 16

  /// `time: nil` counts steps only (deterministic, for tests).
  public init(steps: Int = RegexBudget.defaultSteps, time: Duration? = RegexBudget.defaultTime) {
    remaining = steps
    nextClockCheck = Self.clockInterval
    deadline = time.map { time in
      let (seconds, attoseconds) = time.components
      return DispatchTime.now().uptimeNanoseconds &+ UInt64(seconds) * 1_000_000_000
        &+ UInt64(attoseconds / 1_000_000_000)
    }
  }

  /// Takes `steps` from the budget; false once it is spent or (with `clock`)
  /// the time is up. The linear engine passes `clock: false`: its work is
  /// bounded by the string's length times the pattern's, which the steps
  /// already cap, and its outcome then never depends on the machine's speed.
  public mutating func spend(_ steps: Int, clock: Bool = true) -> Bool {
    remaining -= steps
    used += steps
    if remaining < 0 { return false }
    if clock, let deadline, used >= nextClockCheck {
      nextClockCheck = used + Self.clockInterval
      if DispatchTime.now().uptimeNanoseconds > deadline {
        remaining = -1
        return false
      }
    }
    return true
  }

  /// Whether the deadline has passed (for engines that report progress rather than steps).
  var timeIsUp: Bool { deadline.map { DispatchTime.now().uptimeNanoseconds > $0 } ?? false }
}
