import Foundation
import KeelCore
import Testing

/// `glossary/avoided-term` on real Markdown: prose yes; code, URLs, HTML and
/// front matter no; exact columns (Unicode scalars) and lines.
@Suite("glossary/avoided-term")
struct GlossaryAvoidedTermTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var markdown: String
    /// `line:col word` of each expected finding, in order.
    var expected: [String]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "a word in prose", markdown: "# Title\n\nShoppers fill their cart.\n", expected: ["3:21 cart"]),
    Case(name: "any case", markdown: "CART and Trolley.\n", expected: ["1:1 CART", "1:10 Trolley"]),
    Case(
      name: "whole words only", markdown: "Carts, cartography, minicart and cart2 are other words; cart's is not.\n",
      expected: ["1:57 cart"]),
    Case(
      name: "punctuation around a word", markdown: "(cart), \"cart\"; cart-based\n",
      expected: ["1:2 cart", "1:10 cart", "1:17 cart"]),
    Case(name: "not in a code span", markdown: "Call `cart.total()` then `purchase funnel`.\n", expected: []),
    Case(name: "not in a fenced code block", markdown: "```text\ncart\npurchase funnel\n```\n", expected: []),
    Case(name: "not in an indented code block", markdown: "Text.\n\n    cart = 1\n", expected: []),
    Case(
      name: "not in a link URL, but in the link text",
      markdown: "See [the trolley](https://example.com/cart?x=purchase-funnel) and <https://cart.example>.\n",
      expected: ["1:10 trolley"]),
    Case(name: "not in inline HTML attributes", markdown: "An <span title=\"cart\">item</span>.\n", expected: []),
    Case(
      name: "exact column after non-ASCII text", markdown: "Zoë’s 🛒 — naïve café: cart\n",
      expected: ["1:23 cart"]),
    Case(name: "a multi-word phrase", markdown: "The purchase funnel leaks.\n", expected: ["1:5 purchase funnel"]),
    Case(
      name: "a phrase across a line break and extra spaces",
      markdown: "The purchase\n  funnel and the purchase   funnel.\n",
      expected: ["1:5 purchase funnel", "2:18 purchase   funnel"]),
    Case(name: "a phrase across emphasis", markdown: "The *purchase* funnel.\n", expected: ["1:6 purchase funnel"]),
    Case(name: "not across a code span", markdown: "The purchase `x` funnel.\n", expected: []),
    Case(name: "not across paragraphs", markdown: "The purchase\n\nfunnel.\n", expected: []),
    Case(name: "not across list items", markdown: "- purchase\n- funnel\n", expected: []),
    Case(
      name: "a hyphenated avoided word needs its hyphen", markdown: "Check-out, check out.\n",
      expected: ["1:1 Check-out"]),
    Case(
      name: "headings, lists, quotes and tables are prose",
      markdown: "# The cart\n\n- a trolley\n\n> log in\n\n| a | b |\n| - | - |\n| cart | x |\n",
      expected: ["1:7 cart", "3:5 trolley", "5:3 log in", "9:3 cart"]),
    Case(name: "CRLF line endings", markdown: "Line one.\r\nThe cart.\r\n", expected: ["2:5 cart"]),
  ]

  static func findings(_ markdown: String, frontMatter: String = "") throws -> [Diagnostic] {
    try checkFiles(GlossaryFixtures.files(["specs/a.md": frontMatter + markdown]))
      .filter { $0.rule == "glossary/avoided-term" }
  }

  @Test(arguments: cases)
  func avoidedTerm(_ testCase: Case) throws {
    let found = try Self.findings(testCase.markdown)
    let described = found.map { finding -> String in
      let word = finding.message.split(separator: "'").first.map(String.init) ?? ""
      return "\(finding.line):\(finding.column) \(word)"
    }
    #expect(described == testCase.expected)
    #expect(found.allSatisfy { $0.path == "specs/a.md" && $0.severity == .warning })
  }

  @Test("an entity before the word: the column is the source's")
  func entity() throws {
    let found = try Self.findings("Fish &amp; chips &copy; cart\n")
    #expect(found.map(location) == ["specs/a.md:1:25"])
    let escaped = try Self.findings("A \\*starred\\* cart\n")
    #expect(escaped.map(location) == ["specs/a.md:1:15"])
  }

  @Test("front matter is not prose; lines after it are absolute")
  func frontMatter() throws {
    let found = try Self.findings("# Cart\n", frontMatter: "---\ntitle: The cart\ntags: [trolley]\n---\n")
    #expect(found.map(location) == ["specs/a.md:5:3"])
  }

  @Test("the message names the preferred term")
  func message() throws {
    let found = try Self.findings("Use the trolley.\n")
    #expect(found.first?.message == "'trolley' is a word the glossary says to avoid; use 'Basket'")
  }

  @Test("severity is configurable in keel.yaml: error, or off")
  func severity() throws {
    var files = GlossaryFixtures.files(["specs/a.md": "The cart.\n"])
    files["keel.yaml"] = GlossaryFixtures.config + "\nrules:\n  glossary/avoided-term: error\n"
    #expect(try checkFiles(files).filter { $0.rule == "glossary/avoided-term" }.map(\.severity) == [.error])
    files["keel.yaml"] = GlossaryFixtures.config + "\nrules:\n  glossary/avoided-term: off\n"
    #expect(try checkFiles(files).filter { $0.rule == "glossary/avoided-term" }.isEmpty)
  }

  @Test("the example repository: prose yes, code block and link URL no")
  func exampleRepository() throws {
    let found = try Checker(snapshot: FileSystemSnapshot(root: productOpsExample)).run().diagnostics
      .filter { $0.rule == "glossary/avoided-term" }
    #expect(
      found.map(location) == [
        "specs/checkout/one-click-reorder.md:17:62", "specs/checkout/saved-cards.md:23:21",
      ])
    #expect(found.allSatisfy { $0.severity == .warning })
  }

  @Test("the matcher alone: longest phrase first, the first term wins for a repeated phrase")
  func matcher() {
    let matcher = AvoidedTermMatcher([
      .init(phrase: "funnel", preferred: "Pipeline"),
      .init(phrase: "purchase funnel", preferred: "Checkout"),
      .init(phrase: "Funnel", preferred: "Ignored"),
    ])
    let matches = matcher.matches(inText: "purchase funnel, funnel", line: 3, column: 5)
    #expect(matches.map(\.entry.preferred) == ["Checkout", "Pipeline"])
    #expect(matches.map { "\($0.line):\($0.column)" } == ["3:5", "3:22"])
    #expect(AvoidedTermMatcher([]).isEmpty)
  }
}
