import Foundation
import JSONSchema
import KeelTestSupport
import Testing

/// `keel check --format json` against the published schema, and the Markdown summary's links,
/// on real repositories.
@Suite("keel check output for CI")
struct CheckOutputTests {
  static let outputSchema = packageRoot.appendingPathComponent("schemas/keel-check-output.schema.json")

  static func validate(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let schema = try SchemaCompiler(assertFormat: true).compile(fileAt: outputSchema)
    let errors = schema.validate(try JSONParser.parse(Data(output.utf8)))
    #expect(errors.isEmpty, "\(errors)\n\(output)", sourceLocation: sourceLocation)
  }

  @Test("JSON output validates against schemas/keel-check-output.schema.json: plain, baseline, review mode")
  func jsonOutputMatchesThePublishedSchema() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    try repo.write("specs/b.md", "---\nid: P-1\ntitle: T\nowner: o\nstatus: shiped\n---\n")
    try repo.write("specs/c.md", "---\nid: P-1\ntitle: T\nowner: o\nstatus: draft\n---\n")
    try repo.write(
      "specs/d.md", "---\ntitle: T\nowner: o\nstatus: shiped  # keel-disable-line schema/enum -- kept\n---\n")
    let plain = try repo.keel(["check", "--no-history", "--format", "json"])
    #expect(plain.status == 1)
    try Self.validate(plain.stdout)
    // The duplicate id has a related location; the suppressed finding is counted.
    #expect(plain.stdout.contains("\"related\": [\n"), "\(plain.stdout)")
    #expect(plain.stdout.contains("\"suppressed\": 1"))
    #expect(plain.stdout.contains("\"documents\": null"))

    #expect(try repo.keel(["baseline", "--no-history"]).status == 0)
    try repo.write("specs/a.md", Fixtures.validSpec)
    let baselined = try repo.keel(["check", "--no-history", "--format", "json"])
    #expect(baselined.status == 0, "\(baselined.stdout)")
    try Self.validate(baselined.stdout)
    #expect(baselined.stdout.contains("\"gone\": 1"))

    try repo.git(["add", "-A"])
    try repo.git(["commit", "-q", "-m", "base"])
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("specs/a.md", Fixtures.validSpec.replacingOccurrences(of: "draft", with: "review"))
    try repo.write("specs/e.md", Fixtures.specMissingOwner)
    try repo.git(["rm", "-q", "specs/c.md"])
    try repo.git(["add", "-A"])
    try repo.git(["commit", "-q", "-m", "feature"])
    let review = try repo.keel(["check", "--base", "main", "--head", "feature", "--format", "json"])
    #expect(review.status == 1)
    try Self.validate(review.stdout)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(review.stdout.utf8)) as? [String: Any])
    let documents = try #require(object["documents"] as? [[String: Any]])
    #expect(documents.count >= 2)
    for document in documents { #expect(document.keys.count == 6, "\(document)") }
  }

  @Test("the Markdown summary links lines to the commit GitHub Actions names, under keel.yaml's folder")
  func markdownLinksFromTheEnvironment() throws {
    let repo = try TestRepository()
    try repo.write("docs/product/keel.yaml", Fixtures.keelYAML)
    try repo.write("docs/product/schemas/prd.yaml", Fixtures.prdSchema)
    try repo.write("docs/product/specs/a.md", Fixtures.specMissingOwner)
    let sha = try repo.commitAll("docs")
    let environment = [
      "GITHUB_SERVER_URL": "https://github.example.com", "GITHUB_REPOSITORY": "acme/docs", "GITHUB_SHA": sha,
    ]
    let linked = try repo.keel(
      ["check", "-C", "docs/product", "--no-history", "--format", "markdown"], environment: environment)
    #expect(linked.status == 1)
    let url = "https://github.example.com/acme/docs/blob/\(sha)/docs/product/specs/a.md"
    #expect(linked.stdout.contains("| [2](\(url)#L2) | ❌ error | `schema/required` |"), "\(linked.stdout)")
    #expect(linked.stdout.contains("<details><summary><code>docs/product/specs/a.md</code>: 1 error</summary>"))

    let plain = try repo.keel(["check", "-C", "docs/product", "--no-history", "--format", "markdown"])
    #expect(plain.stdout.contains("| 2 | ❌ error | `schema/required` |"), "\(plain.stdout)")
    var broken = environment
    broken["GITHUB_SHA"] = "not a sha"
    let refused = try repo.keel(
      ["check", "-C", "docs/product", "--no-history", "--format", "markdown"], environment: broken)
    #expect(!refused.stdout.contains("https://"))
  }
}
