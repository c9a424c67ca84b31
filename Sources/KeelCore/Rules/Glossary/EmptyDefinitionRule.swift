import Foundation

/// A term without a definition explains nothing.
public struct EmptyDefinitionRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "glossary/empty-definition", summary: "A glossary term has an empty definition.")

  public static let examples = [
    RuleExample(
      "a blank definition, at its value", triggers: true, at: "glossary.yaml:3:17",
      files: GlossaryRuleSupport.files(
        glossary: """
          terms:
            - term: Basket
              definition: "  "
          """)),
    RuleExample(
      "a definition", triggers: false,
      files: GlossaryRuleSupport.files(
        glossary: """
          terms:
            - term: Basket
              definition: Items a shopper intends to buy.
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let path = context.glossary.path else { return [] }
    // A missing definition is the schema's `required` finding; this rule is about one that is there but blank.
    return context.glossary.terms.filter {
      $0.definitionPosition != nil && $0.definition.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
    .map { term in
      Self.descriptor.finding(
        "the term '\(term.term)' has an empty definition", path: path,
        at: term.definitionPosition ?? term.position, jsonPointer: term.pointer + "/definition")
    }
  }
}
