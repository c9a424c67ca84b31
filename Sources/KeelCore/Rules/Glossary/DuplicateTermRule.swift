import JSONSchema

/// A name (term or alias) means one thing: the same name twice, in any case,
/// across terms and aliases, makes links and avoided-word advice ambiguous.
public struct DuplicateTermRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "glossary/duplicate-term", summary: "Two glossary entries share a term or alias (case-insensitive).")

  public static let examples = [
    RuleExample(
      "the same term in another case", triggers: true, at: "glossary.yaml:5:15",
      files: GlossaryRuleSupport.files(
        glossary: """
          terms:
            - term: Basket
              definition: Items a shopper intends to buy.
            - term: Checkout
              aliases: [basket]
              definition: From basket to order.
          """)),
    RuleExample(
      "an alias that repeats its own term", triggers: true, at: "glossary.yaml:4:15",
      files: GlossaryRuleSupport.files(
        glossary: """
          terms:
            - term: PRD
              definition: Product requirements document.
              aliases: [prd]
          """)),
    RuleExample(
      "distinct terms and aliases", triggers: false,
      files: GlossaryRuleSupport.files(
        glossary: """
          terms:
            - term: Basket
              definition: Items a shopper intends to buy.
            - term: Checkout
              aliases: [checkout flow]
              definition: From basket to order.
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let path = context.glossary.path else { return [] }
    struct Name {
      var text: String
      var term: String
      var position: SourcePosition?
      var pointer: String
    }
    var names: [Name] = []
    for term in context.glossary.terms {
      names.append(Name(text: term.term, term: term.term, position: term.termPosition, pointer: term.pointer + "/term"))
      for (index, alias) in term.aliases.enumerated() {
        names.append(
          Name(
            text: alias, term: term.term, position: term.aliasPositions[index],
            pointer: term.pointer + "/aliases/\(index)"))
      }
    }
    var first: [String: Name] = [:]
    var findings: [Diagnostic] = []
    for name in names {
      let key = Glossary.key(name.text)
      guard let earlier = first[key] else {
        first[key] = name
        continue
      }
      let owner = earlier.term == name.term ? "its own term" : "'\(earlier.term)'"
      findings.append(
        Self.descriptor.finding(
          "'\(name.text)' (of '\(name.term)') repeats '\(earlier.text)' of \(owner)", path: path,
          at: name.position, jsonPointer: name.pointer,
          related: [
            RelatedLocation(
              path: path, line: earlier.position?.line ?? 1, column: earlier.position?.column ?? 1,
              message: "'\(earlier.text)' first used here")
          ]))
    }
    return findings
  }
}
