/// Team members are people (or other teams) of the registry.
public struct UnknownMemberRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "people/unknown-member", summary: "A team lists a member who is not in the people registry.")

  public static let examples = [
    RuleExample(
      "an unknown member, at the name", triggers: true, at: "people.yaml:5:22",
      files: PeopleRuleSupport.files(
        people: """
          people:
            - {id: alice, name: Alice Adams}
          teams:
            - id: checkout
              members: [alice, zed]
          """)),
    RuleExample(
      "known members", triggers: false,
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
    var findings: [Diagnostic] = []
    for team in context.people.teams {
      for (index, member) in team.members.enumerated() where !context.people.contains(member) {
        findings.append(
          Self.descriptor.finding(
            "'\(member)', a member of team '\(team.id)', is not a person of \(path)", path: path,
            at: team.memberPositions[index] ?? team.position))
      }
    }
    return findings
  }
}
