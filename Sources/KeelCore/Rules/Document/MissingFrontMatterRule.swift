/// A document whose kind has a schema must start with YAML front matter.
public struct MissingFrontMatterRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "document/missing-front-matter", summary: "A document whose kind has a schema has no front matter.")

  public static let examples = [
    RuleExample(
      "a spec without front matter", triggers: true, at: "specs/a.md:1:1",
      files: ["schemas/prd.yaml": RuleExample.defaultSchema, "specs/a.md": "# Checkout\n"]),
    RuleExample(
      "a spec with front matter", triggers: false,
      files: [
        "schemas/prd.yaml": RuleExample.defaultSchema,
        "specs/a.md": "---\ntitle: Checkout\nowner: alice\nstatus: draft\n---\n",
      ]),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard document.frontMatter == nil, let kind = document.kind, context.schemas.byKind[kind] != nil,
      !document.diagnostics.contains(where: { $0.severity == .error })
    else { return [] }
    let message =
      document.format == .headerList
      ? "missing header list: a \(kind) document starts with a list of '- Key: value' lines"
      : "missing front matter: a \(kind) document starts with '---', its fields, and '---'"
    return [
      Self.descriptor.finding(
        message, path: document.path)
    ]
  }
}
