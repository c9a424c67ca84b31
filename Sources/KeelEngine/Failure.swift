import Foundation
import KeelCore
import KeelGit

/// A mistake in how a command was called that only the engine can see (a path outside the
/// repository, a kind keel.yaml does not have). The command line reports it as it reports its own
/// usage errors, with the usage line, and exits 2.
public struct UsageError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// A command that ran to its end and asks for a non-zero exit code without a message of its own
/// (findings at error severity: 1; `schema validate`'s invalid schema, already reported: 2).
public struct ExitStatus: Error, Sendable, Equatable {
  public var code: Int32
  public init(_ code: Int32) { self.code = code }
  public static let findings = ExitStatus(1)
}

/// How a command ends when it throws: the one place where errors become exit codes.
public enum Failure: Sendable, Equatable {
  /// Print `error: MESSAGE` on stderr and exit with `code`.
  case error(String, code: Int32)
  /// A usage mistake: reported like the argument parser's own (exit 2).
  case usage(String)
  /// Exit with this code; whatever needed saying was said.
  case exit(Int32)

  /// The contract's exit codes: 2 for a usage, configuration or repository error or a refused path
  /// (`KeelError`, `GitError`, `PathRefusal`, `UsageError`), 1 for an edit that would overwrite
  /// another (`EditConflict`); nil for errors the argument parser reports itself.
  public static func classify(_ error: any Error) -> Failure? {
    switch error {
    case let error as ExitStatus: .exit(error.code)
    case let error as UsageError: .usage(error.message)
    case let error as KeelError: .error(error.description, code: 2)
    case let error as GitError: .error(KeelError(error).description, code: 2)
    case let error as PathRefusal: .error(error.description, code: 2)
    case let error as EditConflict: .error(error.description, code: 1)
    default: nil
    }
  }
}

extension KeelError {
  /// A libgit2 or repository failure, as keel reports it: its one-line message.
  init(_ error: GitError) { self.init(error.description) }
}
