/// An RFC 3986 URI reference split into its five components, with reference resolution.
/// Pure string work: nothing is ever fetched.
struct URIReference: Hashable, Sendable {
  var scheme: String?
  var authority: String?
  var path: String
  var query: String?
  var fragment: String?

  init(scheme: String?, authority: String?, path: String, query: String?, fragment: String?) {
    self.scheme = scheme
    self.authority = authority
    self.path = path
    self.query = query
    self.fragment = fragment
  }

  /// Splits a reference with the regular expression of RFC 3986 appendix B (written out by hand).
  init(_ text: String) {
    var rest = Substring(text)
    fragment = nil
    if let hash = rest.firstIndex(of: "#") {
      fragment = String(rest[rest.index(after: hash)...])
      rest = rest[..<hash]
    }
    query = nil
    if let question = rest.firstIndex(of: "?") {
      query = String(rest[rest.index(after: question)...])
      rest = rest[..<question]
    }
    scheme = nil
    if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isASCII, first.isLetter {
      let candidate = rest[..<colon]
      if candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) {
        scheme = candidate.lowercased()
        rest = rest[rest.index(after: colon)...]
      }
    }
    authority = nil
    if rest.hasPrefix("//") {
      let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
      let end = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
      authority = String(rest[afterSlashes..<end])
      rest = rest[end...]
    }
    path = String(rest)
  }

  var isAbsolute: Bool { scheme != nil }

  var text: String {
    var result = ""
    if let scheme { result += scheme + ":" }
    if let authority { result += "//" + authority }
    result += path
    if let query { result += "?" + query }
    if let fragment { result += "#" + fragment }
    return result
  }

  var withoutFragment: URIReference {
    var copy = self
    copy.fragment = nil
    return copy
  }

  /// Resolves `reference` against this (base) URI, RFC 3986 section 5.2.2.
  func resolving(_ reference: URIReference) -> URIReference {
    var target = URIReference(scheme: nil, authority: nil, path: "", query: nil, fragment: reference.fragment)
    if let scheme = reference.scheme {
      target.scheme = scheme
      target.authority = reference.authority
      target.path = Self.removeDotSegments(reference.path)
      target.query = reference.query
      return target
    }
    target.scheme = scheme
    if reference.authority != nil {
      target.authority = reference.authority
      target.path = Self.removeDotSegments(reference.path)
      target.query = reference.query
      return target
    }
    target.authority = authority
    if reference.path.isEmpty {
      target.path = path
      target.query = reference.query ?? query
    } else {
      if reference.path.hasPrefix("/") {
        target.path = Self.removeDotSegments(reference.path)
      } else if authority != nil && path.isEmpty {
        target.path = Self.removeDotSegments("/" + reference.path)
      } else if let slash = path.lastIndex(of: "/") {
        target.path = Self.removeDotSegments(String(path[...slash]) + reference.path)
      } else {
        target.path = Self.removeDotSegments(reference.path)
      }
      target.query = reference.query
    }
    return target
  }

  func resolving(_ reference: String) -> URIReference { resolving(URIReference(reference)) }

  static func removeDotSegments(_ input: String) -> String {
    guard input.contains(".") else { return input }
    var output: [Substring] = []
    let segments = input.split(separator: "/", omittingEmptySubsequences: false)
    let absolute = input.hasPrefix("/")
    for (offset, segment) in segments.enumerated() {
      if offset == 0 && absolute { continue }
      switch segment {
      case ".": if offset == segments.count - 1 { output.append("") }
      case "..":
        if !output.isEmpty { output.removeLast() }
        if offset == segments.count - 1 { output.append("") }
      default: output.append(segment)
      }
    }
    return (absolute ? "/" : "") + output.joined(separator: "/")
  }
}

/// Decodes `%XX` escapes (used for JSON pointers in URI fragments).
func percentDecoded(_ text: String) -> String {
  guard text.contains("%") else { return text }
  var bytes: [UInt8] = []
  var iterator = Array(text.utf8)[...]
  while let byte = iterator.popFirst() {
    if byte == UInt8(ascii: "%"), iterator.count >= 2,
      let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
    {
      bytes.append(value)
      iterator = iterator.dropFirst(2)
    } else {
      bytes.append(byte)
    }
  }
  return String(decoding: bytes, as: UTF8.self)
}

/// JSON pointer helpers (RFC 6901).
enum JSONPointer {
  /// The reference tokens of a pointer; nil when the text is not a pointer.
  static func tokens(_ pointer: String) -> [String]? {
    if pointer.isEmpty { return [] }
    guard pointer.hasPrefix("/") else { return nil }
    return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
      $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
  }

  /// The value at `tokens` inside `value`.
  static func resolve(_ tokens: [String], in value: JSONValue) -> JSONValue? {
    var current = value
    for token in tokens {
      switch current {
      case .object(let object):
        guard let next = object[token] else { return nil }
        current = next
      case .array(let elements):
        guard let index = Int(token), index >= 0, index < elements.count, String(index) == token else { return nil }
        current = elements[index]
      default: return nil
      }
    }
    return current
  }
}
