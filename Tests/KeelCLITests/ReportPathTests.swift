import Foundation
import KeelTestSupport
import Testing

/// Issue 12, item 5: with keel.yaml in a subfolder of the Git repository, every machine format
/// names files from the repository root (where CI looks for them), whatever `-C` is; text names
/// them from the directory keel runs in; the baseline keeps paths relative to keel.yaml's folder.
@Suite("report paths with keel.yaml in a subfolder")
struct ReportPathTests {
  /// keel.yaml in docs/product; specs/a.md lacks an owner (line 2), specs/b.md and specs/c.md share an id.
  static func repository() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("docs/product/keel.yaml", Fixtures.keelYAML)
    try repo.write("docs/product/schemas/prd.yaml", Fixtures.prdSchema)
    try repo.write("docs/product/specs/a.md", Fixtures.specMissingOwner)
    try repo.write("docs/product/specs/b.md", "---\nid: P-1\ntitle: T\nowner: o\nstatus: draft\n---\n")
    try repo.write("docs/product/specs/c.md", "---\nid: P-1\ntitle: T\nowner: o\nstatus: draft\n---\n")
    try repo.commitAll("docs")
    return repo
  }

  @Test("JSON, GitHub annotations, JUnit and Markdown name files from the repository root, whatever -C is")
  func machineFormatsUseRepositoryPaths() throws {
    let repo = try Self.repository()
    for directory in ["docs/product", "docs/product/specs"] {
      func check(_ format: String) throws -> String {
        let result = try repo.keel(["check", "-C", directory, "--no-history", "--format", format])
        #expect(result.status == 1, "\(result.stderr)")
        return result.stdout
      }
      let json = try check("json")
      #expect(json.contains(#""path": "docs/product/specs/a.md""#), "\(json)")
      #expect(json.contains(#""path": "docs/product/specs/b.md""#), "related location: \(json)")
      #expect(!json.contains(#""path": "specs/"#), "\(json)")

      let github = try check("github")
      #expect(github.contains("::error file=docs/product/specs/a.md,line=2,col=1,title=schema/required::"), "\(github)")
      #expect(github.contains("%0Adocs/product/specs/b.md:"), "related location: \(github)")

      let junit = try check("junit")
      #expect(junit.contains(#"<testcase classname="keel" name="docs/product/specs/a.md">"#), "\(junit)")
      #expect(junit.contains(">docs/product/specs/a.md:2:1: error: "), "\(junit)")
      #expect(!junit.contains(#"name="specs/"#), "\(junit)")

      let markdown = try check("markdown")
      #expect(markdown.contains("| `docs/product/specs/a.md` | ❌ 1 error |"), "\(markdown)")
      #expect(markdown.contains("<summary><code>docs/product/specs/a.md</code>"), "\(markdown)")
    }
  }

  @Test("text names files from the directory keel runs in, as compilers do")
  func textIsRelativeToTheRunDirectory() throws {
    let repo = try Self.repository()
    let atKeel = try repo.keel(["check", "-C", "docs/product", "--no-history"])
    #expect(atKeel.stdout.contains("\nspecs/a.md:2:1: error: ") || atKeel.stdout.hasPrefix("specs/a.md:2:1: error: "))
    let inSpecs = try repo.keel(["check", "-C", "docs/product/specs", "--no-history"])
    #expect(inSpecs.stdout.hasPrefix("a.md:2:1: error: "), "\(inSpecs.stdout)")
    #expect(inSpecs.stdout.contains("\nc.md:2:5: error: ") && inSpecs.stdout.contains("\nb.md:2:5: note: "))
    // From the repository root, with keel.yaml named by --config.
    let atRoot = try repo.keel(["check", "--config", "docs/product/keel.yaml", "--no-history"])
    #expect(atRoot.stdout.hasPrefix("docs/product/specs/a.md:2:1: error: "), "\(atRoot.stdout)")
  }

  @Test("the baseline keeps paths relative to keel.yaml's folder and matches from any -C")
  func baselineStaysKeelRelative() throws {
    let repo = try Self.repository()
    #expect(try repo.keel(["baseline", "-C", "docs/product", "--no-history"]).status == 0)
    let baseline = try repo.read("docs/product/.keel-baseline.json")
    #expect(baseline.contains(#""path":"specs/a.md""#), "\(baseline)")
    #expect(!baseline.contains("docs/product/specs"), "\(baseline)")
    let inSpecs = try repo.keel(["check", "-C", "docs/product/specs", "--no-history", "--format", "sarif"])
    #expect(inSpecs.status == 0, "\(inSpecs.stdout)")
    let log = try #require(try JSONSerialization.jsonObject(with: Data(inSpecs.stdout.utf8)) as? [String: Any])
    let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
    #expect(!results.isEmpty)
    #expect(results.allSatisfy { $0["baselineState"] as? String == "unchanged" }, "\(results)")
  }
}
