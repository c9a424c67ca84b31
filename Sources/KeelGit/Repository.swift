import CLibgit2
import Foundation
import KeelCore

/// Calls `git_libgit2_init` exactly once per process (static lets are initialised thread-safely).
enum LibGit2 {
  private static let initialization: Int32 = git_libgit2_init()
  static func initialize() { _ = initialization }
}

/// An open Git repository. Owns the `git_repository` handle and frees it in `deinit`.
///
/// libgit2 objects are not thread-safe, so every call into libgit2 goes through an
/// internal lock: the type is safe to share, but calls are serialised.
public final class Repository: @unchecked Sendable {
  /// The `git_repository *`; use only inside `withLock`.
  let handle: OpaquePointer
  /// The object database, kept open for fast blob reads.
  let objectDatabase: OpaquePointer
  private let lock = NSRecursiveLock()
  private var openedPacks: PackSet?
  private var openedPackReader: PackReader?

  public let isBare: Bool
  /// The root of the working tree; nil for a bare repository.
  public let workingDirectory: URL?
  /// The repository's own Git directory (`.git`, `.git/worktrees/NAME` for a linked worktree, or the bare directory).
  public let gitDirectory: URL
  /// The directory shared by all worktrees (objects, refs, config, hooks); equals `gitDirectory` outside worktrees.
  public let commonDirectory: URL
  /// True when this is a linked worktree (`git worktree add`).
  public let isLinkedWorktree: Bool
  /// The index file that holds the staged content: `$GIT_INDEX_FILE` when it is set (as git does
  /// while running hooks for `git commit -a` or `git commit PATH`), else `<gitDirectory>/index`.
  public let indexFile: URL
  /// False with `KEEL_GIT_READER=libgit2`: every object is read through libgit2, none by KeelGit's
  /// own pack and loose-object reader (`KEEL_GIT_READER=keel`, the default).
  let readsObjectsItself: Bool

