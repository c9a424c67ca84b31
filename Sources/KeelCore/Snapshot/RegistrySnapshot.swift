import Foundation

/// A snapshot read with another snapshot's configuration (`keel check --rev` of a revision from
/// before keel.yaml was added, or `--config`): the snapshot's own files, and for a file it does not
/// have, the configuration's. So a revision older than the people registry or the glossary that
/// keel.yaml names is read with today's, while a revision that has them keeps its own.
/// Only `read` falls back: `paths()` lists the snapshot's own files (its documents, its RACI files).
public struct RegistrySnapshot: Snapshot {
  public let documents: Snapshot
  /// nil: the documents' own configuration; nothing falls back.
  public let configuration: Snapshot?

  public init(documents: Snapshot, configuration: Snapshot?) {
    self.documents = documents
    self.configuration = configuration
  }

  public var label: String { documents.label }
  public var revision: String? { documents.revision }
  public func paths() throws -> [String] { try documents.paths() }

  public func read(_ path: String) throws -> Data {
    do { return try documents.read(path) } catch let refusal as PathRefusal { throw refusal } catch {
      guard let configuration else { throw error }
      return try configuration.read(path)
    }
  }

  public func blobID(_ path: String) -> String? { documents.blobID(path) }
  public func byteCount(_ path: String) -> Int? { documents.byteCount(path) ?? configuration?.byteCount(path) }
  public var supportsConcurrentReads: Bool {
    documents.supportsConcurrentReads && (configuration?.supportsConcurrentReads ?? true)
  }
}
