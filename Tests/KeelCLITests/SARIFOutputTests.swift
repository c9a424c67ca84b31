import Foundation
import JSONSchema
import KeelTestSupport
import Testing

@Suite("SARIF output", .needsSARIFSchema)
struct SARIFOutputTests {
  static let sarifSchema = TestData.sarifSchema.url

  @Test("keel check --format sarif validates against the SARIF 2.1.0 schema with keel's own validator")
  func sarifValidates() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    try repo.write("specs/b.md", "---\ntitle: T\nowner: o\nstatus: shiped\ntitle: again\n---\n")
    try repo.write("specs/ä b.md", "---\ntitle: T\nowner: o\nstatus: draft\n---\n")
    let result = try repo.keel(["check", "--format", "sarif"])
    #expect(result.status == 1)

    let schema = try SchemaCompiler(assertFormat: true).compile(fileAt: Self.sarifSchema)
    let log = try JSONParser.parse(Data(result.stdout.utf8))
    let errors = schema.validate(log)
    #expect(errors.isEmpty, "\(errors)")

    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let run = try #require((object["runs"] as? [[String: Any]])?.first)
    #expect(run["columnKind"] as? String == "unicodeCodePoints")
    let results = try #require(run["results"] as? [[String: Any]])
    let ruleIDs = Set(results.compactMap { $0["ruleId"] as? String })
    #expect(ruleIDs.isSuperset(of: ["schema/required", "parse/duplicate-key"]))
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let described = Set(((driver["rules"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
    #expect(ruleIDs.isSubset(of: described))
    for result in results { #expect(result["partialFingerprints"] != nil) }
  }

  @Test("with keel.yaml in a subfolder, SARIF uris are from the repository root, which originalUriBaseIds names")
  func sarifPathsFromTheRepositoryRoot() throws {
    let repo = try ReportPathTests.repository()
    let result = try repo.keel(["check", "-C", "docs/product/specs", "--no-history", "--format", "sarif"])
    #expect(result.status == 1)
    let schema = try SchemaCompiler(assertFormat: true).compile(fileAt: Self.sarifSchema)
    let errors = schema.validate(try JSONParser.parse(Data(result.stdout.utf8)))
    #expect(errors.isEmpty, "\(errors)")

    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let run = try #require((object["runs"] as? [[String: Any]])?.first)
    let base = try #require((run["originalUriBaseIds"] as? [String: Any])?["%SRCROOT%"] as? [String: Any])
    let root = try #require(base["uri"] as? String)
    #expect(root.hasPrefix("file:///") && root.hasSuffix("/"), "\(root)")
    #expect(URL(string: root)?.standardizedFileURL.path == repo.url.standardizedFileURL.path, "\(root)")
    var uris: [String] = []
    for result in try #require(run["results"] as? [[String: Any]]) {
      for key in ["locations", "relatedLocations"] {
        for location in result[key] as? [[String: Any]] ?? [] {
          let artifact = (location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any]
          #expect(artifact?["uriBaseId"] as? String == "%SRCROOT%")
          uris.append(artifact?["uri"] as? String ?? "")
        }
      }
    }
    #expect(Set(uris) == ["docs/product/specs/a.md", "docs/product/specs/b.md", "docs/product/specs/c.md"], "\(uris)")
  }

  @Test("a broken SARIF log is caught by the same check")
  func brokenLogIsCaught() throws {
    let schema = try SchemaCompiler(assertFormat: true).compile(fileAt: Self.sarifSchema)
    let broken = try JSONParser.parse(Data(#"{"version": "2.1.0", "runs": [{"results": []}]}"#.utf8))
    #expect(!schema.validate(broken).isEmpty)
  }
}
