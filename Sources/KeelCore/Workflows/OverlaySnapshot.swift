import Foundation

/// A snapshot with some files replaced: how a repository would look after an
/// edit, checked before the edit is written (`keel transition`).
public struct OverlaySnapshot: Snapshot {
  public let base: Snapshot
  public let replacements: [String: Data]

  public init(base: Snapshot, replacing replacements: [String: Data]) {
    self.base = base
    self.replacements = replacements
  }

  public var label: String { base.label }
  public var revision: String? { nil }

  public func paths() throws -> [String] {
    Array(Set(try base.paths()).union(replacements.keys)).sorted()
  }

  public func read(_ path: String) throws -> Data {
    if let data = replacements[path] { return data }
    return try base.read(path)
  }

  public func byteCount(_ path: String) -> Int? { replacements[path]?.count ?? base.byteCount(path) }

  public func blobID(_ path: String) -> String? {
    replacements[path] == nil ? base.blobID(path) : nil
  }
}
