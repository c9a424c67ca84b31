/// What a reader of a finding learns about its rule outside Keel (SARIF's
/// `shortDescription`, `fullDescription`, `help` and `helpUri`, shown by code
/// scanning): made from the rule's descriptor and the examples every rule
/// carries (`RuleExample`), so that it cannot drift from what the rule does.
public struct RuleDocumentation: Sendable, Hashable {
  public var id: String
  /// The descriptor's summary: one sentence.
  public var summary: String
  /// The summary, then in prose what the rule's examples report and leave alone.
  public var fullDescription: String
  /// Plain text: the full description, the default severity, how to configure and silence the rule.
  public var helpText: String
  /// The same in Markdown, with each reporting example's file and where the finding lands.
  public var helpMarkdown: String
  /// The README section of the rule's family (`…/README.md#template`).
  public var helpURI: String

  /// Where the contract (README.md) is read online, without a fragment.
  public static let readmeURI = "https://github.com/keel-ops/keel/blob/main/README.md"

  /// The README anchor of a rule's family: the heading `` ### `template/*` `` under Rules,
  /// which GitHub turns into `#template`.
  public static func anchor(forRuleID id: String) -> String {
    (id.split(separator: "/", maxSplits: 1).first.map(String.init) ?? id).lowercased()
  }

  public init(_ descriptor: RuleDescriptor) {
    let examples = RuleCatalog.examples(forRuleID: descriptor.id)
    id = descriptor.id
    summary = descriptor.summary
    helpURI = Self.readmeURI + "#" + Self.anchor(forRuleID: descriptor.id)
    let reported = examples.list.filter(\.triggers)
    let notReported = examples.list.filter { !$0.triggers }
    let family = examples.ofFamily ? " (examples of the \(examples.familyRule) family)" : ""

    var prose = descriptor.summary
    if !reported.isEmpty {
      prose += " Reported, for example\(family): " + reported.map(\.name).joined(separator: "; ") + "."
    }
    if !notReported.isEmpty { prose += " Not reported: " + notReported.map(\.name).joined(separator: "; ") + "." }
    fullDescription = prose

    let severity = descriptor.defaultSeverity.rawValue
    let configure =
      "Default severity: \(severity). Set it in keel.yaml under rules: (\(descriptor.id): error, warning, note, off, "
      + "or {severity: error, from: review} to apply it from a workflow state on)."
    let silence =
      "Silence one finding with <!-- keel-disable-next-line \(descriptor.id) -- reason --> in Markdown or "
      + "# keel-disable-line \(descriptor.id) in YAML; keel baseline records every current finding."
    helpText = [prose, configure, silence, "More: " + helpURI].joined(separator: "\n\n")

    var markdown = [TextKit.markdown(descriptor.summary)]
    if !reported.isEmpty {
      markdown.append("#### Reported" + (examples.ofFamily ? " (the `\(examples.familyRule)` family)" : ""))
      for example in reported { markdown.append(Self.markdown(reportingExample: example)) }
    }
    if !notReported.isEmpty {
      markdown.append("#### Not reported")
      markdown.append(notReported.map { "- " + TextKit.markdown($0.name) }.joined(separator: "\n"))
    }
    markdown.append("#### Configure")
    markdown.append(
      "Default severity: **\(severity)**. In `keel.yaml`: `rules: {\(descriptor.id): warning}` "
        + "(`error`, `warning`, `note`, `off`, or `{severity: error, from: review}`). One finding: "
        + "`<!-- keel-disable-next-line \(descriptor.id) -- reason -->` in Markdown, "
        + "`# keel-disable-line \(descriptor.id)` in YAML. [More](\(helpURI)).")
    helpMarkdown = markdown.joined(separator: "\n\n")
  }

  /// `*name*, at specs/a.md:5:1:` and the file the finding is in, as a fenced block.
  private static func markdown(reportingExample example: RuleExample) -> String {
    var text = "- " + TextKit.markdown(example.name)
    guard let location = example.location else { return text }
    text += ", at `\(location)`"
    let path = String(location.split(separator: ":").first ?? "")
    guard let file = example.files[path] else { return text }
    var longestRun = 0
    var run = 0
    for character in file {
      run = character == "`" ? run + 1 : 0
      longestRun = max(longestRun, run)
    }
    let fence = String(repeating: "`", count: max(3, longestRun + 1))
    let language =
      path.hasSuffix(".md") ? "markdown" : path.hasSuffix(".json") ? "json" : path.hasSuffix(".yaml") ? "yaml" : ""
    let body = file.hasSuffix("\n") ? String(file.dropLast()) : file
    let indented = (fence + language + "\n" + body + "\n" + fence).split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    return text + ":\n\n" + indented
  }
}

extension RuleCatalog {
  /// The examples that show a rule id: its rule's own, or for an id a rule reports besides its
  /// main one (`schema/enum` of the schema rule) the rule's examples, marked as the family's.
  /// Reader findings (`parse/*`, `config/*`) have none.
  static func examples(forRuleID id: String) -> (list: [RuleExample], ofFamily: Bool, familyRule: String) {
    let rules: [(descriptor: RuleDescriptor, additional: [RuleDescriptor], examples: [RuleExample])] =
      documentRules.map { ($0.descriptor, $0.additionalDescriptors, $0.examples) }
      + repositoryRules.map { ($0.descriptor, $0.additionalDescriptors, $0.examples) }
    for rule in rules {
      if rule.descriptor.id == id { return (rule.examples, false, id) }
      if rule.additional.contains(where: { $0.id == id }) {
        let family = (id.split(separator: "/").first.map(String.init) ?? id) + "/*"
        return (rule.examples, true, family)
      }
    }
    return ([], false, id)
  }
}
