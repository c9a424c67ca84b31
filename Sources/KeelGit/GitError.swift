import CLibgit2

/// A failure reported by libgit2 (or detected by Keel about the repository
/// itself). The CLI prints `description` on one line and exits 2.
public struct GitError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, for callers that react to specific cases.
  public enum Kind: String, Sendable, Hashable {
    case notARepository
    case notOwned
    case unknownRevision
    case ambiguousRevision
    case unbornHead
    case shallowHistory
    case bareRepository
    case notFound
    case wrongObjectType
    case other
  }

  public let kind: Kind
  /// A one-line, user-facing explanation.
  public let message: String
  /// The libgit2 return code (`GIT_ENOTFOUND` is -3, …); 0 when Keel detected the problem itself.
  public let code: Int32
  /// The libgit2 error class (`git_error_t`); 0 when none was set.
  public let errorClass: Int32
  /// libgit2's own message, when it gave one.
  public let libgit2Message: String?

  public init(
    _ kind: Kind, _ message: String, code: Int32 = 0, errorClass: Int32 = 0, libgit2Message: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.code = code
    self.errorClass = errorClass
    self.libgit2Message = libgit2Message
  }

  public var description: String { message }

  /// Builds an error from `git_error_last()`; call it right after the failing call,
  /// on the same thread, before any other libgit2 call can overwrite the error.
  static func fromLastError(code: Int32, operation: String, kind: Kind? = nil) -> GitError {
    var lastMessage: String?
    var lastClass: Int32 = 0
    if let last = git_error_last() {
      lastClass = last.pointee.klass
      if let text = last.pointee.message { lastMessage = String(cString: text) }
    }
    let resolvedKind =
      kind
      ?? {
        switch code {
        case GIT_ENOTFOUND.rawValue: .notFound
        case GIT_EOWNER.rawValue: .notOwned
        case GIT_EUNBORNBRANCH.rawValue: .unbornHead
        case GIT_EAMBIGUOUS.rawValue: .ambiguousRevision
        default: .other
        }
      }()
    let detail = lastMessage.map { ": \($0)" } ?? " (libgit2 error \(code))"
    return GitError(
      resolvedKind, operation + detail, code: code, errorClass: lastClass, libgit2Message: lastMessage)
  }

  static let unbornHeadMessage = "HEAD has no commits yet"
}

/// Throws a `GitError` built from `git_error_last()` when `code` is negative.
@discardableResult
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(GitError) -> Int32 {
  if code < 0 { throw GitError.fromLastError(code: code, operation: operation()) }
  return code
}
