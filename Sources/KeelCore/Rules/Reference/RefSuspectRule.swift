import Foundation

/// `ref/suspect`: a document in a state that `locks` (approved, accepted) names, in a reference
/// field, a document that changed after the commit that entered that state (its body, or a field
/// other than its workflow field): the approval was given against something that is no longer
/// there ("suspect links"). Needs the state history (`keel check` of the working tree or `--rev`);
/// reported at the reference's value.
public struct RefSuspectRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "ref/suspect",
    summary: "An approved document names a document that changed after the approval.", defaultSeverity: .warning)

  public static let examples = [
    RuleExample(
      "an approved spec depends on a spec whose body changed since", triggers: true, at: "specs/a.md:4:14",
      files: ReferenceRuleSupport.files([
        "specs/a.md": approved("PRD-001", "depends-on: [PRD-002]\n"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002") + "\nNow with accounts.\n",
      ]),
      history: history(["specs/a.md": approved("PRD-001", "depends-on: [PRD-002]\n")], unchanged: ["specs/b.md"])),
    RuleExample(
      "an approved spec following a decision (a YAML document) whose deciders changed", triggers: true,
      at: "specs/a.md:4:11",
      files: ReferenceRuleSupport.files([
        "specs/a.md": approved("PRD-001", "decision: ADR-002\n"),
        "decisions/adr-002.yaml": "id: ADR-002\nstatus: accepted\ndeciders: [bob]\nsupersedes: ADR-001\n",
      ]),
      history: history(
        ["specs/a.md": approved("PRD-001", "decision: ADR-002\n")], unchanged: ["decisions/adr-002.yaml"])),
    RuleExample(
      "an approved spec depending on a proposal (a folder) whose fields changed", triggers: true,
      at: "specs/a.md:4:14",
      files: ReferenceRuleSupport.files([
        "specs/a.md": approved("PRD-001", "depends-on: [proposals/guest/]\n"),
        "proposals/guest/proposal.yaml": "number: '0001'\ntitle: Guest\n",
      ]),
      history: history(
        ["specs/a.md": approved("PRD-001", "depends-on: [proposals/guest/]\n")],
        unchanged: ["proposals/guest/proposal.yaml"])),
    RuleExample(
      "the decision only changed state (accepted to superseded is not a change of what it says)", triggers: false,
      files: ReferenceRuleSupport.files([
        "specs/a.md": approved("PRD-001", "decision: ADR-002\n"),
        "decisions/adr-002.yaml": "id: ADR-002\nstatus: superseded\ndeciders: [checkout]\nsupersedes: ADR-001\n",
      ]),
      history: history(
        ["specs/a.md": approved("PRD-001", "decision: ADR-002\n")], unchanged: ["decisions/adr-002.yaml"])),
    RuleExample(
      "a draft naming a changed spec: drafts are not approved", triggers: false,
      files: ReferenceRuleSupport.files([
        "specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-002]\n"),
        "specs/b.md": ReferenceRuleSupport.spec("PRD-002") + "\nNow with accounts.\n",
      ]),
      history: history(
        ["specs/a.md": ReferenceRuleSupport.spec("PRD-001", "depends-on: [PRD-002]\n")], unchanged: ["specs/b.md"])),
  ]

  /// A spec in `approved` (the reference rules' workflow, with `approved` locking).
  static func approved(_ id: String, _ fields: String) -> String {
    ReferenceRuleSupport.spec(id, fields).replacingOccurrences(of: "status: draft", with: "status: approved")
  }

  /// `documents` entered their state at commit `c1`; the `unchanged` paths were then as the
  /// reference rules' example repository has them.
  static func history(_ documents: [String: String], unchanged: [String]) -> StateHistory {
    var committed = documents
    for path in unchanged {
      committed[path] = ReferenceRuleSupport.files([:])[path] ?? ReferenceRuleSupport.spec("PRD-002")
    }
    return WorkflowChangedAfterApprovalRule.history(committed)
  }

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    guard context.review == nil, let history = context.stateHistory?.value, history.files != nil else { return [] }
    let locked = context.documents.keys.sorted().compactMap { path in
      context.documents[path].flatMap { Approval.locked($0, in: context, history: history) }
    }
    return locked.parallelMap { locked -> [Diagnostic] in
      ReferenceRuleSupport.references(of: locked.document, in: context).compactMap { reference -> Diagnostic? in
        guard case .document(let target) = reference.resolution, target.path != locked.document.path,
          let current = context.documents[target.path] ?? context.references.followed[target.path],
          let kind = context.config.kind(named: target.kind),
          let approved = Approval.document(
            target.path, kind: kind, at: locked.order, commit: locked.commit, history: history,
            limits: context.limits, current: current)
        else { return nil }
        let changes = Approval.changes(
          current, from: approved, ignoring: context.kindResources.workflows[target.kind]?.field)
        guard !changes.isEmpty else { return nil }
        return Self.descriptor.finding(
          "\(reference.field.name) names \(target.id ?? target.path), whose \(Approval.list(changes)) changed after "
            + "\(Approval.describe(commit: locked.commit, since: locked.since)) made this document \(locked.state); "
            + "check that it still holds and approve it again",
          path: locked.document.path, at: reference.position, jsonPointer: reference.pointer)
      }
    }.flatMap { $0 }
  }
}
