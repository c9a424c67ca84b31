import JSONSchema

/// A name appears once per activity: being consulted on what you are
/// accountable for, or listed twice as responsible, is a mistake. The one
/// accepted overlap is A also being R (the accountable person doing the work).
public struct ConflictingRolesRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "raci/conflicting-roles", summary: "The same name holds two roles in one activity (other than A and R).")

  public static let examples = [
    RuleExample(
      "accountable and consulted, at the second mention", triggers: true, at: "raci/checkout.yaml:5:9",
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: [alice]
              A: bob
              C: [bob]
          """)),
    RuleExample(
      "the same name twice under R", triggers: true, at: "raci/checkout.yaml:3:16",
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: [alice, alice]
              A: bob
          """)),
    RuleExample(
      "A also R is allowed", triggers: false,
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: [bob]
              A: bob
              C: [alice]
              I: [carol]
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    var findings: [Diagnostic] = []
    for matrix in context.raci.matrices {
      for activity in matrix.activities {
        var firstByName: [String: [RACIAssignment]] = [:]
        // Report each later mention in file order, against the first one it conflicts with.
        let unknown = SourcePosition(line: Int.max, column: Int.max)
        let ordered = activity.assignments.sorted { ($0.position ?? unknown) < ($1.position ?? unknown) }
        for assignment in ordered {
          let earlier = firstByName[assignment.name, default: []]
          if let conflict = earlier.first(where: { !Self.allowed($0.role, assignment.role) }) {
            let roles =
              conflict.role == assignment.role
              ? "\(assignment.role.letter) twice"
              : "both \(conflict.role.letter) and \(assignment.role.letter)"
            findings.append(
              Self.descriptor.finding(
                "'\(assignment.name)' is \(roles) in activity '\(activity.id)'; keep one role "
                  + "(only A and R may go together)",
                path: matrix.path, at: assignment.position ?? activity.position,
                jsonPointer: activity.pointer + "/" + assignment.role.letter,
                related: [
                  RelatedLocation(
                    path: matrix.path, line: conflict.position?.line ?? 1, column: conflict.position?.column ?? 1,
                    message: "'\(assignment.name)' as \(conflict.role.letter)")
                ]))
          }
          firstByName[assignment.name, default: []].append(assignment)
        }
      }
    }
    return findings
  }

  /// A with R (either way round) is the only pair allowed; the same letter twice is not.
  static func allowed(_ first: RACIRole, _ second: RACIRole) -> Bool {
    Set([first, second]) == [.accountable, .responsible]
  }
}
