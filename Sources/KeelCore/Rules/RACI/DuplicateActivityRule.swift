/// Activity ids are unique within a RACI matrix, so that exports, diffs and
/// links can name an activity without ambiguity.
public struct DuplicateActivityRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "raci/duplicate-activity", summary: "A RACI matrix lists the same activity id twice.")

  public static let examples = [
    RuleExample(
      "the same id twice, at the second", triggers: true, at: "raci/checkout.yaml:5:5",
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: [alice]
              A: bob
            - id: approve-prd
              R: [carol]
              A: bob
          """)),
    RuleExample(
      "distinct ids", triggers: false,
      files: RACIRuleSupport.files(
        raci: """
          activities:
            - id: approve-prd
              R: [alice]
              A: bob
            - id: release
              R: [carol]
              A: bob
          """)),
  ]

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    var findings: [Diagnostic] = []
    for matrix in context.raci.matrices {
      var first: [String: RACIActivity] = [:]
      for activity in matrix.activities {
        guard let earlier = first[activity.id] else {
          first[activity.id] = activity
          continue
        }
        findings.append(
          Self.descriptor.finding(
            "activity id '\(activity.id)' is already used in this matrix",
            path: matrix.path, at: activity.position, jsonPointer: activity.pointer + "/id",
            related: [
              RelatedLocation(
                path: matrix.path, line: earlier.position?.line ?? 1, column: earlier.position?.column ?? 1,
                message: "first activity '\(activity.id)'")
            ]))
      }
    }
    return findings
  }
}
