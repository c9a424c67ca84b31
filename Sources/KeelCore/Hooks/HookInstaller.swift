import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Installs and removes keel's Git hooks in a hooks directory (the CLI resolves
/// it: `core.hooksPath`, or `hooks` in the Git directory).
///
/// It never clobbers a hook it did not write: a hook that is already there is
/// kept under `<hook>.keel-chained` and keel's hook runs it first (with the
/// same arguments and standard input; if it fails, the commit fails).
/// `uninstall` puts it back exactly as it was: it is the same file, moved.
public struct HookInstaller: Sendable {
  public enum InstallResult: Sendable, Equatable {
    /// There was no hook; keel's is in place.
    case installed
    /// The hook that was there now runs first, from `previous`.
    case chained(previous: URL)
    /// An older or different keel hook was replaced by the current one.
    case updated
    /// The current keel hook was already installed; nothing changed.
    case alreadyInstalled
  }

  public enum UninstallResult: Sendable, Equatable {
    /// Keel's hook was removed; there was none before it.
    case removed
    /// The hook that was there before keel's is back at `hook`.
    case restored(hook: URL)
    /// Keel's hook was not installed; nothing changed.
    case notInstalled
  }

  /// The hooks keel provides, and the keel arguments each runs.
  public static let supportedHooks: [String: [String]] = ["pre-commit": ["check", "--staged"]]
  /// The line that marks a hook file as written by keel.
  static let markerPrefix = "# keel-hook: "

  public let hooksDirectory: URL
  /// How the hook finds keel when `$KEEL` is not set: a path (tried first,
  /// then `keel` on PATH) or a command name looked up on PATH.
  public let keelCommand: String

  public init(hooksDirectory: URL, keelCommand: String = "keel") {
    self.hooksDirectory = hooksDirectory
    self.keelCommand = keelCommand
  }

  /// Where the previous hook is kept while keel's is installed.
  public static func chainedName(for hook: String) -> String { hook + ".keel-chained" }

  public func hookURL(_ hook: String) -> URL { hooksDirectory.appendingPathComponent(hook) }
  public func chainedURL(_ hook: String) -> URL { hooksDirectory.appendingPathComponent(Self.chainedName(for: hook)) }

  public func install(hook: String = "pre-commit") throws -> InstallResult {
    let script = Data(try self.script(for: hook).utf8)
    let hookPath = hookURL(hook).path
    let chainedPath = chainedURL(hook).path
    do {
      try FileManager.default.createDirectory(at: hooksDirectory, withIntermediateDirectories: true)
    } catch {
      throw KeelError("cannot create the hooks directory \(hooksDirectory.path): \(error.localizedDescription)")
    }

    switch try Self.entry(at: hookPath) {
    case .missing:
      try AtomicFile.write(script, to: hookURL(hook), permissions: 0o755, followingSymbolicLinks: false)
      // A hook kept by an earlier install whose keel hook was deleted by hand runs again.
      return try Self.entry(at: chainedPath) == .missing ? .installed : .chained(previous: chainedURL(hook))
    case .directory:
      throw KeelError("cannot install the \(hook) hook: \(hookPath) is a directory")
    case .file(let isOurs, let isExecutable):
      if isOurs {
        if isExecutable, FileManager.default.contents(atPath: hookPath) == script { return .alreadyInstalled }
        try AtomicFile.write(script, to: hookURL(hook), permissions: 0o755, followingSymbolicLinks: false)
        return .updated
      }
      guard try Self.entry(at: chainedPath) == .missing else {
        throw KeelError(
          "cannot install the \(hook) hook: \(hookPath) is not keel's and \(chainedPath) already exists; "
            + "move one of them away first")
      }
      try keepAndReplace(hook: hookPath, keepingAt: chainedPath, with: script)
      return .chained(previous: chainedURL(hook))
    }
  }

  @discardableResult
  public func uninstall(hook: String = "pre-commit") throws -> UninstallResult {
    _ = try script(for: hook)  // rejects hooks keel does not provide
    let hookPath = hookURL(hook).path
    let chainedPath = chainedURL(hook).path
    let hasChained = try Self.entry(at: chainedPath) != .missing
    switch try Self.entry(at: hookPath) {
    case .file(isOurs: true, _):
      if hasChained {
        try Self.rename(chainedPath, to: hookPath)
        return .restored(hook: hookURL(hook))
      }
      guard unlink(hookPath) == 0 else { throw Self.failure("cannot remove \(hookPath)") }
      return .removed
    case .missing where hasChained:
      try Self.rename(chainedPath, to: hookPath)
      return .restored(hook: hookURL(hook))
    default:
      return .notInstalled
    }
  }

