import Foundation
import KeelTestSupport
import Testing

/// `scripts/check-layering.sh` (run by `make lint`): passes on the sources, and fails, naming the
/// line, when KeelCLI imports KeelGit or reaches into the engine's selection or history.
@Suite struct LayeringTests {
  let script = packageRoot.appendingPathComponent("scripts/check-layering.sh").path

  /// A copy of the command line's sources with `line` appended to `file`.
  func sources(adding line: String, to file: String) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("keel-layering-\(UUID().uuidString)")
    let cli = root.appendingPathComponent("KeelCLI")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Sources/KeelCLI"), to: cli)
    let url = cli.appendingPathComponent(file)
    try (String(contentsOf: url, encoding: .utf8) + line + "\n").write(to: url, atomically: true, encoding: .utf8)
    return root
  }

  @Test func theSourcesFollowTheLayering() throws {
    let result = try TestProcess.run("/bin/sh", [script])
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test(arguments: [
    "import KeelGit", "@testable import KeelGit", "import CLibgit2",
    "let selection = try DocumentSelection.resolve(.workingTree, in: workspace)",
    "let graph = try HistoryGraph.load(repository: repository, revision: rev)",
  ])
  func theCommandLineMayNotReachPastTheEngine(line: String) throws {
    let root = try sources(adding: line, to: "Commands/CheckCommand.swift")
    defer { try? FileManager.default.removeItem(at: root) }
    let result = try TestProcess.run("/bin/sh", [script, root.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("KeelCLI/Commands/CheckCommand.swift"), "\(result.stderr)")
    #expect(result.stderr.contains(line), "\(result.stderr)")
  }
}
