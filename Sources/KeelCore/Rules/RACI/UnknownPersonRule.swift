/// Every name in a RACI matrix is a person or a team of the people registry.
public struct UnknownPersonRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "raci/unknown-person", summary: "A RACI matrix names someone who is not in the people registry.")

  public static let examples = [
    RuleExample(
      "an unknown name among the informed, at the name", triggers: true, at: "raci/checkout.yaml:6:16",
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: [alice]
              A: bob
              C: [data-team]
              I: [carol, sara]
          """)),
    RuleExample(
      "an unknown A written as a plain string", triggers: true, at: "raci/checkout.yaml:4:8",
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: alice
              A: robert
          """)),
    RuleExample(
      "people and a team, all known", triggers: false,
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: [alice]
              A: bob
              C: [data-team]
              I: [carol]
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    let people = context.people
    guard people.isConfigured else { return [] }
    var findings: [Diagnostic] = []
    for matrix in context.raci.matrices {
      for activity in matrix.activities {
        for assignment in activity.assignments where !people.contains(assignment.name) {
          let hint = Self.suggestion(for: assignment.name, in: people).map { "; did you mean '\($0)'?" } ?? ""
          findings.append(
            Self.descriptor.finding(
              "'\(assignment.name)' (\(assignment.role.letter) of activity '\(activity.id)') is not a person or "
                + "team of \(people.path ?? "the people registry")\(hint)",
              path: matrix.path, at: assignment.position ?? activity.position,
              jsonPointer: activity.pointer + "/" + assignment.role.letter))
        }
      }
    }
    return findings
  }

  /// A known id close to a misspelt one (case or one or two edits away).
  static func suggestion(for name: String, in people: PeopleRegistry) -> String? {
    Suggestion.closest(to: name, in: people.people.map(\.id) + people.teams.map(\.id))
  }
}
