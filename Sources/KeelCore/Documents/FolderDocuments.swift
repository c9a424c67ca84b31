import Foundation

/// Reading documents from a snapshot, including folder documents: a kind with an include pattern
/// ending in `/` (`keps/*/*/`) makes each matching folder one document, whose fields are its
/// `metadata` file (`kep.yaml`, read as a YAML or JSON document) and whose body is its `body`
/// file (`README.md`, read as Markdown). Such a document is known by its metadata file's path
/// (that is where its state is, what `--staged`, history and metrics follow); findings about the
/// body point into the body file (`Document.bodyPath`).
public enum DocumentFiles {
  /// The bytes of a document's files, read before parsing (Git-backed snapshots are read serially).
  public struct Contents: Sendable {
    var content: DocumentParser.Content
    /// A folder document's body file, and its bytes (nil when the folder has none).
    var bodyPath: String?
    var body: DocumentParser.Content?
  }

  /// Reads the document at `path` and, for a folder document, its body file when `paths` holds it.
  public static func read(
    _ path: String, kind: KindConfig, in snapshot: Snapshot, paths: Set<String>, limits: ParseLimits
  ) throws -> Contents {
    let content = try DocumentParser.content(of: path, in: snapshot, limits: limits)
    guard let bodyPath = kind.bodyPath(ofDocument: path) else { return Contents(content: content) }
    let body = paths.contains(bodyPath) ? try DocumentParser.content(of: bodyPath, in: snapshot, limits: limits) : nil
    return Contents(content: content, bodyPath: bodyPath, body: body)
  }

  /// Parses what `read` read: a folder document gets its body from the body file, or one
  /// `document/incomplete-folder` finding when the folder has none.
  public static func parse(
    _ path: String, kind: KindConfig, contents: Contents, blobID: String?, limits: ParseLimits
  ) -> Document {
    var document = DocumentParser.parse(
      path: path, content: contents.content, kind: kind, blobID: blobID, limits: limits)
    guard let bodyPath = contents.bodyPath, let bodyName = kind.body else { return document }
    guard let body = contents.body else {
      let folder = String(bodyPath.dropLast(bodyName.count + 1))
      document.diagnostics.append(
        ReaderRules.incompleteFolder.finding(
          "\(folder) has no \(bodyName): the body of a \(kind.name) document is in that file", path: path))
      return document
    }
    let markdown = DocumentParser.parse(
      path: bodyPath, content: body, kind: kind.name, limits: limits, format: .of(path: bodyPath))
    document.text = markdown.text
    document.body = markdown.body
    document.bodyStartLine = markdown.bodyStartLine
    document.bodyPath = bodyPath
    document.format = .folder
    // `text` is the body's now: the metadata file's comments are not read for suppressions.
    document.frontMatter?.yamlLines = 1..<1
    document.diagnostics += markdown.diagnostics
    return document
  }

  /// One `document/incomplete-folder` finding per folder of a folder kind that has no metadata
  /// file, at a file of the folder (its body file when there is one).
  ///
  /// - Parameter documents: only the folders whose metadata file is among these (`--staged` and
  ///   review mode: a changed body file names its folder's); nil: every folder.
  public static func foldersWithoutMetadata(
    config: KeelConfig, allPaths: [String], documents: Set<String>? = nil
  ) -> [Diagnostic] {
    let kinds = config.kinds.filter { !$0.folderInclude.isEmpty }
    guard !kinds.isEmpty else { return [] }
    func finding(_ folder: String, _ metadata: String, _ kind: KindConfig, at path: String) -> Diagnostic {
      ReaderRules.incompleteFolder.finding(
        "\(folder) has no \(metadata): the fields of a \(kind.name) document are in that file", path: path)
    }
    // A few documents (`--staged`, review mode): look at their folders only.
    if let documents, documents.count <= 16 {
      return documents.sorted().compactMap { document in
        guard let kind = config.kind(for: document), let folder = kind.folder(ofMetadata: document),
          let metadata = kind.metadata
        else { return nil }
        let files = allPaths.filter { $0.hasPrefix(folder + "/") }
        guard let first = files.first, !files.contains(document) else { return nil }
        let at = kind.body.map { folder + "/" + $0 }.flatMap { files.contains($0) ? $0 : nil } ?? first
        return finding(folder, metadata, kind, at: at)
      }
    }
    let present = Set(allPaths)
    var firstFile: [String: String] = [:]
    var folders: [String] = []
    for path in allPaths {
      var folder = path
      while let slash = folder.lastIndex(of: "/") {
        folder = String(folder[..<slash])
        if firstFile[folder] != nil { break }
        firstFile[folder] = path
        folders.append(folder)
      }
    }
    var diagnostics: [Diagnostic] = []
    for folder in folders {
      guard let kind = kinds.first(where: { $0.matchesFolder(folder) }), let metadata = kind.metadata,
        documents?.contains(folder + "/" + metadata) ?? true,
        config.kind(for: folder + "/" + metadata)?.name == kind.name, !present.contains(folder + "/" + metadata)
      else { continue }
      let at = kind.body.map { folder + "/" + $0 }.flatMap { present.contains($0) ? $0 : nil } ?? firstFile[folder]!
      diagnostics.append(finding(folder, metadata, kind, at: at))
    }
    return diagnostics
  }
}

extension KeelConfig {
  /// The document a path given on the command line names: a folder document's metadata file for
  /// its folder (`keps/sig-x/1234-foo` → `keps/sig-x/1234-foo/kep.yaml`), else the path itself.
  public func documentPath(for path: String) -> String {
    let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
    for kind in kinds where kind.matchesFolder(folder) {
      if let metadata = kind.metadata, self.kind(for: folder + "/" + metadata)?.name == kind.name {
        return folder + "/" + metadata
      }
    }
    return path
  }

  /// The document a changed file belongs to: the file itself when it is a document, the folder
  /// document whose body file it is, else nil.
  public func document(containing path: String) -> String? {
    kind(for: path) != nil ? path : document(ofBody: path)
  }

  /// The metadata file of the folder document whose body file `path` is; nil when it is none.
  public func document(ofBody path: String) -> String? {
    for kind in kinds where !kind.folderInclude.isEmpty {
      guard let body = kind.body, let metadata = kind.metadata, path.hasSuffix("/" + body) else { continue }
      let document = String(path.dropLast(body.count)) + metadata
      if self.kind(for: document)?.name == kind.name { return document }
    }
    return nil
  }
}
