import Foundation
import KeelCore
import Testing

/// Runs the examples every rule documents: the rule's own description of what
/// it reports is its first test.
@Suite("Rule examples")
struct RuleExampleTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var ruleID: String
    var example: RuleExample
    var testDescription: String { "\(ruleID): \(example.name)" }
  }

  static let cases: [Case] =
    RuleCatalog.documentRules.flatMap { rule in rule.examples.map { Case(ruleID: rule.descriptor.id, example: $0) } }
    + RuleCatalog.repositoryRules.flatMap { rule in rule.examples.map { Case(ruleID: rule.descriptor.id, example: $0) }
    }

  @Test("every rule has an example that triggers it and one that does not")
  func everyRuleHasExamples() {
    let rules: [(String, [RuleExample])] =
      RuleCatalog.documentRules.map { ($0.descriptor.id, $0.examples) }
      + RuleCatalog.repositoryRules.map { ($0.descriptor.id, $0.examples) }
    for (id, examples) in rules {
      #expect(examples.contains { $0.triggers }, "\(id) has no triggering example")
      #expect(examples.contains { !$0.triggers }, "\(id) has no passing example")
    }
  }

  @Test("rule ids are unique and well formed")
  func ruleIDs() {
    // The catalogue as listed, before anything sorts or merges it.
    #expect(RuleCatalog.duplicateIDs(in: RuleCatalog.descriptors) == [])
    #expect(RuleCatalog.allDescriptors.count == RuleCatalog.descriptors.count)
    for id in RuleCatalog.descriptors.map(\.id) {
      #expect(id.range(of: #"^[a-z]+/[a-z$A-Z-]+$"#, options: .regularExpression) != nil, "\(id)")
    }
  }

  @Test("the uniqueness check finds a rule listed twice")
  func duplicateIDsAreFound() {
    let twice = RuleCatalog.descriptors + [WorkflowStaleRule.descriptor]
    #expect(RuleCatalog.duplicateIDs(in: twice) == ["workflow/stale"])
  }

  @Test("the catalogue lists workflow/stale and every schema keyword as rules")
  func catalogueListsEveryRule() {
    let ids = Set(RuleCatalog.descriptors.map(\.id))
    #expect(ids.contains("workflow/stale"))
    for id in ["schema/invalid", "schema/required", "schema/enum", "schema/$ref", "schema/false"] {
      #expect(ids.contains(id), "\(id)")
    }
  }

  @Test(arguments: cases)
  func example(_ testCase: Case) throws {
    let result = try testCase.example.run()
    let family = testCase.ruleID.hasPrefix("schema/") ? "schema/" : testCase.ruleID
    let findings = result.diagnostics.filter {
      family.hasSuffix("/") ? $0.rule.hasPrefix(family) : $0.rule == testCase.ruleID
    }
    if testCase.example.triggers {
      let first = try #require(findings.first, "expected \(testCase.ruleID); got \(result.diagnostics)")
      if let location = testCase.example.location {
        #expect("\(first.path):\(first.line):\(first.column)" == location, "\(first)")
      }
    } else {
      #expect(findings.isEmpty, "unexpected: \(findings)")
    }
  }
}
