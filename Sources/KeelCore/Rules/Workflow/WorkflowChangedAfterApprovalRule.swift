import Foundation

/// `workflow/changed-after-approval`: a document in a state its workflow marks `locks: true`
/// (approved, accepted) whose body or fields (the workflow field aside) changed after the commit
/// that entered that state: what is there is no longer what was approved. `keel check` compares it
/// with its version at that commit (the first of the state's current run, from the state history);
/// review mode and `--staged` with the base version, when the document was in the same state there.
/// One finding per changed field (at its value) and one at the body's first changed line.
public struct WorkflowChangedAfterApprovalRule: RepositoryRule {
  public static let descriptor = RuleDescriptor(
    id: "workflow/changed-after-approval",
    summary: "A document in a state that locks it (approved) changed after the commit that entered that state.",
    defaultSeverity: .warning)

  public static let examples = [
    RuleExample(
      "an approved spec whose body changed after its approval commit", triggers: true, at: "specs/a.md:8:1",
      files: files(spec(solution: "Guest checkout for everyone.")),
      history: history(["specs/a.md": spec(solution: "Guest checkout.")])),
    RuleExample(
      "an approved spec whose reviewers changed", triggers: true, at: "specs/a.md:4:12",
      files: files(spec(reviewers: "[li, sam]")), history: history(["specs/a.md": spec()])),
    RuleExample(
      "approved, unchanged since (the status line aside)", triggers: false, files: files(spec()),
      history: history(["specs/a.md": spec(status: "approved  # approved at review")])),
    RuleExample(
      "a draft that changed: drafts do not lock", triggers: false,
      files: files(spec(status: "draft", solution: "More.")), history: history(["specs/a.md": spec(status: "draft")])),
    RuleExample(
      "a folder document's body file changed after approval", triggers: true,
      at: "proposals/guest/README.md:3:1",
      files: files(spec()).merging(proposal(body: "# Guest\n\nNow with accounts.\n")) { $1 },
      history: history(
        ["specs/a.md": spec(), "proposals/guest/proposal.yaml": proposal(body: "")["proposals/guest/proposal.yaml"]!],
        trees: ["proposals/guest/README.md": "# Guest\n\nGuest checkout.\n"])),
    RuleExample(
      "review mode: a pull request edits an approved spec, at the changed line", triggers: true,
      at: "specs/a.md:8:1",
      files: files(spec(solution: "Guest checkout, and accounts.")), base: files(spec())),
    RuleExample(
      "review mode: the change moves the spec back to review", triggers: false,
      files: files(spec(status: "review", solution: "Reworked.")), base: files(spec())),
  ]

  static let workflow = """
    field: status
    initial: [draft]
    states: {draft: {}, review: {}, approved: {locks: true}}
    transitions: {draft: [review], review: [draft, approved], approved: [review]}
    """

  static func files(_ spec: String) -> [String: String] {
    [
      "keel.yaml": """
      version: 1
      kinds:
        prd:
          include: ["specs/*.md"]
          workflow: workflows/spec.yaml
        proposal:
          include: ["proposals/*/"]
          metadata: proposal.yaml
          body: README.md
          workflow: workflows/spec.yaml
      """,
      "workflows/spec.yaml": workflow, "specs/a.md": spec,
    ]
  }

  static func spec(status: String = "approved", reviewers: String = "[li]", solution: String = "Guest checkout.")
    -> String
  {
    "---\ntitle: Checkout\nstatus: \(status)\nreviewers: \(reviewers)\n---\n# Checkout\n\n\(solution)\n"
  }

  static func proposal(body: String) -> [String: String] {
    ["proposals/guest/proposal.yaml": "title: Guest\nstatus: approved\n", "proposals/guest/README.md": body]
  }

  /// Every document of `committed` entered `approved` (or its state) at commit `c1` with that content.
  static func history(_ committed: [String: String], trees: [String: String] = [:]) -> StateHistory {
    let since = Date(timeIntervalSince1970: 1_772_323_200)  // 2026-03-01
    var entries: [String: StateHistory.Entry] = [:]
    var versions: [String: [StateHistory.Version]] = [:]
    var blobs: [String: Data] = [:]
    for (path, text) in committed {
      let state =
        text.split(separator: "\n").first { $0.hasPrefix("status: ") }.map {
          String($0.dropFirst(8).split(separator: " ")[0])
        } ?? ""
      entries[path] = .init(state: state, since: since, commit: "c1aa5e0", order: 1)
      versions[path] = [.init(order: 1, commit: "c1aa5e0", path: path, blob: "blob-" + path)]
      blobs["blob-" + path] = Data(text.utf8)
    }
    return StateHistory(
      entries: entries, now: since, versions: versions,
      files: MemoryHistoryFiles(blobs: blobs, trees: ["c1aa5e0": trees.mapValues { Data($0.utf8) }]))
  }

  public init() {}

  public func check(_ context: CheckContext) -> [Diagnostic] {
    if let review = context.review {
      return context.documents.keys.sorted().flatMap { path -> [Diagnostic] in
        guard let document = context.documents[path], let workflow = context.workflow(for: document),
          let state = document.field(workflow.field), workflow.state(named: state)?.locks == true,
          let previous = review.previous[path], previous.state == state, let before = previous.document
        else { return [] }
        return Approval.changes(document, from: before, ignoring: workflow.field).map { change in
          Self.descriptor.finding(
            "\(change.what) changed in a document that is \(state) (a state that locks it, since before this "
              + "change); move it back for approval, or make the change in a new document",
            path: change.path, at: change.position)
        }
      }
    }
    guard let history = context.stateHistory?.value, history.files != nil else { return [] }
    let locked = context.documents.keys.sorted().compactMap { path in
      context.documents[path].flatMap { Approval.locked($0, in: context, history: history) }
    }
    return locked.parallelMap { locked -> [Diagnostic] in
      guard
        let approved = Approval.document(
          locked.document.path, kind: locked.kind, at: locked.order, commit: locked.commit, history: history,
          limits: context.limits, current: locked.document)
      else { return [] }
      return Approval.changes(locked.document, from: approved, ignoring: locked.workflowField).map { change in
        Self.descriptor.finding(
          "\(change.what) changed after \(Approval.describe(commit: locked.commit, since: locked.since)) made this "
            + "document \(locked.state), a state that locks it; move it back for approval, or revert the change",
          path: change.path, at: change.position)
      }
    }.flatMap { $0 }
  }
}
