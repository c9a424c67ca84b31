import Foundation
import Testing

@testable import KeelCore

/// Review mode and `--staged` check the changed documents only. A change to people.yaml, kpis.yaml
/// or the glossary alone changes no document, yet it breaks the references of those that name what
/// it removed: these get the reference rules.
@Suite("Review mode: people, KPIs and glossary")
struct RegistryReviewTests {
  static let config = """
    version: 1
    people: people.yaml
    kpis: kpis.yaml
    glossary: glossary.yaml
    kinds:
      prd:
        include: ["specs/*.md"]
        schema: schemas/prd.yaml
    """

  static func kpi(_ id: String, northStar: Bool = false) -> String {
    "  - {id: \(id), name: \(id), definition: What it counts., owner: alice, unit: percent, direction: up"
      + (northStar ? ", north-star: true}\n" : "}\n")
  }

  static let base: [String: String] = [
    "keel.yaml": config,
    "people.yaml": "people:\n  - {id: alice, name: Alice}\n  - {id: bob, name: Bob}\n",
    "kpis.yaml": "kpis:\n" + kpi("conversion", northStar: true) + kpi("repeat-rate"),
    "glossary.yaml": "terms:\n  - {term: Checkout, definition: From basket to order.}\n",
    "schemas/prd.yaml": """
    type: object
    properties:
      owner: {type: string, x-keel-ref: person}
      kpi: {type: string, x-keel-ref: kpi}
      topic: {type: string, x-keel-ref: term}
    """,
    "specs/a.md": "---\nowner: bob\nkpi: repeat-rate\ntopic: checkout\n---\n# A\n",
    "specs/b.md": "---\nowner: alice\nkpi: conversion\n---\n# B\n",
  ]

  /// The findings of review mode on `base` with `changes` applied: no document changed, so none is
  /// checked for itself (what `DocumentSelection` asks for when only a registry changed).
  static func review(_ changes: [String: String]) throws -> [String] {
    let head = MemorySnapshot(texts: base.merging(changes) { $1 })
    let comparison = try ReviewBase.comparing(MemorySnapshot(texts: base), to: head)
    return try Checker(snapshot: head).run(documentPaths: [], base: comparison).diagnostics.map {
      "\($0.path):\($0.line):\($0.column): \($0.rule)"
    }
  }

  @Test("a KPI removed from kpis.yaml: kpi/unknown at the specs that name it, nowhere else")
  func kpiRemoved() throws {
    let findings = try Self.review(["kpis.yaml": "kpis:\n" + Self.kpi("conversion", northStar: true)])
    #expect(findings == ["specs/a.md:3:6: kpi/unknown"])
  }

  @Test("a person removed from people.yaml: ref/unknown at the owner fields that name them")
  func personRemoved() throws {
    let findings = try Self.review(["people.yaml": "people:\n  - {id: alice, name: Alice}\n"])
    #expect(findings == ["specs/a.md:2:8: ref/unknown"])
  }

  @Test("a glossary term removed: ref/unknown at the term fields that name it, in any case")
  func termRemoved() throws {
    let findings = try Self.review([
      "glossary.yaml": "terms:\n  - {term: Basket, definition: What the shopper buys.}\n"
    ])
    #expect(findings == ["specs/a.md:4:8: ref/unknown"])
  }

  @Test("a KPI, a person and a term added, a definition reworded: nothing to report")
  func nothingRemoved() throws {
    let findings = try Self.review([
      "kpis.yaml": Self.base["kpis.yaml"]! + Self.kpi("retention"),
      "people.yaml": Self.base["people.yaml"]! + "  - {id: carol, name: Carol}\n",
      "glossary.yaml": "terms:\n  - {term: Checkout, definition: From basket to paid order.}\n"
        + "  - {term: Basket, definition: What the shopper buys.}\n",
    ])
    #expect(findings == [])
  }
}
