/// What the template rules share: the match of a document against its kind's
/// template, and the small repository their examples run in.
enum TemplateRuleSupport {
  /// Parse problems after which the body is unknown: reporting every section
  /// as missing would only bury the real finding.
  static let unreadableBody: Set<String> = ["parse/binary", "parse/too-large", "parse/encoding"]

  /// The match of `document` against its kind's template, nil when the kind
  /// has no template or the body could not be read.
  static func match(_ document: Document, in context: CheckContext) -> TemplateMatch? {
    guard context.template(for: document) != nil,
      !document.diagnostics.contains(where: { unreadableBody.contains($0.rule) })
    else { return nil }
    return context.structure(of: document).match
  }

  /// A kind with a template and no schema: documents need no front matter.
  static let exampleConfig = """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        template: templates/prd.md
    """

  static let exampleStrictConfig = exampleConfig + "\n    strict: true\n"

  static let exampleTemplate = """
    ---
    title: "{{title}}"
    ---

    # {{title}}

    ## Problem

    Describe the problem.

    ## Risks

    <!-- optional -->
    List the risks.

    ## Definition of Ready

    - [ ] Problem validated
    - [ ] Estimate attached

    """

  /// The example repository with one spec, `specs/a.md`.
  static func files(_ spec: String, strict: Bool = false) -> [String: String] {
    [
      "keel.yaml": strict ? exampleStrictConfig : exampleConfig,
      "templates/prd.md": exampleTemplate,
      "specs/a.md": spec,
    ]
  }

  /// A spec that follows the example template.
  static let compliantSpec = """
    # Checkout

    ## Problem

    Shoppers abandon the basket at the account step.

    ## Definition of Ready

    - [x] Problem validated
    - [ ] Estimate attached

    """
}
