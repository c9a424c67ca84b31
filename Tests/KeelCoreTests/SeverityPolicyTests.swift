import Foundation
import JSONSchema
import Testing

@testable import KeelCore

@Suite("Severity policy")
struct SeverityPolicyTests {
  static func config(_ rules: String) -> String {
    """
    version: 1
    kinds:
      prd:
        include: ["specs/**/*.md"]
        template: templates/prd.md
        workflow: workflows/spec.yaml
    rules:
    \(rules)
    """
  }

  static let workflow = """
    field: status
    initial: [draft]
    states:
      draft: {}
      review: {}
      approved: {}
      shipped: {}
      archived: {final: true}
    transitions:
      draft: [review, archived]
      review: [draft, approved, archived]
      approved: [shipped, review]
      shipped: [archived]
    """

  static func check(_ rules: String, status: String) throws -> [Diagnostic] {
    let files = [
      "keel.yaml": config(rules),
      "templates/prd.md": "# {{title}}\n\n## Problem\n\nDescribe the problem.\n",
      "workflows/spec.yaml": workflow,
      "specs/a.md": "---\nstatus: \(status)\n---\n\n# A\n\n## Problem\n\nDescribe the problem.\n",
    ]
    return try Checker(snapshot: MemorySnapshot(texts: files)).run().diagnostics
  }

  @Test("from: a state means that state and those after it, not counting moves back (review → draft)")
  func onwardStates() throws {
    let workflow = try Workflow.load(Data(Self.workflow.utf8), path: "workflows/spec.yaml")
    #expect(workflow.states(onwardFrom: "review") == ["review", "approved", "shipped", "archived"])
    #expect(workflow.states(onwardFrom: "approved") == ["approved", "shipped", "archived"])
    #expect(workflow.states(onwardFrom: "draft") == ["draft", "review", "approved", "shipped", "archived"])
    #expect(workflow.states(onwardFrom: "nope") == nil)
  }

  @Test("a rule with from: review is off for a draft and applies, at its severity, from review on")
  func stateGated() throws {
    let rule = "  template/placeholder: {severity: warning, from: review}"
    #expect(try Self.check(rule, status: "draft").isEmpty)
    for state in ["review", "approved"] {
      let findings = try Self.check(rule, status: state)
      #expect(findings.map(\.rule) == ["template/placeholder"])
      #expect(findings.map(\.severity) == [.warning])
    }
    // An unknown state is not exempt: the rule applies.
    #expect(try Self.check(rule, status: "drafty").contains { $0.rule == "template/placeholder" })
    // The family form and the plain string form.
    #expect(try Self.check("  template/*: {severity: error, from: [approved]}", status: "review").isEmpty)
    #expect(try Self.check("  template/placeholder: note", status: "draft").map(\.severity) == [.note])
  }

  @Test("an unknown rule id is a configuration error at its key, with a suggestion")
  func unknownRule() throws {
    #expect {
      _ = try Self.check("  glosary/avoided-term: off", status: "draft")
    } throws: { error in
      guard let error = error as? KeelError else { return false }
      return error.path == "keel.yaml" && error.position == SourcePosition(line: 8, column: 3)
        && error.message.contains("unknown rule 'glosary/avoided-term'")
        && error.message.contains("did you mean 'glossary/avoided-term'?")
    }
    #expect {
      _ = try Self.check("  templat/*: off", status: "draft")
    } throws: { error in
      (error as? KeelError)?.message.contains("did you mean 'template/*'?") == true
    }
  }

  @Test("a from: state no workflow has is a configuration error at the state, with a suggestion")
  func unknownState() throws {
    #expect {
      _ = try Self.check("  template/placeholder: {severity: error, from: reveiw}", status: "draft")
    } throws: { error in
      guard let error = error as? KeelError else { return false }
      return error.position?.line == 8 && error.message.contains("did you mean 'review'?")
    }
  }

  @Test("keel rules' listing shows the effective severity and the keel.yaml line it comes from")
  func listing() throws {
    let snapshot = MemorySnapshot(texts: [
      "keel.yaml": Self.config("  template/*: note\n  template/placeholder: {severity: error, from: review}")
    ])
    let listing = RuleListing(config: try KeelConfig.load(from: snapshot))
    let lines = listing.text().split(separator: "\n").map(String.init)
    let placeholder = try #require(lines.first { $0.hasPrefix("template/placeholder ") })
    #expect(placeholder.contains("error   keel.yaml:9, from review"), "\(placeholder)")
    let order = try #require(lines.first { $0.hasPrefix("template/section-order ") })
    #expect(order.contains("note    keel.yaml:8 (template/*)"), "\(order)")
    let schema = try #require(lines.first { $0.hasPrefix("schema/required ") })
    #expect(schema.contains("error   default"))

    let json = try JSONParser.parse(listing.json()).value
    guard case .array(let rules)? = json.objectValue?["rules"] else { Issue.record("no rules array"); return }
    let row = try #require(rules.first { $0.objectValue?["id"] == .string("template/placeholder") }?.objectValue)
    #expect(row["severity"] == .string("error"))
    #expect(row["from"] == .array([.string("review")]))
    #expect(row["line"] == .integer(9))
    #expect(row["source"] == .string("keel.yaml"))
  }
}
