import Foundation

/// What the template rules share: the match of a document against its kind's
/// template, and the small repository their examples run in.
enum TemplateRuleSupport {
  /// The match of `document` against its kind's template, nil when the kind
  /// has no template or the body could not be read (reporting every section
  /// as missing would only bury the real finding).
  static func match(_ document: Document, in context: CheckContext) -> TemplateMatch? {
    guard context.template(for: document) != nil,
      !document.diagnostics.contains(where: { ReaderRules.unreadable.contains($0.rule) })
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

  /// `files` with the kind's `template-since: 2021-01-01`.
  static func sinceFiles(_ spec: String) -> [String: String] {
    var files = files(spec)
    files["keel.yaml"] = exampleConfig + "\n    template-since: 2021-01-01\n"
    return files
  }

  /// The history of `specs/a.md`: first committed on `day` (as `keel check` reads it from Git).
  static func firstCommitted(_ day: String) -> StateHistory {
    let date = (try? HistoryDates.parseArgument(day, option: "example")) ?? Date(timeIntervalSince1970: 0)
    return StateHistory(entries: [:], now: date, firstCommitted: ["specs/a.md": date])
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

  /// A template with the conventions of real repositories: a heading marked `(Optional)`, one
  /// marked `[Optional]`, a paragraph to keep verbatim and a pick-one checklist.
  static let conventionTemplate = """
    # {{title}}

    ## Motivation

    Describe the motivation.

    ### User Stories (Optional)

    Describe this if it applies.

    ## Test Plan

    <!-- keep -->
    Items marked with (R) are required.

    ## Enablement

    <!-- pick: 1 -->
    - [ ] Feature gate
    - [ ] Configuration flag
    - [ ] Other mechanism

    ## Infrastructure [Optional]

    Describe this if it applies.

    """

  /// The convention repository with one spec, `specs/a.md`.
  static func conventionFiles(_ spec: String, strict: Bool = false) -> [String: String] {
    [
      "keel.yaml": strict ? exampleStrictConfig : exampleConfig, "templates/prd.md": conventionTemplate,
      "specs/a.md": spec,
    ]
  }

  /// A spec that keeps to `conventionTemplate`: the optional sections left out, the kept
  /// sentence kept, one option picked (the list starts at line 13).
  static let conventionSpec = """
    # Checkout

    ## Motivation

    Shoppers leave.

    ## Test Plan

    Items marked with (R) are required.

    ## Enablement

    - [x] Feature gate
    - [ ] Configuration flag

    """
}
