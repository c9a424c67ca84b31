/// Shared by the RACI rules' examples and findings.
enum RACIRuleSupport {
  /// keel.yaml for the RACI examples: a people registry and `raci/*.yaml`.
  static let config = """
    version: 1
    people: people.yaml
    raci: ["raci/*.yaml"]
    kinds:
      prd:
        include: ["specs/**/*.md"]
    """

  static let people = """
    people:
      - {id: alice, name: Alice Adams}
      - {id: bob, name: Bob Brown}
      - {id: carol, name: Carol Chen}
    teams:
      - {id: data-team, name: Data team, members: [carol]}
    """

  /// A repository for an example: keel.yaml, people.yaml and one RACI file.
  static func files(raci: String, path: String = "raci/checkout.yaml") -> [String: String] {
    ["keel.yaml": config, "people.yaml": people, path: raci]
  }

  /// `activity 'x' in title` for messages.
  static func describe(_ activity: RACIActivity) -> String { "activity '\(activity.id)'" }
}
