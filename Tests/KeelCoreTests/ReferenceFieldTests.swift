import Foundation
import KeelCore
import Testing

/// Reading `x-keel-ref` annotations from a kind's schema.
@Suite("Reference annotations")
struct ReferenceFieldTests {
  static func check(schema: String, spec: String) throws -> CheckResult {
    try RuleExample(
      "", triggers: false,
      files: [
        "keel.yaml": RuleExample.defaultConfig + "\npeople: people.yaml\n",
        "people.yaml": "people:\n  - {id: alice, name: Alice}\n",
        "schemas/prd.yaml": schema,
        "specs/a.md": spec,
      ]
    ).run()
  }

  @Test("a misspelt target is a configuration error at the annotation, with the name meant")
  func misspeltTarget() throws {
    #expect {
      try Self.check(schema: "type: object\nproperties:\n  owner: {type: string, x-keel-ref: persn}\n", spec: "")
    } throws: { error in
      let description = String(describing: error)
      return description.hasPrefix("schemas/prd.yaml:3:37: ") && description.contains("did you mean 'person'?")
    }
  }

  @Test("a kind keel.yaml does not have is left out; the other targets still apply")
  func absentKind() throws {
    let schema = "type: object\nproperties:\n  owner: {type: string, x-keel-ref: [rfc, person]}\n"
    let result = try Self.check(schema: schema, spec: "---\nowner: bob\n---\n")
    #expect(result.diagnostics.map(\.rule) == ["ref/unknown"])
    #expect(result.diagnostics.first?.message == "'bob' in owner is not a person of people.yaml")
    let none = try Self.check(
      schema: "type: object\nproperties:\n  owner: {type: string, x-keel-ref: rfc}\n", spec: "---\nowner: bob\n---\n")
    #expect(none.diagnostics.isEmpty)
  }

  @Test("of several ids as close, 'did you mean' names the first in order, every time")
  func stableSuggestion() throws {
    var files = [
      "keel.yaml": RuleExample.defaultConfig,
      "schemas/prd.yaml": "type: object\nproperties:\n  depends-on: {type: array, x-keel-ref: prd}\n",
      "specs/z.md": "---\nid: PRD-9\ndepends-on: [PRD-X]\n---\n",
    ]
    for index in (1...8).reversed() { files["specs/\(index).md"] = "---\nid: PRD-\(index)\n---\n" }
    for _ in 0..<3 {
      let result = try RuleExample("", triggers: true, files: files).run()
      #expect(
        result.diagnostics.map(\.message) == [
          "'PRD-X' in depends-on is not a prd document (its id or path); did you mean 'PRD-1'?"
        ])
    }
  }

  @Test("a flag that is not a boolean is a configuration error")
  func badFlag() throws {
    #expect(throws: KeelError.self) {
      try Self.check(
        schema: "type: object\nproperties:\n  d: {type: array, x-keel-ref: person, x-keel-ref-acyclic: yes-please}\n",
        spec: "")
    }
  }
}
