/// `see:` links to terms that exist (by term or alias, any case), so that the
/// exported glossary's cross-links lead somewhere.
public struct DanglingSeeRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "glossary/dangling-see", summary: "A glossary entry's `see` names a term that does not exist.")

  public static let examples = [
    RuleExample(
      "see names a missing term, at the name", triggers: true, at: "glossary.yaml:4:21",
      files: GlossaryRuleSupport.files(
        glossary: """
          terms:
            - term: Conversion rate
              definition: Orders divided by sessions.
              see: [Checkout, Funnel]
            - term: Checkout
              definition: From basket to order.
          """)),
    RuleExample(
      "see names a term by an alias, in another case", triggers: false,
      files: GlossaryRuleSupport.files(
        glossary: """
          terms:
            - term: Conversion rate
              definition: Orders divided by sessions.
              see: [CHECKOUT FLOW]
            - term: Checkout
              aliases: [checkout flow]
              definition: From basket to order.
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let path = context.glossary.path else { return [] }
    var findings: [Diagnostic] = []
    for term in context.glossary.terms {
      for (index, target) in term.see.enumerated() where context.glossary.term(named: target) == nil {
        findings.append(
          Self.descriptor.finding(
            "'\(term.term)' refers to '\(target)', which is not a term or alias of the glossary",
            path: path, at: term.seePositions[index] ?? term.position, jsonPointer: term.pointer + "/see/\(index)"))
      }
    }
    return findings
  }
}
