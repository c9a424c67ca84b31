import Foundation
import KeelTestSupport
import Testing

@testable import KeelCore

/// What code scanning shows about a rule (SARIF `fullDescription`, `help`, `helpUri`).
@Suite struct RuleDocumentationTests {
  /// GitHub's heading anchors: lower case, punctuation but `-` and `_` dropped, spaces as `-`.
  static func githubSlug(_ heading: String) -> String {
    var slug = ""
    for character in heading.lowercased() {
      if character == " " {
        slug.append("-")
      } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
        slug.append(character)
      }
    }
    return slug
  }

  /// The anchors of README.md's headings, outside fenced code blocks.
  static let readmeAnchors: Set<String> = {
    guard let text = try? String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    else { return [] }
    var anchors = Set<String>()
    var inFence = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") { inFence.toggle() }
      guard !inFence, line.hasPrefix("#") else { continue }
      let heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
      anchors.insert(githubSlug(heading))
    }
    return anchors
  }()

  @Test("every rule has a description, help and a helpUri whose anchor is a README heading")
  func everyRuleIsDocumented() throws {
    #expect(Self.readmeAnchors.contains("template"))
    #expect(!Self.readmeAnchors.contains("upgrade-strategy-optional"), "headings in code blocks are not anchors")
    for descriptor in RuleCatalog.allDescriptors {
      let documentation = RuleDocumentation(descriptor)
      #expect(documentation.fullDescription.hasPrefix(descriptor.summary))
      #expect(documentation.helpText.contains(descriptor.summary))
      #expect(documentation.helpMarkdown.contains("keel-disable-next-line \(descriptor.id)"))
      let anchor = RuleDocumentation.anchor(forRuleID: descriptor.id)
      #expect(documentation.helpURI == RuleDocumentation.readmeURI + "#" + anchor)
      #expect(Self.readmeAnchors.contains(anchor), "README.md has a section for \(descriptor.id): #\(anchor)")
      #expect(documentation.helpURI.hasPrefix("https://"))
    }
  }

  @Test("the help is made from the rule's examples: each reporting one's file and location")
  func helpComesFromTheExamples() throws {
    let placeholder = RuleDocumentation(TemplatePlaceholderRule.descriptor)
    #expect(
      placeholder.fullDescription
        == TemplatePlaceholderRule.descriptor.summary
        + " Reported, for example: the Problem prompt left in place; the prompt followed by the author's own text"
        + " in the same paragraph. Not reported: the prompt replaced; a paragraph the template marks"
        + " <!-- keep --> is kept, not a placeholder.")
    #expect(
      placeholder.helpMarkdown.contains("- the Problem prompt left in place, at `specs/a.md:5:1`:\n\n  ```markdown\n"))
    #expect(placeholder.helpMarkdown.contains("  Describe the problem.\n"))
    #expect(placeholder.helpMarkdown.contains("#### Not reported\n\n- the prompt replaced\n"))
    #expect(placeholder.helpText.contains("Default severity: error."))
    #expect(placeholder.helpURI.hasSuffix("README.md#template"))

    // Rendered as a reader sees it: the example file is a code block inside the list item.
    let html = ReporterFixtures.renderGFM(placeholder.helpMarkdown)
    #expect(html.contains("<code class=\"language-markdown\"># Checkout\n\n## Problem\n\nDescribe the problem."))
    #expect(html.contains("<h4>Not reported</h4>"))

    // An id a rule reports besides its own (`schema/enum`) shows the family's examples, saying so.
    let schemaEnum = try #require(RuleCatalog.allDescriptors.first { $0.id == "schema/enum" })
    let enumHelp = RuleDocumentation(schemaEnum)
    #expect(enumHelp.fullDescription.contains("(examples of the schema/* family)"))
    #expect(enumHelp.helpMarkdown.contains("a misspelt status, at its value, at `specs/a.md:4:9`"))
    // A reader finding (`parse/*`) has no examples, but still its summary and configuration.
    let empty = RuleDocumentation(RuleDescriptor(id: "parse/empty", summary: "The file is empty."))
    #expect(empty.fullDescription == "The file is empty.")
    #expect(!empty.helpMarkdown.contains("#### Reported"))
    #expect(empty.helpURI.hasSuffix("#parse"))
  }

  @Test("a fence longer than any backtick run in the example keeps the example one code block")
  func fencesOutgrowBackticks() throws {
    let withFence = RuleDocumentation(TemplatePlaceholderRule.descriptor).helpMarkdown
    #expect(withFence.contains("```markdown"))
    for descriptor in RuleCatalog.allDescriptors {
      let html = ReporterFixtures.renderGFM(RuleDocumentation(descriptor).helpMarkdown)
      #expect(html.contains("<h4>Configure</h4>"), "the code blocks of \(descriptor.id) are closed")
    }
  }

  @Test("SARIF rules carry shortDescription, fullDescription, help (text and markdown) and helpUri")
  func sarifRulesCarryTheHelp() throws {
    let report = Report(
      toolVersion: "1", source: "index", documentCount: 1,
      diagnostics: [Diagnostic(rule: "template/placeholder", message: "m", path: "a.md")],
      rules: [TemplatePlaceholderRule.descriptor])
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(SARIFReporter().render(report).utf8)) as? [String: Any])
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let rule = try #require((driver["rules"] as? [[String: Any]])?.first)
    let documentation = RuleDocumentation(TemplatePlaceholderRule.descriptor)
    #expect((rule["shortDescription"] as? [String: String])?["text"] == TemplatePlaceholderRule.descriptor.summary)
    #expect((rule["fullDescription"] as? [String: String])?["text"] == documentation.fullDescription)
    let help = try #require(rule["help"] as? [String: String])
    #expect(help["text"] == documentation.helpText)
    #expect(help["markdown"] == documentation.helpMarkdown)
    #expect(rule["helpUri"] as? String == documentation.helpURI)
  }
}
