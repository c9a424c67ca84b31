import Foundation
import Testing

/// Adopting keel on an existing history: revisions from before keel.yaml was added are read with
/// HEAD's configuration (with a note saying so), or with `--config FILE`, never refused (issue 10, item 4).
@Suite("adoption: revisions from before keel.yaml")
struct PreAdoptionRevisionTests {
  static let keelYAML = """
    version: 1
    people: people.yaml
    kinds:
      prd:
        include: ["specs/**/*.md"]
        schema: schemas/prd.yaml
        workflow: workflows/spec.yaml
    """

  static let people = """
    people:
      - {id: alice, name: Alice}
    """

  /// Two documents written in January, three commits, keel.yaml only in the last one.
  static func makeRepository() throws -> (TestRepository, root: String) {
    let repository = try TestRepository()
    try repository.write("specs/checkout.md", HistoryFixtures.spec("Checkout", "draft"))
    try repository.write("specs/basket.md", HistoryFixtures.spec("Basket", "draft", owner: ""))
    let root = try repository.commitAll("Add checkout and basket", date: HistoryFixtures.date(1))
    try repository.git(["tag", "v0.1"])
    try repository.write("specs/checkout.md", HistoryFixtures.spec("Checkout", "review"))
    try repository.commitAll("Checkout to review", date: HistoryFixtures.date(2))
    try repository.git(["tag", "v0.2"])
    try repository.write("keel.yaml", keelYAML)
    try repository.write("schemas/prd.yaml", Fixtures.prdSchema)
    try repository.write("workflows/spec.yaml", HistoryFixtures.workflow)
    try repository.write("people.yaml", people)
    try repository.write("specs/basket.md", HistoryFixtures.spec("Basket", "draft"))
    try repository.commitAll("Adopt keel", date: HistoryFixtures.date(3))
    return (repository, root)
  }

  @Test func checkOfAnOlderRevisionUsesHEADsConfigurationAndSaysSo() throws {
    let (repository, _) = try Self.makeRepository()
    let old = try repository.keel(["check", "--rev", "v0.1", "--now", "2024-01-05"])
    // basket.md had an empty owner then: a real finding, from HEAD's schema.
    #expect(old.status == 1, "\(old.stdout)\(old.stderr)")
    #expect(old.stdout.contains("specs/basket.md"))
    #expect(old.stderr.contains("v0.1 ("))
    #expect(old.stderr.contains("has no keel.yaml; reading it with HEAD ("))
    #expect(old.stderr.components(separatedBy: "\n").filter { $0.contains("note:") }.count == 1)
    #expect(!old.stderr.contains("run 'keel init'"))

    let current = try repository.keel(["check", "--rev", "HEAD", "--no-history"])
    #expect(current.status == 0, "\(current.stdout)\(current.stderr)")
    #expect(!current.stderr.contains("note:"))

    // Review mode over a range from before adoption: the head is read with HEAD's configuration.
    let review = try repository.keel(["check", "--base", "v0.1", "--head", "v0.2", "--format", "json"])
    #expect([0, 1].contains(review.status), "\(review.stdout)\(review.stderr)")
    #expect(review.stderr.contains("v0.2 ("))
    #expect(review.stdout.contains("specs/checkout.md"))

    // The same in a bare clone (no working tree: HEAD's configuration).
    let bare = try TestRepository(plainFolder: ())
    let bareDirectory = bare.url.appendingPathComponent("r.git")
    try runProcess("/usr/bin/git", ["clone", "-q", "--bare", repository.url.path, bareDirectory.path])
    let inBare = try keel(["check", "--rev", "v0.1", "--no-history"], in: bareDirectory)
    #expect(inBare.status == 1, "\(inBare.stdout)\(inBare.stderr)")
    #expect(inBare.stderr.contains("reading it with HEAD ("))
  }

  @Test func changelogMetricsHistoryAndExportOfARangeFromBeforeAdoption() throws {
    let (repository, root) = try Self.makeRepository()
    let changelog = try repository.keel(["changelog", "--since", root, "--until", "v0.2", "--format", "json"])
    #expect(changelog.status == 0, "\(changelog.stdout)\(changelog.stderr)")
    #expect(changelog.stdout.contains("specs/checkout.md"))
    #expect(changelog.stdout.contains("\"review\""))
    #expect(changelog.stderr.contains("v0.2 (") && changelog.stderr.contains("reading it with HEAD ("))

    let metrics = try repository.keel(["metrics", "--rev", "v0.2", "--now", "2024-01-05", "--format", "json"])
    #expect(metrics.status == 0, "\(metrics.stdout)\(metrics.stderr)")
    #expect(metrics.stdout.contains("draft"))
    #expect(metrics.stdout.contains("review"))

    let history = try repository.keel(["history", "specs/checkout.md", "--rev", "v0.2", "--format", "json"])
    #expect(history.status == 0, "\(history.stdout)\(history.stderr)")
    #expect(history.stdout.contains("\"to\":\"review\"") || history.stdout.contains("\"to\": \"review\""))

    let export = try repository.keel(["export", "raci", "--at", "v0.1", "--format", "json"])
    #expect(export.status == 0, "\(export.stdout)\(export.stderr)")
    #expect(export.stderr.contains("has no keel.yaml"))
  }

  @Test func configFileAppliesToEveryRevision() throws {
    let (repository, _) = try Self.makeRepository()
    // A stricter keel.yaml next to the real one: every spec needs a `reviewers` field.
    try repository.write(
      "strict.yaml", Self.keelYAML.replacingOccurrences(of: "schemas/prd.yaml", with: "strict/prd.yaml"))
    try repository.write(
      "strict/prd.yaml", Fixtures.prdSchema.replacingOccurrences(of: "[title, owner, status]", with: "[reviewers]"))
    for arguments in [["check", "--rev", "v0.2"], ["check", "--rev", "HEAD"], ["check"]] {
      let result = try repository.keel(arguments + ["--no-history", "--config", "strict.yaml"])
      #expect(result.status == 1, "\(arguments) \(result.stdout)\(result.stderr)")
      #expect(result.stdout.contains("reviewers"))
      #expect(result.stdout.contains("[schema/required]"))
      #expect(!result.stderr.contains("note:"))
    }
    let changelog = try repository.keel(["changelog", "--until", "v0.2", "--config", "strict.yaml"])
    #expect(changelog.status == 0, "\(changelog.stderr)")
    #expect(!changelog.stderr.contains("note:"))

    let missing = try repository.keel(["check", "--config", "nowhere.yaml"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("--config nowhere.yaml: no such file"))
  }

  @Test func withoutAnyKeelYAMLItIsStillAConfigurationError() throws {
    let repository = try TestRepository()
    try repository.write("specs/a.md", Fixtures.validSpec)
    try repository.commitAll("first")
    let result = try repository.keel(["check", "--rev", "HEAD"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("no keel.yaml found"))
    let changelog = try repository.keel(["changelog"])
    #expect(changelog.status == 2)
  }
}
