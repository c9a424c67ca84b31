import Foundation
import JSONSchema
import KeelCore
import Testing

@Suite("RACI rules")
struct RACIRuleTests {
  @Test("an activity without A is reported at the activity, with its id")
  func missingAccountable() throws {
    let findings = try checkFiles(
      RACIFixtures.files([
        "raci/a.yaml": """
        title: Checkout
        activities:
          - id: ok
            R: [alice]
            A: bob
          - id: release
            name: Release a change
            R: [alice]
        """
      ])
    ).filter { $0.rule == "raci/accountable-count" }
    #expect(findings.count == 1)
    #expect(findings.map(location) == ["raci/a.yaml:6:5"])
    #expect(findings.first?.message.contains("'release'") == true)
    #expect(findings.first?.jsonPointer == "/activities/1")
  }

  @Test("a team may be the A; two names under A are reported at the second")
  func accountableTeamAndTwoNames() throws {
    let findings = try checkFiles(
      RACIFixtures.files([
        "raci/a.yaml": """
        activities:
          - id: team-a
            R: [alice]
            A: data-team
          - id: two
            R: [alice]
            A:
              - bob
              - carol
        """
      ]))
    let accountable = findings.filter { $0.rule == "raci/accountable-count" }
    #expect(accountable.map(location) == ["raci/a.yaml:9:9"])
    #expect(!findings.contains { $0.rule == "config/schema" }, "a list under A is for the rule, not the schema")
  }

  @Test("no R: absent or empty; a single string counts")
  func responsible() throws {
    let findings = try checkFiles(
      RACIFixtures.files([
        "raci/a.yaml": """
        activities:
          - id: absent
            A: bob
          - id: empty
            A: bob
            R: []
          - id: string
            A: bob
            R: alice
        """
      ])
    ).filter { $0.rule == "raci/no-responsible" }
    #expect(findings.map(location) == ["raci/a.yaml:2:5", "raci/a.yaml:6:8"])
  }

  @Test("unknown names, at each name, with a suggestion; known people and teams pass")
  func unknownPerson() throws {
    let findings = try checkFiles(
      RACIFixtures.files([
        "raci/a.yaml": """
        activities:
          - id: one
            R: [alice, Bob]
            A: carrol
            C: [data-team]
            I: [zed]
        """
      ])
    ).filter { $0.rule == "raci/unknown-person" }
    #expect(findings.map(location) == ["raci/a.yaml:3:16", "raci/a.yaml:4:8", "raci/a.yaml:6:9"])
    #expect(findings[0].message.contains("did you mean 'bob'"))
    #expect(findings[1].message.contains("did you mean 'carol'"))
    #expect(!findings[2].message.contains("did you mean"))
  }

  @Test("without a people registry, names are not checked")
  func noRegistry() throws {
    let findings = try checkFiles([
      "keel.yaml": "version: 1\nraci: [\"raci/*.yaml\"]\nkinds:\n  prd:\n    include: [\"specs/*.md\"]\n",
      "raci/a.yaml": "activities:\n  - id: one\n    R: [nobody]\n    A: someone\n",
    ])
    #expect(!findings.contains { $0.rule == "raci/unknown-person" })
  }

  @Test("the same activity id twice in one file is reported; across files it is fine")
  func duplicateActivity() throws {
    let activity = "  - id: approve\n    R: [alice]\n    A: bob\n"
    let findings = try checkFiles(
      RACIFixtures.files([
        "raci/a.yaml": "activities:\n" + activity + activity,
        "raci/b.yaml": "activities:\n" + activity,
      ])
    ).filter { $0.rule == "raci/duplicate-activity" }
    #expect(findings.map(location) == ["raci/a.yaml:5:5"])
    #expect(findings.first?.related.first.map { "\($0.line):\($0.column)" } == "2:5")
  }

