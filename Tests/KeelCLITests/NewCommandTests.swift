import Foundation
import Testing

@Suite("keel new end to end")
struct NewCommandTests {
  @Test("a document from the template: slugged file name, next id, title and owner filled in")
  func createsDocument() throws {
    let repo = try TestRepository()
    #expect(try repo.keel(["init"]).status == 0)
    let result = try repo.keel(["new", "prd", "--title", "Guest checkout: phase 2", "--owner", "alex"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("created specs/guest-checkout-phase-2.md (id: PRD-002)"), "\(result.stdout)")
    let text = try repo.read("specs/guest-checkout-phase-2.md")
    #expect(text.hasPrefix("---\nid: PRD-002\ntitle: \"Guest checkout: phase 2\"\nowner: \"alex\"\nstatus: draft\n"))
    #expect(text.contains("\n# Guest checkout: phase 2\n"))
    #expect(text.range(of: #"created: "\d{4}-\d{2}-\d{2}""#, options: .regularExpression) != nil)
    #expect(!text.contains("{{"))

    // The new document is valid: the template's placeholders are allowed in a draft (keel init's
    // keel.yaml applies template/placeholder from review on), and they are all a stricter keel.yaml finds.
    let check = try repo.keel(["check", "--format", "json"])
    #expect(check.status == 0, "\(check.stdout)")
    try repo.write("keel.yaml", try repo.read("keel.yaml").replacingOccurrences(of: ", from: review", with: ""))
    let strict = try repo.keel(["check", "--format", "json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(strict.stdout.utf8)) as? [String: Any])
    let rules = Set(((object["diagnostics"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String })
    #expect(rules == ["template/placeholder"], "\(strict.stdout)")
  }

  @Test("refuses to overwrite, unknown kinds and titles without a letter are usage errors")
  func refusals() throws {
    let repo = try TestRepository()
    #expect(try repo.keel(["init"]).status == 0)
    #expect(try repo.keel(["new", "prd", "--title", "Search"]).status == 0)
    let before = try repo.read("specs/search.md")
    let again = try repo.keel(["new", "prd", "--title", "search!"])
    #expect(again.status == 2)
    #expect(again.stderr.contains("refusing to overwrite specs/search.md"))
    #expect(try repo.read("specs/search.md") == before)
    #expect(try repo.keel(["new", "memo", "--title", "X"]).status == 2)
    #expect(try repo.keel(["new", "prd", "--title", "!!!"]).status == 2)
  }

  @Test("--in places the file in another folder of the kind; outside the kind it is refused")
  func folder() throws {
    let repo = try TestRepository()
    #expect(try repo.keel(["init"]).status == 0)
    let decision = try repo.keel(["new", "decision", "--title", "Use Postgres", "--in", "decisions/storage"])
    #expect(decision.status == 0, "\(decision.stderr)")
    let text = try repo.read("decisions/storage/use-postgres.md")
    #expect(text.contains("status: proposed"))
    #expect(try repo.keel(["new", "prd", "--title", "X", "--in", "elsewhere"]).status == 2)
  }
}
