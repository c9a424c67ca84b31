import Foundation
import KeelTestSupport
import Testing

/// Runs `executable` with `arguments` in `directory`; never inherits a terminal.
@discardableResult
func runProcess(
  _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
  input: String? = nil
) throws -> ProcessResult {
  var env = ProcessInfo.processInfo.environment
  env["GIT_CONFIG_GLOBAL"] = "/dev/null"
  env["GIT_CONFIG_NOSYSTEM"] = "1"
  env["GIT_AUTHOR_NAME"] = "Test Author"
  env["GIT_AUTHOR_EMAIL"] = "author@example.com"
  env["GIT_COMMITTER_NAME"] = "Test Author"
  env["GIT_COMMITTER_EMAIL"] = "author@example.com"
  env["NO_COLOR"] = "1"
  // Outside GitHub Actions whatever runs the tests: the Markdown summary links lines only when a test asks.
  for key in ["GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"] { env[key] = nil }
  for (key, value) in environment { env[key] = value }
  return try TestProcess.run(executable, arguments, in: directory, environment: env, input: input.map { Data($0.utf8) })
}

/// The `keel` executable built next to the test bundle.
let keelBinary: String = {
  let candidates = [
    Bundle.main.bundleURL.appendingPathComponent("keel"),
    Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("keel"),
    packageRoot.appendingPathComponent(".build/debug/keel"),
  ]
  for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
    return candidate.path
  }
  fatalError("keel binary not found; run 'swift build' first (looked in \(candidates.map(\.path)))")
}()

/// Runs keel with `arguments` in `directory`.
@discardableResult
func keel(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> ProcessResult {
  try runProcess(keelBinary, arguments, in: directory, environment: environment)
}

/// A Git repository in a fresh temporary folder, removed when the value is released.
final class TestRepository {
  let url: URL

  init(bare: Bool = false) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []))
  }

  /// A folder that is not a Git repository.
  init(plainFolder: Void) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Runs git in the repository; throws with git's stderr when it fails.
  @discardableResult
  func git(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let result = try runProcess("/usr/bin/git", arguments, in: url, environment: environment)
    if result.status != 0 {
      throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(result.stderr)")
    }
    return result.stdout
  }

  func write(_ path: String, _ text: String) throws {
    try write(path, Data(text.utf8))
  }

  func write(_ path: String, _ data: Data) throws {
    let file = url.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: file)
  }

  func read(_ path: String) throws -> String {
    try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8)
  }

  /// Stages everything and commits; returns the new commit id.
  @discardableResult
  func commitAll(_ message: String, date: String? = nil) throws -> String {
    try git(["add", "-A"])
    var env: [String: String] = [:]
    if let date {
      env["GIT_AUTHOR_DATE"] = date
      env["GIT_COMMITTER_DATE"] = date
    }
    try git(["commit", "-q", "--allow-empty", "-m", message], environment: env)
    return try git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Which object reader every `keel` run here uses (the history tests run under both).
  var reader = GitReader.keel

  func keel(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    try KeelCLITests.keel(
      arguments, in: url, environment: environment.merging(reader.environment) { given, _ in given })
  }
}

/// `KEEL_GIT_READER`: KeelGit's own pack reader (the default) or libgit2 for every object.
enum GitReader: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case keel, libgit2
  var environment: [String: String] { ["KEEL_GIT_READER": rawValue] }
  var testDescription: String { "KEEL_GIT_READER=\(rawValue)" }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A minimal keel repository: one `prd` kind with a schema requiring title, owner, status.
enum Fixtures {
  static let keelYAML = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.yaml
    """

  static let prdSchema = """
    type: object
    required: [title, owner, status]
    properties:
      title: {type: string}
      owner: {type: string}
      status: {enum: [draft, review, approved, shipped]}
    """

  static let validSpec = """
    ---
    title: Checkout
    owner: alice
    status: draft
    ---

    # Checkout
    """

  /// Valid except that `owner` is missing (line 2 is `title:`).
  static let specMissingOwner = """
    ---
    title: Checkout
    status: draft
    ---

    # Checkout
    """

  static func seed(_ repository: TestRepository) throws {
    try repository.write("keel.yaml", keelYAML)
    try repository.write("schemas/prd.yaml", prdSchema)
  }
}

/// The repository the reference, graph and approval tests build on: `prd` specs (`specs/*.md`, with
/// the workflow `workflows/spec.yaml`), `decision`s as YAML documents (`decisions/*.yaml`) and
/// `proposal`s as folders (`proposals/*/`, `id-field: number`). The options are what those tests
/// differ in; each writes its own schemas and documents.
struct DocumentKindsFixture {
  var people = false
  var decisionWorkflow = false
  var proposalSchema = false
  var proposalWorkflow = false

  /// A prd schema whose `owner`, `decision` and `depends-on` are references (`depends-on` acyclic).
  static let referencingPRDSchema = """
    type: object
    properties:
      owner: {type: string, x-keel-ref: person}
      decision: {type: string, x-keel-ref: decision}
      depends-on: {type: array, items: {type: string}, x-keel-ref: [prd, proposal], x-keel-ref-acyclic: true}
    """

  var config: String {
    var lines = ["version: 1"] + (people ? ["people: people.yaml"] : [])
    lines += [
      "kinds:", "  prd:", "    include: [\"specs/*.md\"]", "    schema: schemas/prd.yaml",
      "    workflow: workflows/spec.yaml",
      "  decision:", "    include: [\"decisions/*.yaml\"]", "    schema: schemas/decision.yaml",
    ]
    if decisionWorkflow { lines.append("    workflow: workflows/decision.yaml") }
    lines += ["  proposal:", "    include: [\"proposals/*/\"]", "    metadata: proposal.yaml", "    body: README.md"]
    if proposalSchema { lines.append("    schema: schemas/proposal.yaml") }
    if proposalWorkflow { lines.append("    workflow: workflows/spec.yaml") }
    return (lines + ["    id-field: number"]).joined(separator: "\n")
  }

  /// A fresh repository with keel.yaml and `workflows/spec.yaml` (field `status`, initial state
  /// `draft`; `states` and `transitions` are the flow mappings' contents).
  func repository(states: String, transitions: String) throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("keel.yaml", config)
    try repo.write(
      "workflows/spec.yaml", "field: status\ninitial: [draft]\nstates: {\(states)}\ntransitions: {\(transitions)}")
    return repo
  }
}
