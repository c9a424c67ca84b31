import Foundation

/// A JSON value. Numbers keep the integer/float distinction of their source text
/// (`1` is `.integer`, `1.0` is `.number`); JSON Schema equality (`1 == 1.0`) is
/// `JSONValue.schemaEquals`, not `==`.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case integer(Int)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
}

/// A JSON object that remembers the order of its keys (for stable output and
/// for reporting errors in document order) and looks keys up in O(1).
public struct JSONObject: Sendable, Hashable, Sequence {
  public private(set) var keys: [String] = []
  private var storage: [String: JSONValue] = [:]

  public init() {}

  public init(_ pairs: [(String, JSONValue)]) {
    for (key, value) in pairs { self[key] = value }
  }

  public var count: Int { keys.count }
  public var isEmpty: Bool { keys.isEmpty }

  public subscript(key: String) -> JSONValue? {
    get { storage[key] }
    set {
      if let newValue {
        if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if storage.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }

  public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
    var index = 0
    let keys = keys
    let storage = storage
    return AnyIterator {
      guard index < keys.count else { return nil }
      defer { index += 1 }
      return (keys[index], storage[keys[index]]!)
    }
  }

  /// Order-insensitive equality, as JSON defines it.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.storage == rhs.storage }
  public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

/// A 1-based position in source text. Columns count Unicode scalar values.
public struct SourcePosition: Sendable, Hashable, Codable, Comparable {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }
}

/// Where each node of a parsed instance came from, keyed by JSON pointer
/// (`""` is the root, `"/owner"`, `"/tags/0"`). `keys` holds the position of an
/// object member's key, used when an error is about the member itself.
public struct SourceMap: Sendable, Hashable {
  public var values: [String: SourcePosition] = [:]
  public var keys: [String: SourcePosition] = [:]
  public init() {}

  /// The best position for an error at `pointer`: the node itself, else the
  /// nearest ancestor that has a position.
  public func position(for pointer: String) -> SourcePosition? {
    var current = pointer
    while true {
      if let found = values[current] ?? keys[current] { return found }
      guard let slash = current.lastIndex(of: "/") else { return nil }
      current = String(current[..<slash])
    }
  }

  /// Shifts every position by `lines` (e.g. the offset of front matter in a file).
  public func offset(byLines lines: Int) -> SourceMap {
    var copy = SourceMap()
    copy.values = values.mapValues { SourcePosition(line: $0.line + lines, column: $0.column) }
    copy.keys = keys.mapValues { SourcePosition(line: $0.line + lines, column: $0.column) }
    return copy
  }
}

/// A JSON value together with where its nodes came from.
public struct LocatedJSON: Sendable {
  public var value: JSONValue
  public var sourceMap: SourceMap
  public init(value: JSONValue, sourceMap: SourceMap = SourceMap()) {
    self.value = value
    self.sourceMap = sourceMap
  }
}

extension JSONValue {
  /// Escapes one reference token of a JSON pointer (RFC 6901).
  public static func escapePointerToken(_ token: String) -> String {
    // Byte scan: `String.contains(_:)` with a string argument goes through Foundation and is slow.
    guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
    return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }
}
