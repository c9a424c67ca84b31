/// Shared by the glossary rules' examples.
enum GlossaryRuleSupport {
  static let config = """
    version: 1
    glossary: glossary.yaml
    kinds:
      prd:
        include: ["specs/**/*.md"]
    """

  static func files(glossary: String, extra: [String: String] = [:]) -> [String: String] {
    ["keel.yaml": config, "glossary.yaml": glossary].merging(extra) { _, new in new }
  }
}
