import JSONSchema

/// Each id of people.yaml names one person or one team, so that RACI matrices
/// and workflows resolve every name to exactly one of them.
public struct DuplicatePersonRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "people/duplicate-id", summary: "Two people or teams of the people registry share an id.")

  public static let examples = [
    RuleExample(
      "a team with a person's id, at the team", triggers: true, at: "people.yaml:4:9",
      files: PeopleRuleSupport.files(
        people: """
          people:
            - {id: alice, name: Alice Adams}
          teams:
            - id: alice
              members: [alice]
          """)),
    RuleExample(
      "distinct ids", triggers: false,
      files: PeopleRuleSupport.files(
        people: """
          people:
            - {id: alice, name: Alice Adams}
          teams:
            - id: checkout
              members: [alice]
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard let path = context.people.path else { return [] }
    let entries =
      context.people.people.map { (id: $0.id, kind: "person", position: $0.position) }
      + context.people.teams.map { (id: $0.id, kind: "team", position: $0.position) }
    var first: [String: (id: String, kind: String, position: SourcePosition?)] = [:]
    var findings: [Diagnostic] = []
    for entry in entries {
      guard let earlier = first[entry.id] else {
        first[entry.id] = entry
        continue
      }
      findings.append(
        Self.descriptor.finding(
          "the \(entry.kind) id '\(entry.id)' is already used by a \(earlier.kind)", path: path,
          at: entry.position,
          related: [
            RelatedLocation(
              path: path, line: earlier.position?.line ?? 1, column: earlier.position?.column ?? 1,
              message: "first '\(entry.id)'")
          ]))
    }
    return findings
  }
}
