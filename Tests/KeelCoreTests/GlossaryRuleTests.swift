import Foundation
import KeelCore
import Testing

enum GlossaryFixtures {
  static let config = """
    version: 1
    glossary: glossary.yaml
    kinds:
      prd:
        include: ["specs/**/*.md"]
    """

  static let glossary = """
    terms:
      - term: Basket
        definition: Items a shopper intends to buy.
        avoid: [cart, trolley]
      - term: Checkout
        definition: From basket to order.
        avoid: [purchase funnel, check-out]
      - term: Sign-in
        definition: Proving who you are.
        avoid: [log in]
    """

  static func files(glossary: String = glossary, _ extra: [String: String] = [:]) -> [String: String] {
    var files = extra
    files["keel.yaml"] = config
    files["glossary.yaml"] = glossary
    return files
  }
}

@Suite("Glossary rules")
struct GlossaryRuleTests {
  @Test("duplicates across terms and aliases, any case, at the later name")
  func duplicateTerm() throws {
    let findings = try checkFiles(
      GlossaryFixtures.files(
        glossary: """
          terms:
            - term: Basket
              definition: Items.
              aliases: [Cart list]
            - term: basket
              definition: Again.
            - term: Trolley
              definition: Other.
              aliases: [CART LIST]
            - term: Order
              definition: Fine.
              aliases: [purchase]
          """))
    let duplicates = findings.filter { $0.rule == "glossary/duplicate-term" }
    #expect(duplicates.map(location) == ["glossary.yaml:5:11", "glossary.yaml:9:15"])
    #expect(duplicates[0].related.first.map { "\($0.line):\($0.column)" } == "2:11")
    #expect(duplicates[1].message.contains("'Basket'"))
  }

  @Test("see must name a term or alias (any case); a dangling one is reported at its name")
  func danglingSee() throws {
    let findings = try checkFiles(
      GlossaryFixtures.files(
        glossary: """
          terms:
            - term: Basket
              definition: Items.
              aliases: [shopping basket]
              see: [checkout, Shopping Basket, Funnel]
            - term: Checkout
              definition: Order.
              see:
                - Basket
                - Funel
          """)
    ).filter { $0.rule == "glossary/dangling-see" }
    #expect(findings.map(location) == ["glossary.yaml:5:38", "glossary.yaml:10:9"])
  }

  @Test("empty and blank definitions are reported at the value; missing ones by the schema")
  func emptyDefinition() throws {
    let findings = try checkFiles(
      GlossaryFixtures.files(
        glossary: """
          terms:
            - term: A
              definition: ""
            - term: B
              definition: Fine.
            - term: C
              definition: "   "
            - term: D
          """))
    #expect(
      findings.filter { $0.rule == "glossary/empty-definition" }.map(location) == [
        "glossary.yaml:3:17", "glossary.yaml:7:17",
      ])
    #expect(findings.contains { $0.rule == "config/schema" && $0.line == 8 }, "\(findings)")
  }

  @Test("the example repository: the dangling 'Funnel', at its line")
  func exampleRepository() throws {
    let findings = try Checker(snapshot: FileSystemSnapshot(root: productOpsExample)).run().diagnostics
    let glossary = findings.filter { $0.path == "glossary.yaml" }
    #expect(glossary.map { "\($0.rule) \(location($0))" } == ["glossary/dangling-see glossary.yaml:14:21"])
  }
}
