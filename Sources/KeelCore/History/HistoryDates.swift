import Foundation

/// Dates in the history: reading commit times, writing them, telling the ones keel computes with from
/// the ones it only shows, and reading dates given on the command line.
///
/// A commit time is whatever digits git accepted (git itself takes any number of them). Keel reads
/// them saturating at ±`latestSeconds`, so no time traps. Only dates in years 0001–9999 take part in
/// arithmetic (durations, weeks, SLAs); the others are shown as `git log --format=%aI` shows them.
public enum HistoryDates {
  /// The largest number of seconds held exactly by both `Int64` and `Double` (2^63 − 1024): commit
  /// times beyond it (a 20-digit time) are read as it, so that converting a date back to seconds
  /// never overflows.
  public static let latestSeconds: Int64 = 9_223_372_036_854_774_784

  /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the dates keel computes with.
  static let firstSecond: Int64 = -62_135_596_800
  static let lastSecond: Int64 = 253_402_300_799
  /// 2147483647-12-31T23:59:59Z: the last moment `git log` shows with its real year.
  static let lastShownByGit: Int64 = 67_767_976_233_532_799

  /// The date of a commit time (seconds since 1970), saturated at ±`latestSeconds`.
  public static func date(seconds: Int64) -> Date {
    Date(timeIntervalSince1970: TimeInterval(max(-latestSeconds, min(latestSeconds, seconds))))
  }

  /// Whole seconds since 1970 (rounded down), saturated at ±`latestSeconds`: never traps.
  public static func seconds(_ date: Date) -> Int64 {
    let value = date.timeIntervalSince1970.rounded(.down)
    guard value.isFinite else { return value.isNaN ? 0 : value > 0 ? latestSeconds : -latestSeconds }
    return value >= Double(latestSeconds)
      ? latestSeconds : value <= -Double(latestSeconds) ? -latestSeconds : Int64(value)
  }

  /// Whether `date` lies in years 0001–9999, the dates durations, weeks and SLAs are computed from.
  public static func isInRange(_ date: Date) -> Bool {
    (firstSecond...lastSecond).contains(seconds(date))
  }

  /// ISO-8601 in UTC, as every history output writes dates (`2024-03-01T10:00:00Z`). Computed
  /// directly: a date formatter costs far more, and changelogs print thousands of dates. Dates after
  /// 9999 get their full year (`10000-01-01T00:00:00Z`), as git shows them; a date git cannot show
  /// (before year 1, after year 2147483647, or a time of more than 63 bits) is shown as git shows
  /// it, as 1970-01-01T00:00:00Z.
  static func iso(_ date: Date) -> String { text(date, withTime: true) }

  /// The day of `iso(date)`: `2024-03-01` (`10000-01-01` after 9999).
  static func day(_ date: Date) -> String { text(date, withTime: false) }

  /// `iso(date)`, or its day alone, written byte by byte into the string (a changelog prints a
  /// date for every commit of every document).
  private static func text(_ date: Date, withTime: Bool) -> String {
    var seconds = seconds(date)
    if seconds < firstSecond || seconds > lastShownByGit { seconds = 0 }
    let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
    let (dayNumber, time) = secondOfDay < 0 ? (days - 1, Int(secondOfDay) + 86_400) : (days, Int(secondOfDay))
    let (year, month, day) = civil(fromDays: Int(dayNumber))
    // The year has at least 4 digits and at most 10 (2147483647): the text at most 26 bytes.
    return String(unsafeUninitializedCapacity: 32) { bytes in
      var count = 0
      func put(_ value: Int, digits: Int) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
          bytes[count] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
          count += 1
          divisor /= 10
        }
      }
      func put(_ byte: Unicode.Scalar) {
        bytes[count] = UInt8(byte.value)
        count += 1
      }
      var yearDigits = 4
      var bound = 10_000
      while year >= bound {
        yearDigits += 1
        bound *= 10
      }
      put(year, digits: yearDigits)
      put("-")
      put(month, digits: 2)
      put("-")
      put(day, digits: 2)
      if withTime {
        put("T")
        put(time / 3600, digits: 2)
        put(":")
        put(time % 3600 / 60, digits: 2)
        put(":")
        put(time % 60, digits: 2)
        put("Z")
      }
      return count
    }
  }

  /// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian calendar).
  static func civil(fromDays days: Int) -> (Int, Int, Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// Days since 1970-01-01 of a day of the proleptic Gregorian calendar (the inverse of `civil`).
  static func days(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The years a date on the command line may name.
  public static let argumentYears = 1970...9999

  /// A date given on the command line (`--now`, `--since`): `2026-03-01` (midnight UTC),
  /// `2026-03-01T10:00:00Z` or `2026-03-01T10:00:00+02:00` (or `+0200`). It must be
  /// a real day of the calendar (no 2026-02-30, no hour 24) in years 1970–9999.
  /// - Throws: `KeelError` saying what is wrong, with `option` in front.
  public static func parseArgument(_ text: String, option: String) throws(KeelError) -> Date {
    let bytes = Array(text.utf8)
    var index = 0
    func number(_ digits: Int) -> Int? {
      guard index + digits <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[index..<index + digits] {
        guard (0x30...0x39).contains(byte) else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      index += digits
      return value
    }
    func skip(_ character: Character) -> Bool {
      guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
      index += 1
      return true
    }
    let malformed = KeelError(
      "\(option): '\(text)' is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS+HH:MM)")
    let outside = KeelError(
      "\(option): '\(text)' is outside the years \(argumentYears.lowerBound)–\(argumentYears.upperBound)")
    if bytes.prefix(while: { (0x30...0x39).contains($0) }).count > 4 { throw outside }
    guard let year = number(4), skip("-"), let month = number(2), skip("-"), let day = number(2) else {
      throw malformed
    }
    var secondOfDay = 0
    var offset = 0
    if index < bytes.count {
      guard skip("T"), let hour = number(2), skip(":"), let minute = number(2), skip(":"), let second = number(2)
      else { throw malformed }
      if skip("Z") {
        offset = 0
      } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        index += 1
        guard let hours = number(2) else { throw malformed }
        _ = skip(":")
        guard let minutes = number(2), hours <= 23, minutes <= 59 else { throw malformed }
        offset = sign * (hours * 3600 + minutes * 60)
      } else {
        throw malformed
      }
      guard index == bytes.count else { throw malformed }
      guard hour <= 23, minute <= 59, second <= 59 else {
        throw KeelError("\(option): '\(text)' is not a time of day")
      }
      secondOfDay = hour * 3600 + minute * 60 + second
    }
    guard (1...12).contains(month), day >= 1,
      civil(fromDays: days(year: year, month: month, day: day)) == (year, month, day)
    else { throw KeelError("\(option): '\(text)' is not a day of the calendar") }
    guard argumentYears.contains(year) else { throw outside }
    let seconds = days(year: year, month: month, day: day) * 86_400 + secondOfDay - offset
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }
}
