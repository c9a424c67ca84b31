/// Checkers for the `format` keyword. Each takes a string and says whether it is in the format.
/// Written by hand from the grammars of the RFCs (3339, 3986, 3987, 5321, 1123, 5890-5893, 4291,
/// 6570, 6901, 4122) so they do no Foundation work per call.
enum Formats {
  /// The checker for a format name, or nil for an unknown format (unknown formats always pass).
  static func checker(for name: String) -> (@Sendable (String) -> Bool)? {
    switch name {
    case "date": return { isDate(Array($0.utf8)[...]) }
    case "time": return { isTime(Array($0.utf8)[...]) }
    case "date-time": return isDateTime
    case "duration": return isDuration
    case "email": return { isEmail($0, international: false) }
    case "idn-email": return { isEmail($0, international: true) }
    case "hostname": return { isHostname($0, international: false) }
    case "idn-hostname": return { isHostname($0, international: true) }
    case "ipv4": return { isIPv4(Array($0.utf8)[...]) }
    case "ipv6": return { isIPv6(Array($0.utf8)[...]) }
    case "uri": return { isURI($0, reference: false, international: false) }
    case "uri-reference": return { isURI($0, reference: true, international: false) }
    case "iri": return { isURI($0, reference: false, international: true) }
    case "iri-reference": return { isURI($0, reference: true, international: true) }
    case "uri-template": return isURITemplate
    case "uuid": return isUUID
    case "regex": return { (try? ECMARegex($0)) != nil }
    case "json-pointer": return isJSONPointer
    case "relative-json-pointer": return isRelativeJSONPointer
    default: return nil
    }
  }

