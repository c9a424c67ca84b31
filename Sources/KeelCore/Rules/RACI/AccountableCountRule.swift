/// Every activity has exactly one A: nobody accountable means nobody decides;
/// two means nobody does.
public struct AccountableCountRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "raci/accountable-count", summary: "An activity does not have exactly one accountable person (A).")

  public static let examples = [
    RuleExample(
      "an activity without A", triggers: true, at: "raci/checkout.yaml:3:5",
      files: RACIRuleSupport.files(
        raci: """
          title: Checkout
          activities:
            - id: approve-prd
              R: [alice]
          """)),
    RuleExample(
      "an activity with two A, at the second", triggers: true, at: "raci/checkout.yaml:5:14",
      files: RACIRuleSupport.files(
        raci: """
          title: Checkout
          activities:
            - id: approve-prd
              R: [alice]
              A: [bob, carol]
          """)),
    RuleExample(
      "exactly one A", triggers: false,
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: [alice]
              A: bob
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    var findings: [Diagnostic] = []
    for matrix in context.raci.matrices {
      for activity in matrix.activities {
        let accountable = activity.assignments.filter { $0.role == .accountable }
        if accountable.isEmpty {
          findings.append(
            Self.descriptor.finding(
              "\(RACIRuleSupport.describe(activity)) has no accountable person: add 'A: <name>'",
              path: matrix.path, at: activity.position, jsonPointer: activity.pointer))
        } else if accountable.count > 1 {
          let names = accountable.map(\.name).joined(separator: ", ")
          findings.append(
            Self.descriptor.finding(
              "\(RACIRuleSupport.describe(activity)) has \(accountable.count) accountable people (\(names)); "
                + "exactly one is needed",
              path: matrix.path, at: accountable[1].position ?? activity.position,
              jsonPointer: activity.pointer + "/A"))
        }
      }
    }
    return findings
  }
}
