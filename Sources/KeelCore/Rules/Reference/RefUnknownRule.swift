/// A reference field (`x-keel-ref` in the kind's schema) names nothing: no such person, team,
/// glossary term, or document of the kinds it allows (by id or path). Reported at the value, with
/// the nearest known name.
public struct RefUnknownRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "ref/unknown",
    summary: "A reference field (`x-keel-ref`) names no such person, team, term or document.")

  public static let examples = [
    RuleExample(
      "a misspelt owner, with the person meant", triggers: true, at: "specs/a.md:4:8",
      files: ReferenceRuleSupport.files(["specs/a.md": ReferenceRuleSupport.spec("PRD-001", "owner: alic\n")])),
    RuleExample(
      "a reviewer list naming a team that does not exist", triggers: true, at: "specs/a.md:4:20",
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "reviewers: [alice, chekout]\n")
      ])),
    RuleExample(
      "a decision (a YAML document of another kind) that does not exist", triggers: true, at: "specs/a.md:4:11",
      files: ReferenceRuleSupport.files(["specs/a.md": ReferenceRuleSupport.spec("PRD-001", "decision: ADR-003\n")])),
    RuleExample(
      "a dependency on a folder that is not a proposal", triggers: true, at: "specs/a.md:4:14",
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [proposals/member/]\n")
      ])),
    RuleExample(
      "a term the glossary does not have", triggers: true, at: "specs/a.md:4:8",
      files: ReferenceRuleSupport.files(["specs/a.md": ReferenceRuleSupport.spec("PRD-001", "topic: Chekout\n")])),
    RuleExample(
      "people, a team, a term, a decision by id, a proposal by its folder, a spec by relative path",
      triggers: false,
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec(
          "PRD-001",
          "owner: alice\nreviewers: [bob, checkout]\ntopic: checkout\ndecision: ADR-002\n"
            + "depends-on: [proposals/guest/, ./b.md, PRD-002]\n"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002", "owner: ''\n"),
      ])),
    RuleExample(
      "review mode: a changed spec names an unchanged one, read for the check", triggers: false,
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-002]\n"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002"),
      ]),
      base: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001"), "specs/b.md": ReferenceRuleSupport.spec("PRD-002"),
      ])),
    RuleExample(
      "review mode: a changed spec names a spec that does not exist", triggers: true, at: "specs/a.md:4:14",
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-003]\n"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002"),
      ]),
      base: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001"), "specs/b.md": ReferenceRuleSupport.spec("PRD-002"),
      ])),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    ReferenceRuleSupport.references(of: document, in: context).compactMap { reference -> Diagnostic? in
      // A field that may name a KPI is `kpi/unknown`'s.
      guard reference.resolution == .unknown, !reference.field.targets.contains(.kpi) else { return nil }
      let hint = Suggestion.hint(
        for: reference.value, in: context.references.candidates(for: reference.field, in: context))
      return Self.descriptor.finding(
        "'\(reference.value)' in \(reference.field.name) is not "
          + ReferenceIndex.describe(reference.field, in: context) + hint,
        path: document.path, at: reference.position, jsonPointer: reference.pointer)
    }
  }
}
