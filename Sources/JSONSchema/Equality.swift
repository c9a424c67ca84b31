extension JSONValue {
  /// JSON Schema equality: numbers compare by value (`1 == 1.0`), objects ignore key order.
  public func schemaEquals(_ other: JSONValue) -> Bool {
    switch (self, other) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    // Code points, not Swift's canonical equivalence: "é" and "e\u{301}" differ in JSON.
    case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
    case (.integer(let a), .integer(let b)): return a == b
    case (.integer, .number), (.number, .integer), (.number, .number):
      return NumberValue.compare(self, other) == 0
    case (.array(let a), .array(let b)):
      guard a.count == b.count else { return false }
      for index in a.indices where !a[index].schemaEquals(b[index]) { return false }
      return true
    case (.object(let a), .object(let b)):
      guard a.count == b.count else { return false }
      for (key, value) in a {
        guard let otherValue = b[key], value.schemaEquals(otherValue) else { return false }
      }
      return true
    default: return false
    }
  }

  /// A hash consistent with `schemaEquals`: integers hash as the double they
  /// equal (`1` like `1.0`), or as themselves when no double equals them;
  /// strings by their bytes (as `schemaEquals` compares them: canonically
  /// equivalent spellings must not share a hash); objects independently of
  /// key order. The whole value is hashed, so that values differing deep
  /// inside still land in different buckets (`uniqueItems` stays linear).
  func schemaHash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let bool): hasher.combine(bool)
    case .string(let string):
      hasher.combine(string.utf8.count)
      for byte in string.utf8 { hasher.combine(byte) }
    case .integer(let integer):
      let double = Double(integer)
      if Int(exactly: double) == integer { hasher.combine(double) } else { hasher.combine(integer) }
    case .number(let number): hasher.combine(number)
    case .array(let elements):
      hasher.combine(elements.count)
      for element in elements { element.schemaHash(into: &hasher) }
    case .object(let object):
      hasher.combine(object.count)
      // Order-independent: combine a sum of member hashes.
      var sum = 0
      for (key, value) in object {
        var member = Hasher()
        member.combine(key.utf8.count)
        for byte in key.utf8 { member.combine(byte) }
        value.schemaHash(into: &member)
        sum = sum &+ member.finalize()
      }
      hasher.combine(sum)
    }
  }
}

/// Number comparison across `.integer` and `.number` without losing integer precision.
enum NumberValue {
  /// -1, 0 or 1; nil when either value is not a number.
  static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int? {
    switch (lhs, rhs) {
    case (.integer(let a), .integer(let b)): return a < b ? -1 : (a == b ? 0 : 1)
    case (.integer(let a), .number(let b)): return compare(a, b)
    case (.number(let a), .integer(let b)): return -compare(b, a)
    case (.number(let a), .number(let b)): return a < b ? -1 : (a == b ? 0 : 1)
    default: return nil
    }
  }

  private static func compare(_ integer: Int, _ double: Double) -> Int {
    if double.isNaN { return 0 }
    // Past Int's range (2^63 itself is one past Int.max): no conversion, which would trap.
    if double >= 0x1p63 { return -1 }
    if double < -0x1p63 { return 1 }
    let truncated = Int(double.rounded(.down))
    if integer < truncated { return -1 }
    if integer > truncated { return 1 }
    return double > Double(truncated) ? -1 : 0
  }

  static func double(_ value: JSONValue) -> Double? {
    switch value {
    case .integer(let integer): Double(integer)
    case .number(let number): number
    default: nil
    }
  }

  /// Whether `value` is a multiple of `divisor` (exact for integers, tolerant of binary rounding otherwise).
  static func isMultiple(_ value: JSONValue, of divisor: JSONValue) -> Bool {
    if case .integer(let a) = value, case .integer(let b) = divisor, b != 0 { return a % b == 0 }
    guard let a = double(value), let b = double(divisor), b != 0 else { return false }
    let quotient = a / b
    if quotient.isInfinite {
      // Overflow: an integer is a multiple of a divisor whose reciprocal is an integer.
      let reciprocal = 1 / b
      return a == a.rounded() && reciprocal == reciprocal.rounded()
    }
    let rounded = quotient.rounded()
    return abs(quotient - rounded) <= 1e-9 * max(1, abs(quotient))
  }
}
