import Testing

@testable import KeelCore

/// `ReportPaths`: one implementation of how every reporter shows a path.
@Suite struct ReportPathsTests {
  @Test("machine formats: keel.yaml's folder in front, whatever -C is")
  func repositoryPaths() {
    let paths = ReportPaths(
      repositoryPrefix: "docs/product", keelFolder: "/r/docs/product", runDirectory: "/r/docs/product/specs")
    #expect(paths.repository("specs/a.md") == "docs/product/specs/a.md")
    #expect(ReportPaths(repositoryPrefix: "docs/product/").repository("keel.yaml") == "docs/product/keel.yaml")
    #expect(ReportPaths().repository("specs/a.md") == "specs/a.md")
  }

  @Test(
    "text: relative to the directory keel runs in",
    arguments: [
      ("/r/docs/product", "specs/a.md", "specs/a.md"),
      ("/r/docs/product/specs", "specs/a.md", "a.md"),
      ("/r/docs/product/specs", "raci/x.yaml", "../raci/x.yaml"),
      ("/r/docs/product/specs/deep", "specs/a.md", "../a.md"),
      ("/r", "specs/a.md", "docs/product/specs/a.md"),
      ("/r/other", "specs/a.md", "../docs/product/specs/a.md"),
      ("/r/docs/product/specs", "specs", "../specs"),
    ])
  func localPaths(run: String, path: String, shown: String) {
    let paths = ReportPaths(repositoryPrefix: "docs/product", keelFolder: "/r/docs/product", runDirectory: run)
    #expect(paths.local(path) == shown)
  }

  @Test("every reporter shows paths through the report's ReportPaths")
  func reportersUseThem() {
    var report = ReporterFixtures.review()
    report.paths = ReportPaths(
      repositoryPrefix: "docs/product", keelFolder: "/r/docs/product", runDirectory: "/r/docs/product/specs")
    #expect(TextReporter().render(report).hasPrefix("checkout.md:3:1: error: "))
    #expect(TextReporter().render(report).contains("\n../workflows/spec.yaml:7:3: note: "))
    for format in OutputFormat.allCases where format != .text {
      let output = format.reporter().render(report)
      #expect(output.contains("docs/product/specs/checkout.md"), "\(format)")
      #expect(output.contains("docs/product/workflows/spec.yaml"), "\(format): related location")
    }
  }
}
