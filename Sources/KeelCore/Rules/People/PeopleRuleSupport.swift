/// Shared by the people rules' examples.
enum PeopleRuleSupport {
  static let config = """
    version: 1
    people: people.yaml
    kinds:
      prd:
        include: ["specs/**/*.md"]
    """

  static func files(people: String) -> [String: String] { ["keel.yaml": config, "people.yaml": people] }
}