  static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
  }

  // MARK: Dates and times (RFC 3339)

  static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
    guard !bytes.isEmpty else { return nil }
    var value = 0
    for byte in bytes {
      guard byte >= 48 && byte <= 57 else { return nil }
      value = value * 10 + Int(byte - 48)
    }
    return value
  }

  static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard bytes.count == 10 else { return false }
    let start = bytes.startIndex
    guard bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
      let year = digits(bytes[start..<(start + 4)]), let month = digits(bytes[(start + 5)..<(start + 7)]),
      let day = digits(bytes[(start + 8)..<(start + 10)])
    else { return false }
    guard (1...12).contains(month), day >= 1 else { return false }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= lengths[month - 1]
  }

  static func isTime(_ bytes: ArraySlice<UInt8>) -> Bool {
    let start = bytes.startIndex
    guard bytes.count >= 9, bytes[start + 2] == UInt8(ascii: ":"), bytes[start + 5] == UInt8(ascii: ":"),
      let hour = digits(bytes[start..<(start + 2)]), let minute = digits(bytes[(start + 3)..<(start + 5)]),
      let second = digits(bytes[(start + 6)..<(start + 8)])
    else { return false }
    guard hour <= 23, minute <= 59, second <= 60 else { return false }
    var index = start + 8
    if bytes[index] == UInt8(ascii: ".") {
      index += 1
      let fractionStart = index
      while index < bytes.endIndex, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
      guard index > fractionStart else { return false }
    }
    guard index < bytes.endIndex else { return false }
    var offsetMinutes = 0
    switch bytes[index] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      guard index + 1 == bytes.endIndex else { return false }
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      guard bytes.endIndex - index == 6, bytes[index + 3] == UInt8(ascii: ":"),
        let offsetHour = digits(bytes[(index + 1)..<(index + 3)]),
        let offsetMinute = digits(bytes[(index + 4)..<(index + 6)]), offsetHour <= 23, offsetMinute <= 59
      else { return false }
      offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
    default: return false
    }
    if second == 60 {
      // A leap second happens at 23:59:60 UTC only.
      let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
      return utc == 23 * 60 + 59
    }
    return true
  }

  @Sendable static func isDateTime(_ string: String) -> Bool {
    let bytes = Array(string.utf8)
    guard bytes.count > 11, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { return false }
    return isDate(bytes[0..<10]) && isTime(bytes[11...])
  }

  @Sendable static func isDuration(_ string: String) -> Bool {
    var bytes = Array(string.utf8)[...]
    guard bytes.popFirst() == UInt8(ascii: "P"), !bytes.isEmpty else { return false }
    var datePart = bytes
    var timePart: ArraySlice<UInt8>?
    if let t = bytes.firstIndex(of: UInt8(ascii: "T")) {
      datePart = bytes[..<t]
      timePart = bytes[(t + 1)...]
      guard !timePart!.isEmpty else { return false }
    }
    func units(_ part: ArraySlice<UInt8>) -> [UInt8]? {
      var result: [UInt8] = []
      var sawDigit = false
      for byte in part {
        if byte >= 48 && byte <= 57 {
          sawDigit = true
        } else {
          guard sawDigit else { return nil }
          result.append(byte)
          sawDigit = false
        }
      }
      return sawDigit ? nil : result
    }
    /// True when `found` is a non-empty run of consecutive entries of `order`.
    func isRun(_ found: [UInt8], of order: String) -> Bool {
      let order = Array(order.utf8)
      guard let first = found.first, let start = order.firstIndex(of: first) else { return found.isEmpty }
      return start + found.count <= order.count && Array(order[start..<(start + found.count)]) == found
    }
    guard let dateUnits = units(datePart) else { return false }
    if dateUnits == [UInt8(ascii: "W")] { return timePart == nil }
    guard isRun(dateUnits, of: "YMD") else { return false }
    if let timePart {
      guard let timeUnits = units(timePart), !timeUnits.isEmpty, isRun(timeUnits, of: "HMS") else { return false }
    } else if dateUnits.isEmpty {
      return false
    }
    return true
  }

  // MARK: Internet addresses

  static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
    let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 4 else { return false }
    for part in parts {
      guard part.count <= 3, let value = digits(part), value <= 255 else { return false }
      if part.count > 1 && part.first == UInt8(ascii: "0") { return false }
    }
    return true
  }

  static func isHexDigit(_ byte: UInt8) -> Bool {
    (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
  }

  static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
    /// The groups of a colon-separated run; nil if one is empty. An IPv4 tail counts as two groups.
    func groups(_ part: ArraySlice<UInt8>, last: Bool) -> Int? {
      if part.isEmpty { return 0 }
      let pieces = part.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
      var count = 0
      for (offset, piece) in pieces.enumerated() {
        if last && offset == pieces.count - 1 && piece.contains(UInt8(ascii: ".")) {
          guard isIPv4(piece) else { return nil }
          count += 2
        } else {
          guard (1...4).contains(piece.count), piece.allSatisfy(isHexDigit) else { return nil }
          count += 1
        }
      }
      return count
    }
    let colon = UInt8(ascii: ":")
    if let double = bytes.indices.dropLast().first(where: { bytes[$0] == colon && bytes[$0 + 1] == colon }) {
      let head = bytes[..<double]
      let tail = bytes[(double + 2)...]
      guard let headCount = groups(head, last: false), let tailCount = groups(tail, last: true) else { return false }
      return headCount + tailCount <= 7
    }
    return groups(bytes, last: true) == 8
  }

  // MARK: Host names (RFC 1123, IDNA 2008)

  static let labelSeparators: Set<Unicode.Scalar> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]

  static func isHostname(_ string: String, international: Bool) -> Bool {
    guard !string.isEmpty else { return false }
    var labels: [[Unicode.Scalar]] = [[]]
    for scalar in string.unicodeScalars {
      if scalar == "." || (international && labelSeparators.contains(scalar)) {
        labels.append([])
      } else {
        labels[labels.count - 1].append(scalar)
      }
    }
    var uLabels: [[Unicode.Scalar]] = []
    var asciiLength = labels.count - 1
    for label in labels {
      guard !label.isEmpty else { return false }
      if label.allSatisfy(\.isASCII) {
        guard label.count <= 63,
          label.allSatisfy({ isASCIILetter($0) || ("0"..."9").contains($0) || $0 == "-" }),
          label.first != "-", label.last != "-"
        else { return false }
        asciiLength += label.count
        if label.count >= 4 && label[2] == "-" && label[3] == "-" {
          guard String(String.UnicodeScalarView(label[0..<2])).lowercased() == "xn",
            let decoded = Punycode.decode(Array(label[4...])), !decoded.allSatisfy(\.isASCII),
            Punycode.encode(decoded).map({ String(String.UnicodeScalarView($0)) })
              == String(String.UnicodeScalarView(label[4...])).lowercased(),
            isValidULabel(decoded)
          else { return false }
          uLabels.append(decoded)
        } else {
          uLabels.append(label)
        }
      } else {
        guard international, isValidULabel(label), let encoded = Punycode.encode(label), encoded.count + 4 <= 63 else {
          return false
        }
        asciiLength += encoded.count + 4
        uLabels.append(label)
      }
    }
    guard asciiLength <= 253 else { return false }
    return satisfiesBidiRule(uLabels)
  }

  /// Code points that IDNA 2008 lists as exceptions (RFC 5892 section 2.6).
  static let pvalidExceptions: Set<UInt32> = [0xDF, 0x3C2, 0x6FD, 0x6FE, 0xF0B, 0x3007]
  static let disallowedExceptions: Set<UInt32> = [
    0x640, 0x7FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035,
    0x303B,
  ]

  static func isValidULabel(_ label: [Unicode.Scalar]) -> Bool {
    guard let first = label.first, label.count <= 63 else { return false }
    if label.first == "-" || label.last == "-" { return false }
    if label.count >= 4 && label[2] == "-" && label[3] == "-" { return false }
    switch first.properties.generalCategory {
    case .spacingMark, .nonspacingMark, .enclosingMark: return false
    default: break
    }
    let hasArabicIndic = label.contains { (0x660...0x669).contains($0.value) }
    let hasExtendedArabicIndic = label.contains { (0x6F0...0x6F9).contains($0.value) }
    if hasArabicIndic && hasExtendedArabicIndic { return false }
    for (offset, scalar) in label.enumerated() {
      let value = scalar.value
      let previous = offset > 0 ? label[offset - 1] : nil
      let next = offset + 1 < label.count ? label[offset + 1] : nil
      if disallowedExceptions.contains(value) { return false }
      if pvalidExceptions.contains(value) { continue }
      switch value {
      case 0xB7:  // MIDDLE DOT: between two 'l'
        guard previous == "l", next == "l" else { return false }
        continue
      case 0x375:  // GREEK KERAIA: followed by Greek
        guard let next, isGreek(next) else { return false }
        continue
      case 0x5F3, 0x5F4:  // HEBREW GERESH / GERSHAYIM: preceded by Hebrew
        guard let previous, (0x590...0x5FF).contains(previous.value) else { return false }
        continue
      case 0x30FB:  // KATAKANA MIDDLE DOT: with Hiragana, Katakana or Han in the label
        guard label.contains(where: { $0.value != 0x30FB && isHiraganaKatakanaOrHan($0) }) else { return false }
        continue
      case 0x200D:  // ZERO WIDTH JOINER: after a virama
        guard let previous, previous.properties.canonicalCombiningClass.rawValue == 9 else { return false }
        continue
      case 0x200C:  // ZERO WIDTH NON-JOINER: after a virama, or between joining letters
        if let previous, previous.properties.canonicalCombiningClass.rawValue == 9 { continue }
        guard let previous, let next, isJoiningLetter(previous), isJoiningLetter(next) else { return false }
        continue
      default: break
      }
      if scalar.isASCII {
        guard isASCIILetter(scalar) || ("0"..."9").contains(scalar) || scalar == "-" else { return false }
        continue
      }
      switch scalar.properties.generalCategory {
      case .lowercaseLetter, .otherLetter, .modifierLetter, .nonspacingMark, .spacingMark, .enclosingMark,
        .decimalNumber:
        // Characters that case folding would change are not PVALID.
        if scalar.properties.changesWhenCaseFolded { return false }
      default: return false
      }
    }
    return true
  }

  static func isGreek(_ scalar: Unicode.Scalar) -> Bool {
    (0x370...0x3FF).contains(scalar.value) || (0x1F00...0x1FFF).contains(scalar.value)
  }

  static func isHiraganaKatakanaOrHan(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    return (0x3040...0x30FF).contains(value) || (0x31F0...0x31FF).contains(value) || (0x3400...0x4DBF).contains(value)
      || (0x4E00...0x9FFF).contains(value) || (0xF900...0xFAFF).contains(value) || (0x20000...0x3FFFF).contains(value)
  }

  static func isJoiningLetter(_ scalar: Unicode.Scalar) -> Bool {
    (0x620...0x64A).contains(scalar.value) || (0x66E...0x6D3).contains(scalar.value)
  }

  /// Bidirectional classes, approximated by block, for the Bidi rule of RFC 5893.
  enum BidiClass { case l, r, al, an, en, nsm, other }

  static func bidiClass(_ scalar: Unicode.Scalar) -> BidiClass {
    let value = scalar.value
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark: return .nsm
    default: break
    }
    if ("0"..."9").contains(scalar) || (0x6F0...0x6F9).contains(value) { return .en }
    if (0x660...0x669).contains(value) || (0x66B...0x66C).contains(value) { return .an }
    if (0x590...0x5FF).contains(value) || (0x7C0...0x85F).contains(value) || (0xFB1D...0xFB4F).contains(value) {
      return .r
    }
    if (0x600...0x6FF).contains(value) || (0x750...0x77F).contains(value) || (0x8A0...0x8FF).contains(value)
      || (0xFB50...0xFDFF).contains(value) || (0xFE70...0xFEFF).contains(value)
    {
      return .al
    }
    if scalar == "-" { return .other }
    return scalar.properties.isAlphabetic ? .l : .other
  }

  static func satisfiesBidiRule(_ labels: [[Unicode.Scalar]]) -> Bool {
    let isBidiDomain = labels.contains { $0.contains { [.r, .al, .an].contains(bidiClass($0)) } }
    guard isBidiDomain else { return true }
    for label in labels {
      let classes = label.map(bidiClass)
      guard let first = classes.first else { return false }
      let significant = classes.reversed().first { $0 != .nsm } ?? first
      switch first {
      case .r, .al:
        guard classes.allSatisfy({ $0 != .l }) else { return false }
        guard [.r, .al, .en, .an].contains(significant) else { return false }
        if classes.contains(.en) && classes.contains(.an) { return false }
      case .l:
        guard classes.allSatisfy({ ![.r, .al, .an].contains($0) }) else { return false }
        guard [.l, .en].contains(significant) else { return false }
      default: return false
      }
    }
    return true
  }

  // MARK: E-mail (RFC 5321 mailbox, RFC 6531 for idn-email)

  static func isEmail(_ string: String, international: Bool) -> Bool {
    let scalars = Array(string.unicodeScalars)
    guard let at = scalars.lastIndex(of: "@"), at > 0, at < scalars.count - 1 else { return false }
    let local = scalars[..<at]
    let domain = scalars[(at + 1)...]
    if local.first == "\"" {
      guard local.count >= 2, local.last == "\"" else { return false }
      var escaped = false
      for scalar in local.dropFirst().dropLast() {
        if escaped {
          escaped = false
          continue
        }
        if scalar == "\\" {
          escaped = true
        } else if scalar == "\"" || (scalar.isASCII && scalar.value < 0x20) || (!international && !scalar.isASCII) {
          return false
        }
      }
      if escaped { return false }
    } else {
      let atext = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)
      let atoms = local.split(separator: "@", omittingEmptySubsequences: false)
      guard atoms.count == 1 else { return false }
      let parts = local.split(separator: ".", omittingEmptySubsequences: false)
      for part in parts {
        guard !part.isEmpty else { return false }
        for scalar in part {
          let ok =
            scalar.isASCII
            ? (isASCIILetter(scalar) || ("0"..."9").contains(scalar) || atext.contains(scalar))
            : international
          if !ok { return false }
        }
      }
    }
    if domain.first == "[" {
      guard domain.last == "]" else { return false }
      let literal = String(String.UnicodeScalarView(domain.dropFirst().dropLast()))
      if literal.hasPrefix("IPv6:") { return isIPv6(Array(literal.utf8.dropFirst(5))[...]) }
      return isIPv4(Array(literal.utf8)[...])
    }
    return isHostname(String(String.UnicodeScalarView(domain)), international: international)
  }

  // MARK: URIs and IRIs (RFC 3986, RFC 3987)

  static func isUnreserved(_ scalar: Unicode.Scalar, international: Bool) -> Bool {
    if scalar.isASCII {
      return isASCIILetter(scalar) || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar)
    }
    guard international else { return false }
    // ucschar and iprivate: everything outside ASCII except controls and specials.
    let value = scalar.value
    return !(0x80...0x9F).contains(value) && value != 0xFFFE && value != 0xFFFF
  }

  static let subDelimiters = Set("!$&'()*+,;=".unicodeScalars)

  /// Checks that `part` consists of unreserved, sub-delims, percent-encoded and `extra` characters.
  static func isValidComponent(_ part: ArraySlice<Unicode.Scalar>, extra: String, international: Bool) -> Bool {
    let extraSet = Set(extra.unicodeScalars)
    var index = part.startIndex
    while index < part.endIndex {
      let scalar = part[index]
      if scalar == "%" {
        guard index + 2 < part.endIndex, part[index + 1].isASCII, part[index + 2].isASCII,
          isHexDigit(UInt8(part[index + 1].value)),
          isHexDigit(UInt8(part[index + 2].value))
        else { return false }
        index += 3
        continue
      }
      guard
        isUnreserved(scalar, international: international) || subDelimiters.contains(scalar)
          || extraSet.contains(scalar)
      else { return false }
      index += 1
    }
    return true
  }

  static func isURI(_ string: String, reference: Bool, international: Bool) -> Bool {
    let scalars = Array(string.unicodeScalars)
    var rest = scalars[...]
    // Scheme.
    if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isASCII, isASCIILetter(first),
      rest[..<colon].allSatisfy({
        $0.isASCII
          && (isASCIILetter($0) || ("0"..."9").contains($0)
            || "+-.".unicodeScalars.contains($0))
      }),
      !rest[..<colon].contains("/") && !rest[..<colon].contains("?") && !rest[..<colon].contains("#")
    {
      rest = rest[(colon + 1)...]
    } else {
      guard reference else { return false }
      // A relative reference: the first path segment must not contain ':'.
      let segmentEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
      if rest[rest.startIndex..<segmentEnd].contains(":") { return false }
    }
    if let hash = rest.firstIndex(of: "#") {
      guard isValidComponent(rest[(hash + 1)...], extra: ":@/?", international: international) else { return false }
      rest = rest[..<hash]
    }
    if let question = rest.firstIndex(of: "?") {
      guard isValidComponent(rest[(question + 1)...], extra: ":@/?", international: international) else {
        return false
      }
      rest = rest[..<question]
    }
    if rest.starts(with: ["/", "/"]) {
      let authorityStart = rest.startIndex + 2
      let authorityEnd = rest[authorityStart...].firstIndex(of: "/") ?? rest.endIndex
      guard isValidAuthority(rest[authorityStart..<authorityEnd], international: international) else { return false }
      rest = rest[authorityEnd...]
    }
    return isValidComponent(rest, extra: ":@/", international: international)
  }

  static func isValidAuthority(_ authority: ArraySlice<Unicode.Scalar>, international: Bool) -> Bool {
    var host = authority
    if let at = authority.firstIndex(of: "@") {
      guard isValidComponent(authority[..<at], extra: ":", international: international) else { return false }
      host = authority[(at + 1)...]
    }
    if host.first == "[" {
      guard let close = host.firstIndex(of: "]") else { return false }
      let literal = host[(host.startIndex + 1)..<close]
      let afterLiteral = host[(close + 1)...]
      if let first = literal.first, first == "v" || first == "V" {
        guard let dot = literal.firstIndex(of: "."), dot > literal.startIndex + 1,
          literal[(literal.startIndex + 1)..<dot].allSatisfy({ $0.isASCII && isHexDigit(UInt8($0.value)) }),
          dot + 1 < literal.endIndex, isValidComponent(literal[(dot + 1)...], extra: ":", international: false)
        else { return false }
      } else {
        guard literal.allSatisfy(\.isASCII), isIPv6(ArraySlice(literal.map { UInt8($0.value) })) else { return false }
      }
      if afterLiteral.isEmpty { return true }
      guard afterLiteral.first == ":" else { return false }
      return afterLiteral.dropFirst().allSatisfy { ("0"..."9").contains($0) }
    }
    if let colon = host.lastIndex(of: ":") {
      guard host[(colon + 1)...].allSatisfy({ ("0"..."9").contains($0) }) else { return false }
      host = host[..<colon]
    }
    return isValidComponent(host, extra: "", international: international)
  }

  @Sendable static func isURITemplate(_ string: String) -> Bool {
    let scalars = Array(string.unicodeScalars)
    var index = 0
    let forbidden = Set("\"<>\\^`|} ".unicodeScalars)
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "{" {
        guard let close = scalars[index...].firstIndex(of: "}") else { return false }
        guard isTemplateExpression(scalars[(index + 1)..<close]) else { return false }
        index = close + 1
        continue
      }
      if scalar == "%" {
        guard index + 2 < scalars.count, scalars[index + 1].isASCII, scalars[index + 2].isASCII,
          isHexDigit(UInt8(scalars[index + 1].value)), isHexDigit(UInt8(scalars[index + 2].value))
        else { return false }
        index += 3
        continue
      }
      if scalar.value < 0x20 || scalar.value == 0x7F || forbidden.contains(scalar) { return false }
      index += 1
    }
    return true
  }

  static func isTemplateExpression(_ expression: ArraySlice<Unicode.Scalar>) -> Bool {
    var body = expression
    if let first = body.first, "+#./;?&".unicodeScalars.contains(first) { body = body.dropFirst() }
    guard !body.isEmpty else { return false }
    for varspec in body.split(separator: ",", omittingEmptySubsequences: false) {
      var name = varspec
      if name.last == "*" {
        name = name.dropLast()
      } else if let colon = name.firstIndex(of: ":") {
        let length = name[(colon + 1)...]
        guard (1...4).contains(length.count), length.first != "0", length.allSatisfy({ ("0"..."9").contains($0) })
        else { return false }
        name = name[..<colon]
      }
      guard !name.isEmpty, name.first != ".", name.last != "." else { return false }
      var index = name.startIndex
      var previousDot = false
      while index < name.endIndex {
        let scalar = name[index]
        if scalar == "%" {
          guard index + 2 < name.endIndex, isHexDigit(UInt8(truncatingIfNeeded: name[index + 1].value)),
            isHexDigit(UInt8(truncatingIfNeeded: name[index + 2].value))
          else { return false }
          index += 3
          previousDot = false
          continue
        }
        if scalar == "." {
          if previousDot { return false }
          previousDot = true
        } else {
          guard scalar.isASCII, isASCIILetter(scalar) || ("0"..."9").contains(scalar) || scalar == "_" else {
            return false
          }
          previousDot = false
        }
        index += 1
      }
    }
    return true
  }

  // MARK: Others

  @Sendable static func isUUID(_ string: String) -> Bool {
    let bytes = Array(string.utf8)
    guard bytes.count == 36 else { return false }
    for (offset, byte) in bytes.enumerated() {
      if [8, 13, 18, 23].contains(offset) {
        guard byte == UInt8(ascii: "-") else { return false }
      } else if !isHexDigit(byte) {
        return false
      }
    }
    return true
  }

  @Sendable static func isJSONPointer(_ string: String) -> Bool {
    let bytes = Array(string.utf8)
    guard bytes.isEmpty || bytes[0] == UInt8(ascii: "/") else { return false }
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "~") {
      guard offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "0") || bytes[offset + 1] == UInt8(ascii: "1")
      else { return false }
    }
    return true
  }

  @Sendable static func isRelativeJSONPointer(_ string: String) -> Bool {
    let bytes = Array(string.utf8)
    var index = 0
    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
    guard index > 0, !(index > 1 && bytes[0] == UInt8(ascii: "0")) else { return false }
    let rest = String(decoding: bytes[index...], as: UTF8.self)
    return rest == "#" || isJSONPointer(rest)
  }
}

