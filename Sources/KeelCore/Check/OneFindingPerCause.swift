import JSONSchema

/// One mistake, one finding. Rules run independently, so a single cause can
/// reach several of them; after suppressions and `rules:` have been applied,
/// the finding that names the cause most precisely is kept and the echoes are
/// dropped:
///
/// - an empty file is `parse/empty` and nothing else;
/// - a front-matter field that fails the kind's schema (`schema/enum` for
///   `status: shiped`, `schema/required` for a missing `owner`) is not also a
///   `workflow/*` finding about that field (`workflow/unknown-state`,
///   `workflow/requirement-unmet`), nor a `score/*` finding about it (`reach: lots`);
/// - a section holding only the template's placeholder text
///   (`template/placeholder`), nothing (`template/empty-section`), or missing
///   where the template requires it too (`template/missing-section`) is not also
///   `workflow/requirement-unmet` for that section.
///
/// A finding suppressed by a comment still stands for its cause (its echoes
/// are dropped too); a rule that is `off` does not, so the echo then shows.
enum OneFindingPerCause {
  static func apply(
    kept: [Diagnostic], suppressed: [SuppressedDiagnostic], context: CheckContext
  ) -> (kept: [Diagnostic], suppressed: [SuppressedDiagnostic]) {
    let causes = kept + suppressed.map(\.diagnostic)
    let byPath = Dictionary(grouping: causes, by: \.path)
    let documents = context.documentsByFindingPath
    let echoes = Set(
      causes.filter { isEcho($0, of: byPath[$0.path] ?? [], document: documents[$0.path], context: context) })
    guard !echoes.isEmpty else { return (kept, suppressed) }
    return (kept.filter { !echoes.contains($0) }, suppressed.filter { !echoes.contains($0.diagnostic) })
  }

  /// Whether `finding` repeats a cause another finding of the same file (`findings`) already names.
  private static func isEcho(
    _ finding: Diagnostic, of findings: [Diagnostic], document: Document?, context: CheckContext
  ) -> Bool {
    if finding.rule != ReaderRules.empty.id && findings.contains(where: { $0.rule == ReaderRules.empty.id }) {
      return true
    }
    guard finding.rule.hasPrefix("workflow/") || finding.rule.hasPrefix("score/") else { return false }
    let schemaFindings = findings.filter { $0.rule.hasPrefix("schema/") }
    if let pointer = finding.jsonPointer {
      if schemaFindings.contains(where: { $0.jsonPointer == pointer }) { return true }
      // A missing field: the schema's `required` reports it at the object, naming it.
      let field = pointer.dropFirst().replacingOccurrences(of: "~1", with: "/").replacingOccurrences(
        of: "~0", with: "~")
      if pointer.hasPrefix("/"), !field.contains("/"),
        schemaFindings.contains(where: {
          $0.rule == "schema/required" && $0.message == "missing required property '\(field)'"
        })
      {
        return true
      }
      return false
    }
    guard finding.rule == "workflow/requirement-unmet" else { return false }
    if findings.contains(where: { $0.rule == "template/missing-section" }),
      isMissingTemplateSection(finding, context: context)
    {
      return true
    }
    // A section requirement is reported at the section's heading, as an empty section is.
    if findings.contains(where: {
      $0.rule == "template/empty-section" && $0.line == finding.line && $0.column == finding.column
    }) {
      return true
    }
    let placeholders = Set(
      findings.filter { $0.rule == "template/placeholder" }.map { SourcePosition(line: $0.line, column: $0.column) })
    guard !placeholders.isEmpty, let document else { return false }
    let outline = context.structure(of: document).outline
    guard
      let heading = outline.headings.firstIndex(where: { $0.line == finding.line && $0.column == finding.column })
    else { return false }
    let blocks = outline.contentBlocks(under: heading).filter { !$0.isComment }
    return !blocks.isEmpty
      && blocks.allSatisfy { placeholders.contains(SourcePosition(line: $0.line, column: $0.column)) }
  }

  /// Whether `finding` is a state's requirement of a section (or checklist) the document lacks,
  /// which the template requires too (`template/missing-section` names it). Such findings sit at
  /// the state's value without a pointer; they are told apart only when every missing
  /// required section is one the template requires.
  private static func isMissingTemplateSection(_ finding: Diagnostic, context: CheckContext) -> Bool {
    guard let document = context.documents[finding.path],
      let located = WorkflowRuleSupport.locate(document, in: context),
      located.position.line == finding.line, located.position.column == finding.column,
      let requires = located.state.flatMap(located.workflow.state(named:))?.requires,
      let match = context.structure(of: document).match
    else { return false }
    let missing = (requires.sections + requires.checklists).filter {
      match.outline.headingIndex(forKey: Template.key($0)) == nil
    }
    let sections = match.template.sections
    let templateMissing = Set(
      sections.indices.filter { match.headingForSection[$0] == nil && !sections[$0].isOptional }.map {
        sections[$0].key
      })
    return !missing.isEmpty && missing.allSatisfy { templateMissing.contains(Template.key($0)) }
  }
}