  /// The hook script keel installs for `hook`.
  public func script(for hook: String) throws -> String {
    guard let arguments = Self.supportedHooks[hook] else {
      let known = Self.supportedHooks.keys.sorted().joined(separator: ", ")
      throw KeelError("keel has no \(hook) hook (it provides: \(known))")
    }
    let keelArguments = arguments.map(Self.shellQuoted).joined(separator: " ")
    let chained = Self.shellQuoted(Self.chainedName(for: hook))
    let lookup: String
    if keelCommand.contains("/") {
      lookup = """
          if [ -x \(Self.shellQuoted(keelCommand)) ]; then
            keel=\(Self.shellQuoted(keelCommand))
          elif command -v keel >/dev/null 2>&1; then
            keel=keel
          fi
        """
    } else {
      lookup = """
          if command -v \(Self.shellQuoted(keelCommand)) >/dev/null 2>&1; then
            keel=\(Self.shellQuoted(keelCommand))
          fi
        """
    }
    return """
      #!/bin/sh
      \(Self.markerPrefix)\(hook) v1
      # Installed by `keel hooks install`; `keel hooks uninstall` removes it and
      # puts back the hook that was here before, if there was one.

      # The hook that was here before keel's runs first, with the same arguments
      # and standard input; when it fails, so does this hook. Like Git, skip it
      # when it is not executable.
      chained="$(dirname -- "$0")"/\(chained)
      if [ -f "$chained" ] && [ -x "$chained" ]; then
        "$chained" "$@" || exit $?
      fi

      keel=${KEEL:-}
      if [ -z "$keel" ]; then
      \(lookup)
      fi
      if [ -z "$keel" ]; then
        echo "keel: command not found, so the documents cannot be checked." >&2
        echo "Install keel (see its README: build it with 'swift build -c release' and put" >&2
        echo ".build/release/keel on your PATH), or set KEEL to the path of the keel binary." >&2
        echo "To commit without the check this once: git commit --no-verify" >&2
        exit 1
      fi
      exec "$keel" \(keelArguments)

      """
  }

  // MARK: - File operations

  private enum Entry: Equatable {
    case missing
    case directory
    /// A file or a symbolic link (a link is never keel's: keel writes files).
    case file(isOurs: Bool, isExecutable: Bool)
  }

  private static func entry(at path: String) throws -> Entry {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT || errno == ENOTDIR { return .missing }
      throw failure("cannot inspect \(path)")
    }
    let type = info.st_mode & S_IFMT
    if type == S_IFDIR { return .directory }
    guard type == S_IFREG else { return .file(isOurs: false, isExecutable: false) }
    return .file(isOurs: isKeelHook(path), isExecutable: access(path, X_OK) == 0)
  }

  /// Keel's hooks carry the marker on their second line.
  private static func isKeelHook(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 512)) ?? Data()
    let lines = String(decoding: head, as: UTF8.self).split(
      separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
    return lines.count > 1 && lines[1].hasPrefix(markerPrefix)
  }

  /// Keeps the existing hook at `keepingAt` and puts `script` at `hook`, so that
  /// at every moment some hook is in place. The existing hook is hard-linked
  /// (same file: same bytes, mode and inode) and then replaced atomically; on a
  /// file system without hard links it is renamed instead.
  private func keepAndReplace(hook: String, keepingAt kept: String, with script: Data) throws {
    let linked = linkat(AT_FDCWD, hook, AT_FDCWD, kept, 0) == 0
    if !linked { try Self.rename(hook, to: kept) }
    do {
      try AtomicFile.write(script, to: URL(fileURLWithPath: hook), permissions: 0o755, followingSymbolicLinks: false)
    } catch {
      if linked { unlink(kept) } else { try? Self.rename(kept, to: hook) }
      throw error
    }
  }

  private static func rename(_ source: String, to destination: String) throws {
    #if canImport(Glibc)
      let result = Glibc.rename(source, destination)
    #else
      let result = Darwin.rename(source, destination)
    #endif
    guard result == 0 else { throw failure("cannot move \(source) to \(destination)") }
  }

  /// `'…'` with embedded single quotes as `'\''`: safe for any text in sh.
  static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  private static func failure(_ message: String) -> KeelError {
    KeelError("\(message): \(String(cString: strerror(errno)))")
  }
}
