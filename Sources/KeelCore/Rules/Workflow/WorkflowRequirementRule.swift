import JSONSchema

/// What a state requires of a document in it: fields filled in, sections with
/// content, checklists fully ticked, approvers who are accountable in a RACI
/// matrix. Each unmet requirement is one finding, located at what is wrong
/// (the empty field, the unticked item) or at the state when something is absent.
public struct WorkflowRequirementRule: DocumentRule {
  public static let descriptor = RuleDescriptor(
    id: "workflow/requirement-unmet", summary: "A document does not meet what its workflow state requires.")

  public static let examples = [
    RuleExample(
      "in review with no reviewers, at the empty field", triggers: true, at: "specs/a.md:4:12",
      files: WorkflowRuleSupport.files("---\ntitle: Checkout\nstatus: review\nreviewers: []\n---\n# Checkout\n")),
    RuleExample(
      "approved with an unticked Definition of Ready item, at the item", triggers: true, at: "specs/a.md:15:1",
      files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("approved") + "- [ ] Estimate attached\n")),
    RuleExample(
      "approved without a Solution section, at the state", triggers: true, at: "specs/a.md:3:9",
      files: WorkflowRuleSupport.files(
        "---\ntitle: Checkout\nstatus: approved\n---\n# Checkout\n\n## Definition of Ready\n\n- [x] Ready\n")),
    RuleExample(
      "approved with everything it needs", triggers: false,
      files: WorkflowRuleSupport.files(WorkflowRuleSupport.spec("approved"))),
    RuleExample(
      "a draft needs nothing", triggers: false, files: WorkflowRuleSupport.files("---\nstatus: draft\n---\n")),
  ]

  public init() {}

  public func check(_ document: Document, in context: CheckContext) -> [Diagnostic] {
    guard let located = WorkflowRuleSupport.locate(document, in: context), let name = located.state,
      let state = located.workflow.state(named: name)
    else { return [] }
    return Self.unmet(state.requires, state: name, document: document, at: located.position, in: context)
  }

  /// The findings for `requirements` not met by `document`; `keel transition`
  /// calls this for the state it is about to write.
  static func unmet(
    _ requirements: Workflow.Requirements, state: String, document: Document, at statePosition: SourcePosition,
    in context: CheckContext
  ) -> [Diagnostic] {
    guard !requirements.isEmpty else { return [] }
    var findings: [Diagnostic] = []
    /// Sections and checklists are in the body (a folder document's body file), fields where the state is.
    func report(_ message: String, at position: SourcePosition?, pointer: String? = nil, inBody: Bool = false) {
      let path = inBody && position != nil ? document.bodyPath : document.path
      findings.append(
        descriptor.finding(
          "state '\(state)' requires \(message)", path: path,
          at: position ?? statePosition, jsonPointer: pointer))
    }
    let object = document.frontMatter?.value.objectValue
    let sourceMap = document.frontMatter?.content.sourceMap

    for field in requirements.fields {
      let pointer = "/" + JSONValue.escapePointerToken(field)
      guard let value = object?[field], !Self.isEmpty(value) else {
        let present = object?[field] != nil
        report(
          present ? "'\(field)' to be filled in" : "a '\(field)' field", at: present ? sourceMap?.values[pointer] : nil,
          pointer: pointer)
        continue
      }
    }

    let outline = context.structure(of: document).outline
    let template = context.template(for: document)
    let placeholders = template?.placeholders ?? PlaceholderSet([])
    for section in requirements.sections {
      guard let index = outline.headingIndex(forKey: Template.key(section)) else {
        report("a '\(section)' section", at: nil)
        continue
      }
      let content = outline.contentBlocks(under: index).filter { !placeholders.matches($0) }
      if content.isEmpty {
        let heading = outline.headings[index]
        report(
          "the '\(section)' section to have content", at: SourcePosition(line: heading.line, column: heading.column),
          inBody: true)
      }
    }

    for checklist in requirements.checklists {
      guard let index = outline.headingIndex(forKey: Template.key(checklist)) else {
        report("a '\(checklist)' checklist", at: nil)
        continue
      }
      let heading = outline.headings[index]
      let tasks = outline.tasks(under: index)
      if tasks.isEmpty {
        report(
          "the '\(checklist)' section to hold a ticked checklist",
          at: SourcePosition(line: heading.line, column: heading.column), inBody: true)
      }
      for task in tasks where !task.checked {
        report(
          "every item of '\(checklist)' ticked; '\(task.text)' is not",
          at: SourcePosition(line: task.line, column: task.column), inBody: true)
      }
    }

    if let policy = requirements.approvers {
      let pointer = "/approvers"
      let approvers = object?["approvers"]?.stringList ?? []
      if approvers.isEmpty {
        // Already reported when `fields` lists `approvers`.
        if !requirements.fields.contains("approvers") {
          report("at least one name in 'approvers'", at: sourceMap?.values[pointer], pointer: pointer)
        }
      } else if policy == .accountable {
        let single = object?["approvers"]?.stringValue != nil
        for (offset, name) in approvers.enumerated() where isAccountable(name, in: context) == false {
          let itemPointer = single ? pointer : "\(pointer)/\(offset)"
          report(
            "every approver to be accountable (the A) for a RACI activity; '\(name)' is not",
            at: sourceMap?.values[itemPointer], pointer: itemPointer)
        }
      }
    }
    return findings
  }

  /// Whether `name` may approve under `approvers: accountable`: the `A` of
  /// some RACI activity, directly or through a team. nil (not checked) when
  /// keel.yaml lists no RACI matrix.
  static func isAccountable(_ name: String, in context: CheckContext) -> Bool? {
    guard !context.config.raci.isEmpty else { return nil }
    return context.raci.isAccountable(name, people: context.people)
  }

  static func isEmpty(_ value: JSONValue) -> Bool {
    switch value {
    case .null: true
    case .string(let text): text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    case .array(let items): items.isEmpty
    case .object(let object): object.isEmpty
    default: false
    }
  }
}