  @Test("conflicting roles: A with R (either order) is fine; A with C, C with I, R twice are not")
  func conflictingRoles() throws {
    let findings = try checkFiles(
      RACIFixtures.files([
        "raci/a.yaml": """
        activities:
          - id: a-and-r
            A: bob
            R: [bob]
          - id: r-and-a
            R: [bob]
            A: bob
          - id: c-and-i
            R: [alice]
            A: bob
            C: [carol]
            I: [carol]
          - id: a-and-c
            R: [alice]
            A: bob
            C: [bob]
          - id: r-twice
            R: [alice, alice]
            A: bob
        """
      ])
    ).filter { $0.rule == "raci/conflicting-roles" }
    #expect(findings.map(location) == ["raci/a.yaml:12:9", "raci/a.yaml:16:9", "raci/a.yaml:18:16"])
    #expect(findings[0].message.contains("both C and I"))
    #expect(findings[2].message.contains("R twice"))
    #expect(findings[0].related.first.map { "\($0.line):\($0.column)" } == "11:9")
  }

  @Test("schema errors in a RACI file are located at the YAML node")
  func schemaErrors() throws {
    let findings = try checkFiles(
      RACIFixtures.files([
        "raci/a.yaml": """
        activities:
          - id: one
            R: [alice]
            A: bob
            X: [carol]
          - id: two
            R: 3
            A: bob
        """
      ])
    ).filter { $0.rule == "config/schema" }
    #expect(findings.contains { location($0) == "raci/a.yaml:5:5" }, "\(findings)")
    #expect(findings.contains { $0.line == 7 }, "\(findings)")
    #expect(findings.allSatisfy { $0.path == "raci/a.yaml" })
  }

  @Test("malformed YAML in a RACI file is a located parse finding, not a crash")
  func malformedRACI() throws {
    let findings = try checkFiles(RACIFixtures.files(["raci/a.yaml": "activities:\n  - id: [unclosed\n"]))
    #expect(findings.contains { $0.path == "raci/a.yaml" && $0.rule.hasPrefix("parse/") }, "\(findings)")
  }

  @Test("a people registry keel.yaml names but the snapshot lacks is reported at keel.yaml's key")
  func missingPeopleFile() throws {
    var files = RACIFixtures.files([:])
    files["people.yaml"] = nil
    let findings = try checkFiles(files).filter { $0.rule == "config/missing-file" }
    #expect(findings.map(location) == ["keel.yaml:2:9"])
  }

  @Test("RACI files outside the raci globs are not read")
  func globs() throws {
    let findings = try checkFiles(
      RACIFixtures.files(["other/a.yaml": "activities:\n  - id: one\n", "raci/sub/a.yaml": "activities:\n  - id: x\n"]))
    #expect(!findings.contains { $0.rule.hasPrefix("raci/") })
  }

  @Test("accountable names: as written, and people accountable through a team")
  func accountableIndex() throws {
    let result = try Checker(
      snapshot: MemorySnapshot(
        texts: RACIFixtures.files([
          "raci/a.yaml":
            "activities:\n  - id: one\n    R: [alice]\n    A: data-team\n  - id: two\n    R: [carol]\n    A: bob\n"
        ]))
    ).run()
    let raci = result.context.raci
    #expect(raci.accountableNames == ["data-team", "bob"])
    #expect(raci.isAccountable("carol", people: result.context.people))
    #expect(raci.isAccountable("bob", people: result.context.people))
    #expect(!raci.isAccountable("alice", people: result.context.people))
    #expect(result.context.people.person("alice")?.name == "Alice Adams")
  }

  @Test("the example repository: each deliberate RACI mistake, at its line")
  func exampleRepository() throws {
    let findings = try Checker(snapshot: FileSystemSnapshot(root: productOpsExample)).run().diagnostics
    let raci = findings.filter { $0.rule.hasPrefix("raci/") }.map { "\($0.rule) \(location($0))" }
    #expect(
      raci == [
        "raci/accountable-count raci/checkout.yaml:21:5",
        "raci/conflicting-roles raci/growth.yaml:13:9",
        "raci/unknown-person raci/growth.yaml:14:16",
      ])
    #expect(!findings.contains { $0.path == "people.yaml" }, "\(findings.filter { $0.path == "people.yaml" })")
  }
}