/// Punycode (RFC 3492), for checking A-labels of host names.
enum Punycode {
  static let base: UInt32 = 36, tMin: UInt32 = 1, tMax: UInt32 = 26, skew: UInt32 = 38, damp: UInt32 = 700
  static let initialBias: UInt32 = 72, initialN: UInt32 = 128

  static func adapt(_ delta: UInt32, _ count: UInt32, _ first: Bool) -> UInt32 {
    var delta = first ? delta / damp : delta / 2
    delta += delta / count
    var k: UInt32 = 0
    while delta > ((base - tMin) * tMax) / 2 {
      delta /= base - tMin
      k += base
    }
    return k + (base - tMin + 1) * delta / (delta + skew)
  }

  static func digitValue(_ scalar: Unicode.Scalar) -> UInt32? {
    switch scalar {
    case "a"..."z": return scalar.value - 97
    case "A"..."Z": return scalar.value - 65
    case "0"..."9": return scalar.value - 48 + 26
    default: return nil
    }
  }

  static func digit(_ value: UInt32) -> Unicode.Scalar {
    Unicode.Scalar(value < 26 ? value + 97 : value - 26 + 48)!
  }

  static func decode(_ input: [Unicode.Scalar]) -> [Unicode.Scalar]? {
    var output: [Unicode.Scalar] = []
    var rest = input[...]
    if let delimiter = input.lastIndex(of: "-") {
      output = Array(input[..<delimiter])
      guard output.allSatisfy(\.isASCII) else { return nil }
      rest = input[(delimiter + 1)...]
    }
    var n = initialN, i: UInt32 = 0, bias = initialBias
    while !rest.isEmpty {
      let oldI = i
      var w: UInt32 = 1
      var k = base
      while true {
        guard let scalar = rest.popFirst(), let value = digitValue(scalar) else { return nil }
        let (product, overflow1) = value.multipliedReportingOverflow(by: w)
        let (sum, overflow2) = i.addingReportingOverflow(product)
        guard !overflow1, !overflow2 else { return nil }
        i = sum
        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
        if value < t { break }
        let (newW, overflow3) = w.multipliedReportingOverflow(by: base - t)
        guard !overflow3 else { return nil }
        w = newW
        k += base
      }
      let count = UInt32(output.count + 1)
      bias = adapt(i - oldI, count, oldI == 0)
      n += i / count
      i %= count
      guard let scalar = Unicode.Scalar(n) else { return nil }
      output.insert(scalar, at: Int(i))
      i += 1
    }
    return output
  }

  static func encode(_ input: [Unicode.Scalar]) -> [Unicode.Scalar]? {
    var output: [Unicode.Scalar] = input.filter(\.isASCII).map { Unicode.Scalar(UInt8($0.value)) }
    let basicCount = UInt32(output.count)
    var handled = basicCount
    if basicCount > 0 { output.append("-") }
    var n = initialN, delta: UInt32 = 0, bias = initialBias
    while handled < input.count {
      guard let m = input.map(\.value).filter({ $0 >= n }).min() else { return nil }
      let (step, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
      guard !overflow else { return nil }
      delta += step
      n = m
      for scalar in input {
        if scalar.value < n { delta += 1 }
        if scalar.value == n {
          var q = delta
          var k = base
          while true {
            let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
            if q < t { break }
            output.append(digit(t + (q - t) % (base - t)))
            q = (q - t) / (base - t)
            k += base
          }
          output.append(digit(q))
          bias = adapt(delta, handled + 1, handled == basicCount)
          delta = 0
          handled += 1
        }
      }
      delta += 1
      n += 1
    }
    return output
  }
}
