/// Every activity has at least one R: someone has to do the work.
public struct NoResponsibleRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "raci/no-responsible", summary: "An activity has nobody responsible (R).")

  public static let examples = [
    RuleExample(
      "no R at all", triggers: true, at: "raci/checkout.yaml:2:5",
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              A: bob
          """)),
    RuleExample(
      "an empty R list, at the list", triggers: true, at: "raci/checkout.yaml:4:8",
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              A: bob
              R: []
          """)),
    RuleExample(
      "one R", triggers: false,
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: alice
              A: bob
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    context.raci.matrices.flatMap { matrix in
      matrix.activities.filter { $0.responsible.isEmpty }.map { activity in
        let position = activity.letterPositions[.responsible] ?? activity.position
        return Self.descriptor.finding(
          "\(RACIRuleSupport.describe(activity)) has nobody responsible: add 'R: [<name>]'",
          path: matrix.path, at: position, jsonPointer: activity.pointer)
      }
    }
  }
}
