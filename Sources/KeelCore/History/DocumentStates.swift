import Foundation

/// How a document's workflow state is read in one version: `keel history`, `changelog`, `metrics`
/// and `workflow/stale` all read states through `state(ofBlob:at:workflow:read:)`, so they agree on
/// every version.
///
/// A version's state is the string value of the document's workflow field among that version's
/// string fields (`FrontMatterScalars`), read as the file was stored then: its kind's `header:` for
/// Markdown, else its extension (a file outside keel.yaml's folder by its extension). The workflow
/// is the document's (the kind of its latest path), also for the versions it had before it was
/// moved into the kind's glob, so a document enters a state when it first had it, not when it was
/// renamed into the glob.
public final class DocumentStates: @unchecked Sendable {
  public let configuration: HistoryConfiguration
  /// Repository path of keel.yaml's folder followed by `/`, or empty.
  public let prefix: String
  public let scalars: ScalarCache
  private let lock = NSLock()
  /// Formats by repository path and kinds by path relative to keel.yaml's folder: the same few
  /// thousand paths come back in thousands of versions, and glob matching is most of the cost.
  private var formats: [String: DocumentFormat?] = [:]
  private var kinds: [String: HistoryConfiguration.Kind?] = [:]

  /// - Parameter prefix: repository path of keel.yaml's folder (with or without the `/`), or empty.
  public init(configuration: HistoryConfiguration, prefix: String = "", scalars: ScalarCache = ScalarCache(file: nil)) {
    self.configuration = configuration
    self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
    self.scalars = scalars
  }

  /// `path` (repository-relative) relative to keel.yaml's folder; nil outside it.
  public func local(_ path: String) -> String? {
    prefix.isEmpty ? path : path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
  }

  /// Where the fields of the file at `path` (repository-relative) are; nil for a file keel cannot
  /// read as Markdown, YAML or JSON.
  public func format(of path: String) -> DocumentFormat? {
    lock.lock()
    if let known = formats[path] {
      lock.unlock()
      return known
    }
    lock.unlock()
    // As `HistoryConfiguration.format(of:)`, with the kind matched once per path.
    let found =
      local(path).map { DocumentFormat(path: $0, header: kind(ofLocal: $0)?.header ?? .yaml) }
      ?? DocumentFormat(path: path)
    lock.lock()
    formats[path] = found
    lock.unlock()
    return found
  }

  /// The kind of the file at `path` (relative to keel.yaml's folder) when it is a document: nil
  /// for a file keel cannot read as Markdown, YAML or JSON (`config/unreadable-documents`), even in
  /// a kind's glob.
  ///
  /// - Parameter remembering: keep the answer for the next call (false: a path asked about once).
  public func kind(ofLocal path: String, remembering: Bool = true) -> HistoryConfiguration.Kind? {
    lock.lock()
    if let known = kinds[path] {
      lock.unlock()
      return known
    }
    lock.unlock()
    let found = DocumentFormat(path: path) == nil ? nil : configuration.kind(for: path)
    guard remembering else { return found }
    lock.lock()
    kinds[path] = found
    lock.unlock()
    return found
  }

  /// The kind of the document whose latest path is `path` (repository-relative); nil when it is no document.
  public func kind(ofDocument path: String) -> HistoryConfiguration.Kind? {
    local(path).flatMap { configuration.kind(for: $0) }
  }

  /// The string fields of the version `blob` of the file at `path` (repository-relative).
  public func fields(ofBlob blob: String, at path: String, read: (String) throws -> Data) -> [String: String] {
    guard let format = format(of: path) else { return [:] }
    return scalars.fields(ofBlob: blob, path: path, format: format, read: read)
  }

  /// The workflow state of a document following `workflow` in the version `blob`, stored at `path`
  /// (repository-relative) in that version: nil without a blob (no file there), without a workflow,
  /// for a file keel cannot read, or when the field holds no string.
  public func state(
    ofBlob blob: String?, at path: String, workflow: WorkflowInfo?, read: (String) throws -> Data
  ) -> String? {
    guard let blob, let workflow else { return nil }
    return fields(ofBlob: blob, at: path, read: read)[workflow.field]
  }

  /// Reads the fields of many versions on every core; `read` reads many blobs at once
  /// (`HistorySource.readBlobs`), calling its handler from several threads at once.
  ///
  /// - Parameter kept: blobs whose bytes are wanted too (read in the same batch): returned.
  @discardableResult
  public func prefetch(
    _ versions: [(blob: String, path: String)], keeping kept: Set<String> = [],
    read: ([String], (Int, Data?) -> Void) -> Void
  ) -> [String: Data] {
    let readable = versions.compactMap { version in
      format(of: version.path).map { (blob: version.blob, path: version.path, format: $0) }
    }
    return scalars.prefetch(readable, keeping: kept, read: read)
  }
}
