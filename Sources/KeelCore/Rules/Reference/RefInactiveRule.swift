/// A reference field names a document in a final state of its workflow (archived, rejected,
/// superseded): probably a link nobody updated. A field marked `x-keel-ref-any-state: true`
/// (`supersedes`) may.
public struct RefInactiveRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "ref/inactive",
    summary: "A reference field names a document in a final state of its workflow (archived, superseded).",
    defaultSeverity: .warning)

  public static let examples = [
    RuleExample(
      "a dependency on an archived spec", triggers: true, at: "specs/a.md:4:14",
      files: ReferenceRuleSupport.files(["specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-009]\n")])
    ),
    RuleExample(
      "a spec following a superseded decision (a YAML document)", triggers: true, at: "specs/a.md:4:11",
      files: ReferenceRuleSupport.files(["specs/a.md": ReferenceRuleSupport.spec("PRD-001", "decision: ADR-001\n")])),
    RuleExample(
      "a decision superseding one (x-keel-ref-any-state), a spec following an accepted decision", triggers: false,
      files: ReferenceRuleSupport.files(["specs/a.md": ReferenceRuleSupport.spec("PRD-001", "decision: ADR-002\n")])),
    RuleExample(
      "review mode: a spec archived by the change is still named by an unchanged one", triggers: true,
      at: "specs/b.md:4:14",
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001").replacingOccurrences(of: "draft", with: "archived"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002", "depends-on: [PRD-001]\n"),
      ]),
      base: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002", "depends-on: [PRD-001]\n"),
      ])),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    ReferenceRuleSupport.references(of: document, in: context).compactMap { reference -> Diagnostic? in
      guard !reference.field.anyState, case .document(let target) = reference.resolution, let state = target.state,
        let workflow = context.kindResources.workflows[target.kind], workflow.state(named: state)?.isFinal == true
      else { return nil }
      return Self.descriptor.finding(
        "\(reference.field.name) names \(target.id ?? target.path) (\(target.path)), which is \(state), a final "
          + "state of its workflow; update the reference, or mark the field x-keel-ref-any-state",
        path: document.path, at: reference.position, jsonPointer: reference.pointer)
    }
  }
}
