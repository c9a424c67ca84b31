import Foundation
import KeelCore
import KeelTestSupport
import Testing

/// Every id keel can emit is one `keel rules` lists: findings are made by their rule's descriptor
/// (`RuleDescriptor.finding`), never from a string typed at the call site.
@Suite("Rule ids")
struct RuleIDTests {
  static let catalogue = Set(RuleCatalog.descriptors.map(\.id))
  static let families = Set(catalogue.map { String($0.prefix { $0 != "/" }) })

  /// Every Swift source file of the package, with its text.
  static let sources: [(path: String, text: String)] = {
    let root = packageRoot.appendingPathComponent("Sources")
    let files =
      FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
    return files.compactMap { url in
      (try? String(contentsOf: url, encoding: .utf8)).map {
        (String(url.path.dropFirst(root.path.count + 1)), $0)
      }
    }.sorted { $0.path < $1.path }
  }()

  /// The `"family/name"` string literals of `text` whose family is a rule family.
  static func ruleIDLiterals(in text: String) -> [String] {
    let pattern = try! NSRegularExpression(pattern: #""([a-z]+)/([a-zA-Z$-]+)""#)
    let range = NSRange(text.startIndex..., in: text)
    return pattern.matches(in: text, range: range).compactMap { match in
      guard let family = Range(match.range(at: 1), in: text), families.contains(String(text[family])),
        let whole = Range(match.range, in: text)
      else { return nil }
      return String(text[whole].dropFirst().dropLast())
    }
  }

  @Test("the sources read")
  func sourcesRead() {
    #expect(Self.sources.count > 100)
    #expect(Self.sources.contains { $0.path == "KeelCore/Rules/Rule.swift" })
  }

  @Test("only RuleDescriptor.finding builds a Diagnostic")
  func onlyDescriptorsBuildFindings() {
    let call = try! NSRegularExpression(pattern: #"(?<![A-Za-z_.])Diagnostic\("#)
    for (path, text) in Self.sources where path != "KeelCore/Rules/Rule.swift" {
      let count = call.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
      #expect(count == 0, "\(path) builds \(count) Diagnostic(…) from a string id; use a RuleDescriptor")
    }
  }

  @Test("every rule id written in the sources is in the catalogue")
  func literalIDsAreCatalogued() {
    var seen = 0
    for (path, text) in Self.sources {
      for id in Self.ruleIDLiterals(in: text) {
        seen += 1
        #expect(Self.catalogue.contains(id), "\(path) names '\(id)', which `keel rules` does not list")
      }
    }
    #expect(seen > 50, "the scan found too few ids to mean anything")
  }

  @Test("the scan finds an id the catalogue lacks")
  func scanFindsUnknownIDs() {
    let text = #"let a = RuleDescriptor(id: "parse/made-up", summary: ""); let b = "specs/a.md""#
    let unknown = Self.ruleIDLiterals(in: text).filter { !Self.catalogue.contains($0) }
    #expect(unknown == ["parse/made-up"])
  }

  @Test("every id the rule examples and the readers emit is in the catalogue")
  func emittedIDsAreCatalogued() throws {
    var emitted = Set<String>()
    let rules: [[RuleExample]] =
      RuleCatalog.documentRules.map { $0.examples } + RuleCatalog.repositoryRules.map { $0.examples }
    for example in rules.joined() { emitted.formUnion(try example.run().diagnostics.map(\.rule)) }
    // The readers' findings, each from a file that shows it.
    let reader = RuleExample(
      "every reader finding", triggers: true,
      files: [
        "keel.yaml": RuleExample.defaultConfig + "\npeople: people.yaml\nglossary: missing.yaml\n",
        "people.yaml": "people: 3\n",
        "schemas/prd.yaml": RuleExample.defaultSchema,
        "specs/empty.md": "",
        "specs/unterminated.md": "---\ntitle: a\n",
        "specs/bad-yaml.md": "---\ntitle: [a\n---\n",
        "specs/duplicate.md": "---\ntitle: a\ntitle: b\n---\n",
        "specs/tag.md": "---\ntitle: !!python/object a\nowner: a\nstatus: draft\n---\n",
        "specs/conflict.md": "---\ntitle: a\nowner: a\nstatus: draft\n---\n<<<<<<< HEAD\n",
        "specs/binary.md": "a\u{0}b",
      ])
    let findings = try reader.run().diagnostics.map(\.rule)
    for id in [
      "parse/empty", "parse/front-matter-unterminated", "parse/yaml", "parse/duplicate-key", "parse/unknown-tag",
      "parse/conflict-marker", "parse/binary", "config/schema", "config/missing-file",
    ] {
      #expect(findings.contains(id), "\(id) not emitted: \(findings)")
    }
    emitted.formUnion(findings)
    #expect(emitted.subtracting(Self.catalogue).isEmpty, "\(emitted.subtracting(Self.catalogue).sorted())")
  }
}
