import JSONSchema

/// Validates a document's front matter against its kind's JSON Schema. Each
/// failing keyword is its own rule id (`schema/required`, `schema/enum`), at
/// the line and column of the offending YAML node.
public struct FrontMatterSchemaRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "schema/invalid", summary: "The front matter does not match the kind's JSON Schema.")

  static let keywords = [
    "required", "type", "enum", "const", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "contains",
    "minContains", "maxContains", "minProperties", "maxProperties", "additionalProperties", "propertyNames",
    "dependentRequired", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "items", "prefixItems",
    "additionalItems", "not", "oneOf", "anyOf", "allOf", "if", "then", "else", "false", "dependencies", "$ref",
    "$dynamicRef",
  ]

  public static let additionalDescriptors = keywords.map {
    RuleDescriptor(id: "schema/\($0)", summary: "The front matter fails the schema's `\($0)` keyword.")
  }

  /// Keyword → its rule (`schema/enum`); a keyword outside the list is `schema/invalid`.
  static let keywordRules = Dictionary(uniqueKeysWithValues: zip(keywords, additionalDescriptors))

  public static let examples = [
    RuleExample(
      "a missing required field", triggers: true, at: "specs/a.md:2:1",
      files: [
        "schemas/prd.yaml": RuleExample.defaultSchema,
        "specs/a.md": "---\ntitle: Checkout\nstatus: draft\n---\n# Checkout\n",
      ]),
    RuleExample(
      "a misspelt status, at its value", triggers: true, at: "specs/a.md:4:9",
      files: [
        "schemas/prd.yaml": RuleExample.defaultSchema,
        "specs/a.md": "---\ntitle: Checkout\nowner: alice\nstatus: shiped\n---\n",
      ]),
    RuleExample(
      "valid front matter", triggers: false,
      files: [
        "schemas/prd.yaml": RuleExample.defaultSchema,
        "specs/a.md": "---\ntitle: Checkout\nowner: alice\nstatus: draft\n---\n# Checkout\n",
      ]),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let kind = document.kind, let schema = context.schemas.byKind[kind],
      let frontMatter = document.frontMatter
    else { return [] }
    // A misspelt value gets the nearest one the enum allows ("did you mean 'shipped'?").
    return schema.validate(frontMatter.content).map { Suggestion.hinted($0) }.map { error in
      (Self.keywordRules[error.keyword] ?? Self.descriptor).finding(
        error.message, path: document.path,
        at: error.position ?? SourcePosition(line: frontMatter.openingLine, column: 1),
        jsonPointer: error.instanceLocation, schemaLocation: error.absoluteKeywordLocation)
    }
  }
}