  /// Opens the repository that contains `path` (a working tree, any folder inside it, a bare
  /// repository, or a linked worktree), walking up like `git` does.
  public static func discover(
    from path: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(GitError) -> Repository {
    try Repository(opening: path, searchParents: true, environment: environment)
  }

  public static func discover(
    from url: URL, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(GitError) -> Repository {
    try discover(from: url.path, environment: environment)
  }

  /// Opens the repository at exactly `path` (its working tree root, its `.git` directory or a bare repository).
  public convenience init(
    path: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(GitError) {
    try self.init(opening: path, searchParents: false, environment: environment)
  }

  private init(opening path: String, searchParents: Bool, environment: [String: String]) throws(GitError) {
    LibGit2.initialize()
    switch environment["KEEL_GIT_READER"] ?? "" {
    case "", "keel": readsObjectsItself = true
    case "libgit2": readsObjectsItself = false
    case let other:
      throw GitError(.other, "KEEL_GIT_READER is \(other.debugDescription): use 'keel' (the default) or 'libgit2'")
    }
    let absolutePath = URL(fileURLWithPath: path).standardizedFileURL.path
    var repository: OpaquePointer?
    let flags: UInt32 = searchParents ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
    let code = git_repository_open_ext(&repository, absolutePath, flags, nil)
    guard code == 0, let repository else {
      let underlying = GitError.fromLastError(code: code, operation: "cannot open repository at \(absolutePath)")
      switch code {
      case GIT_ENOTFOUND.rawValue:
        let scope = searchParents ? " (or any of the parent directories)" : ""
        throw GitError(
          .notARepository, "not a git repository\(scope): \(absolutePath)", code: code,
          errorClass: underlying.errorClass, libgit2Message: underlying.libgit2Message)
      case GIT_EOWNER.rawValue:
        throw GitError(
          .notOwned,
          "repository at \(absolutePath) is owned by someone else; "
            + "to trust it, run 'git config --global --add safe.directory <path>'",
          code: code, errorClass: underlying.errorClass, libgit2Message: underlying.libgit2Message)
      default:
        throw underlying
      }
    }
    var database: OpaquePointer?
    let odbCode = git_repository_odb(&database, repository)
    guard odbCode == 0, let database else {
      let error = GitError.fromLastError(code: odbCode, operation: "cannot open the object database")
      git_repository_free(repository)
      throw error
    }
    handle = repository
    objectDatabase = database
    isBare = git_repository_is_bare(repository) == 1
    isLinkedWorktree = git_repository_is_worktree(repository) == 1
    workingDirectory = git_repository_workdir(repository).map {
      URL(fileURLWithPath: String(cString: $0), isDirectory: true).standardizedFileURL
    }
    let gitDirectory = URL(fileURLWithPath: String(cString: git_repository_path(repository)), isDirectory: true)
      .standardizedFileURL
    self.gitDirectory = gitDirectory
    commonDirectory =
      URL(fileURLWithPath: String(cString: git_repository_commondir(repository)), isDirectory: true)
      .standardizedFileURL
    if let override = environment["GIT_INDEX_FILE"], !override.isEmpty {
      indexFile = URL(fileURLWithPath: override).standardizedFileURL
    } else {
      indexFile = gitDirectory.appendingPathComponent("index", isDirectory: false)
    }
  }

  deinit {
    git_odb_free(objectDatabase)
    git_repository_free(handle)
  }

  /// The packs of the object database, mapped on first use and shared with helper threads.
  var packSet: PackSet {
    withLock {
      if let openedPacks { return openedPacks }
      let packs = PackSet(
        objectsDirectory: commonDirectory.appendingPathComponent("objects"), enabled: readsObjectsItself)
      openedPacks = packs
      return packs
    }
  }

  /// This repository's reader of packed objects; use only inside `withLock`.
  var packReader: PackReader {
    if let openedPackReader { return openedPackReader }
    let reader = PackReader(packs: packSet)
    openedPackReader = reader
    return reader
  }

  /// Runs `body` while holding the repository lock; every libgit2 call must go through here.
  func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  // MARK: - State

  /// True for a shallow clone (`git clone --depth N`): history stops at the shallow boundary.
  public var isShallow: Bool { withLock { git_repository_is_shallow(handle) == 1 } }

  /// True when HEAD points at a branch that has no commit yet (a new repository).
  public var isHeadUnborn: Bool { withLock { git_repository_head_unborn(handle) == 1 } }

  /// True when HEAD points directly at a commit instead of a branch.
  public var isHeadDetached: Bool { withLock { git_repository_head_detached(handle) == 1 } }

  /// The commit HEAD points at; nil on an unborn HEAD.
  public var headCommitID: String? {
    withLock {
      var oid = git_oid()
      guard git_reference_name_to_id(&oid, handle, "HEAD") == 0 else { return nil }
      return ObjectID(oid).hex
    }
  }

  /// The short name of the branch HEAD is on (also when it is unborn); nil when detached.
  public var currentBranch: String? {
    withLock {
      var reference: OpaquePointer?
      guard git_reference_lookup(&reference, handle, "HEAD") == 0, let reference else { return nil }
      defer { git_reference_free(reference) }
      guard let target = git_reference_symbolic_target(reference) else { return nil }
      let name = String(cString: target)
      return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
    }
  }

  /// The commits at which a shallow clone's history was cut (from `<commonDirectory>/shallow`).
  public var shallowBoundaryIDs: Set<String> {
    let file = commonDirectory.appendingPathComponent("shallow")
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
    return Set(text.split(whereSeparator: \.isNewline).map(String.init))
  }

  // MARK: - Configuration and hooks

  /// A configuration value as git would see it for this repository (local, global, system); nil if unset.
  public func configString(_ key: String) -> String? {
    withLock {
      var config: OpaquePointer?
      guard git_repository_config_snapshot(&config, handle) == 0, let config else { return nil }
      defer { git_config_free(config) }
      var buffer = git_buf()
      defer { git_buf_dispose(&buffer) }
      guard git_config_get_string_buf(&buffer, config, key) == 0, let pointer = buffer.ptr else { return nil }
      return String(cString: pointer)
    }
  }

  /// Where git looks for hooks: `core.hooksPath` when set (relative to the working tree root, or to
  /// the Git directory of a bare repository, where git runs hooks; `~/` expanded), else `<commonDirectory>/hooks`.
  public var hooksDirectory: URL {
    guard let configured = configString("core.hooksPath"), !configured.isEmpty else {
      return commonDirectory.appendingPathComponent("hooks", isDirectory: true)
    }
    var path = configured
    if path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
      path = home + path.dropFirst()
    }
    if path.hasPrefix("/") { return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL }
    let base = workingDirectory ?? gitDirectory
    return base.appendingPathComponent(path, isDirectory: true).standardizedFileURL
  }

  // MARK: - Objects

  /// True when the object database has the object (without rescanning the packs); use only inside
  /// `withLock`.
  func hasObject(hex id: String) -> Bool {
    guard let objectID = ObjectID(hex: id) else { return false }
    return objectID.withPointer {
      git_odb_exists_ext(objectDatabase, $0, UInt32(GIT_ODB_LOOKUP_NO_REFRESH.rawValue)) == 1
    }
  }

  /// Reads a blob named by its 40-digit hex id (as history records keep them).
  func readBlob(hex id: String) throws -> Data {
    guard let objectID = ObjectID(hex: id) else { throw KeelError("invalid blob id \(id)") }
    return try readBlob(objectID, path: id)
  }

  /// Reads many blobs at once (`PackBatch`: each delta of their chains inflated once, on every
  /// core), calling `body` once per id, from several threads at once and in no particular order,
  /// with the blob's bytes (valid only during the call) or nil when it cannot be read (missing, not a
  /// blob, damaged: `readBlob` says why). Ids the packs cannot give are read one by one.
  func readBlobs(hexIDs: [String], _ body: (Int, Data?) -> Void) {
    var parsed: [ObjectID] = []
    var positions: [Int] = []
    parsed.reserveCapacity(hexIDs.count)
    positions.reserveCapacity(hexIDs.count)
    for (index, hex) in hexIDs.enumerated() {
      if let id = ObjectID(hex: hex) {
        parsed.append(id)
        positions.append(index)
      } else {
        body(index, nil)
      }
    }
    readBlobs(parsed) { index, bytes in
      guard let bytes else { return body(positions[index], nil) }
      guard let base = bytes.baseAddress, !bytes.isEmpty else { return body(positions[index], Data()) }
      // No copy: the bytes live until `body` returns, which is all `body` may rely on.
      body(
        positions[index],
        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none))
    }
  }

  func readBlobs(_ ids: [ObjectID], _ body: (Int, UnsafeRawBufferPointer?) -> Void) {
    let packs = packSet
    let threads = min(ProcessInfo.processInfo.activeProcessorCount, 4)
    // An object that is no blob is refused, and left to `readBlob`, which says so.
    let leftover = PackBatch.read(ids, packs: packs, threads: threads) { index, object in
      guard object.kind == .blob else { return false }
      body(index, object.bytes)
      return true
    }
    for index in leftover {
      guard let data = try? readBlob(ids[index], path: ids[index].hex) else {
        body(index, nil)
        continue
      }
      data.withUnsafeBytes { body(index, $0) }
    }
  }

  /// An object's size from its header (a delta's result size), without
  /// reading its content: how a snapshot refuses an 8 GB blob before reading it.
  func blobSize(_ id: ObjectID) -> Int? {
    withLock {
      if let size = packReader.objectSize(id) { return size }
      var size = 0
      var type = GIT_OBJECT_INVALID
      let code = id.withPointer { git_odb_read_header(&size, &type, objectDatabase, $0) }
      return code == 0 ? size : nil
    }
  }

  /// Reads a blob's bytes from the object database.
  func readBlob(_ id: ObjectID, path: String) throws(GitError) -> Data {
    try withLock { () throws(GitError) -> Data in
      if let packed = packReader.object(id) {
        guard packed.kind == .blob else { throw GitError(.wrongObjectType, "\(path) (object \(id.hex)) is not a blob") }
        return Data(packed.bytes)
      }
      var object: OpaquePointer?
      let code = id.withPointer { git_odb_read(&object, objectDatabase, $0) }
      guard code == 0, let object else {
        throw GitError.fromLastError(code: code, operation: "cannot read \(path) (blob \(id.hex))")
      }
      defer { git_odb_object_free(object) }
      guard git_odb_object_type(object) == GIT_OBJECT_BLOB else {
        throw GitError(.wrongObjectType, "\(path) (object \(id.hex)) is not a blob")
      }
      let size = git_odb_object_size(object)
      guard size > 0, let bytes = git_odb_object_data(object) else { return Data() }
      return Data(bytes: bytes, count: size)
    }
  }
}
