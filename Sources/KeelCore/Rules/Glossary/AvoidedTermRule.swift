/// A word the glossary says to avoid (a term's `avoid:` list) used in a
/// document's prose, reported at its exact line and column with the term to
/// use instead. Code spans, code blocks, link URLs, HTML and front matter are
/// not prose and are never reported. Whole words only, any case.
public struct AvoidedTermRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "glossary/avoided-term", summary: "A document uses a word the glossary says to avoid.",
    defaultSeverity: .warning)

  static let glossary = """
    terms:
      - term: Basket
        definition: Items a shopper intends to buy.
        avoid: [cart]
      - term: Checkout
        definition: From basket to order.
        avoid: [purchase funnel]
    """

  public static let examples = [
    RuleExample(
      "an avoided word in prose, after non-ASCII text", triggers: true, at: "specs/a.md:6:9",
      files: GlossaryRuleSupport.files(
        glossary: glossary,
        extra: ["specs/a.md": "---\ntitle: Checkout\n---\n# Checkout\n\nZoë 🛒 — Cart is full.\n"])),
    RuleExample(
      "a multi-word phrase across a line break", triggers: true, at: "specs/a.md:3:25",
      files: GlossaryRuleSupport.files(
        glossary: glossary,
        extra: ["specs/a.md": "# Checkout\n\nThe slowest step of the purchase\nfunnel is payment.\n"])),
    RuleExample(
      "avoided words only in code, URLs and front matter", triggers: false,
      files: GlossaryRuleSupport.files(
        glossary: glossary,
        extra: [
          "specs/a.md": """
          ---
          title: The cart
          ---
          # Checkout

          Call `cart.total()` and read the [docs](https://example.com/cart?step=purchase-funnel).

          ```text
          purchase funnel
          ```

              cart (indented code)

          Carts and cartography are other words.
          """
        ])),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    let matcher = context.glossary.avoidedTerms
    guard !matcher.isEmpty else { return [] }
    let headingLines = Set(document.body.headings.map(\.line))
    return matcher.matches(in: document.body.textRuns, source: document.text, headingLines: headingLines).map {
      match in
      Self.descriptor.finding(
        "'\(match.text)' is a word the glossary says to avoid; use '\(match.entry.preferred)'",
        path: document.bodyPath, line: match.line, column: match.column)
    }
  }
}
