import KeelCore
import KeelGit
import Testing

@testable import KeelEngine

@Suite struct FailureTests {
  @Test func everyKeelErrorEndsWithTheContractsExitCode() {
    #expect(Failure.classify(KeelError("no keel.yaml")) == .error("no keel.yaml", code: 2))
    #expect(
      Failure.classify(GitError(.unknownRevision, "unknown revision 'v9'")) == .error("unknown revision 'v9'", code: 2))
    #expect(Failure.classify(UsageError("x is outside the repository")) == .usage("x is outside the repository"))
    #expect(Failure.classify(ExitStatus.findings) == .exit(1))
    struct Unrelated: Error {}
    #expect(Failure.classify(Unrelated()) == nil)
  }
}
