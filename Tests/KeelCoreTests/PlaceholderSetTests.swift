import Foundation
import KeelTestSupport
import Testing

@testable import KeelCore

/// The placeholder search against the plain definition it replaces: a block repeats a placeholder
/// when its normalised text equals one, or contains one of at least 12 bytes.
@Suite("Placeholder set")
struct PlaceholderSetTests {
  static func reference(_ text: String, _ placeholders: [String]) -> Bool {
    guard !text.isEmpty else { return false }
    return placeholders.contains { placeholder in
      text == placeholder
        || (placeholder.utf8.count >= PlaceholderSet.minimumContainedLength
          && text.utf8.count >= placeholder.utf8.count
          && (0...(text.utf8.count - placeholder.utf8.count)).contains { start in
            text.utf8.dropFirst(start).starts(with: placeholder.utf8)
          })
    }
  }

  static let placeholders = [
    "describe the problem.", "tbd", "list the risks and how they are handled", "écrire le résumé ici.",
    "describe the problem and the users", "exactly12byt", "short one", "x",
    // Same first eight bytes as another placeholder, different after.
    "describe the solution.",
  ]

  @Test("every kind of text: equal, containing, cut short, changed, at each offset, non-ASCII")
  func agreesWithTheDefinition() {
    let set = PlaceholderSet(Self.placeholders)
    var texts = ["", "tbd", "tbd.", "the tbd", "x", "xx", "short one", "a short one", "écrire le résumé ici"]
    for placeholder in Self.placeholders {
      let cut = String(placeholder.dropLast())
      let changed = cut + "?"
      for body in [placeholder, cut, changed] {
        for prefix in ["", "a", "some text, ", "é ", "describe the "] {
          for suffix in ["", ".", " and more text", " é"] {
            texts.append(prefix + body + suffix)
          }
        }
      }
    }
    for text in texts {
      #expect(set.matches(normalised: text) == Self.reference(text, Self.placeholders), "\(text)")
    }
    #expect(set.matches(normalised: "we describe the problem. here"))
    #expect(!set.matches(normalised: "we describe the problem here"))
    #expect(!set.matches(normalised: "the tbd"), "a short placeholder only matches a whole block")
  }

  @Test("a block is normalised and searched in one pass, as normalising then searching does")
  func blocksAgreeWithTheirNormalisedText() {
    let set = PlaceholderSet(Self.placeholders)
    var random = SeededGenerator(state: 42)
    let pieces = [
      "Describe", "the", "PROBLEM.", "problem", "and", "the users", "  ", "\n", "\t", "\r\n", "TBD", "Exactly12Byt",
      "short one", "x", "list the risks", "and how they are handled", "Écrire le résumé ici.", "é",
      "describe the solution.",
      "describe the problem.", "list the risks and how they are handled",
    ]
    var texts = Self.placeholders.map { $0.uppercased() } + Self.placeholders.map { " \t" + $0 + "\n\n" }
    for _ in 0..<2000 {
      let count = Int(random.next() % 8)
      texts.append((0...count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined(separator: " "))
    }
    for text in texts {
      let block = MarkdownBlock(kind: .paragraph, text: text, line: 1, column: 1, endLine: 1)
      #expect(set.matches(block) == set.matches(normalised: Template.normaliseProse(text)), "\(text)")
    }
    #expect(
      set.matches(
        MarkdownBlock(kind: .paragraph, text: "We  DESCRIBE the\nproblem. Then", line: 1, column: 1, endLine: 1)))
  }

  @Test("comparing text collapsed as it goes agrees with collapsing it first")
  func collapsedComparisonAgreesWithCollapsing() {
    var random = SeededGenerator(state: 9)
    let pieces = ["Items", "marked", "with (R)", " ", "  ", "\n", "\t", "\r\n", "é", "\u{00A0}", "are required.", ""]
    var texts = ["", " ", "a", " a ", "a  b", "a\nb\n"]
    for _ in 0..<1500 {
      texts.append((0..<Int(random.next() % 7)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined())
    }
    let targets = Set(texts.map(Template.collapseWhitespace)).sorted() + ["a b ", " a", "items marked"]
    for text in texts {
      for target in targets.prefix(40) + [Template.collapseWhitespace(text)] {
        #expect(
          Template.collapsesWhitespace(text, to: target) == (Template.collapseWhitespace(text) == target),
          "\(text.debugDescription) \(target.debugDescription)")
      }
    }
  }

  @Test func anEmptySetMatchesNothing() {
    let set = PlaceholderSet([])
    #expect(set.isEmpty)
    #expect(!set.matches(normalised: "describe the problem."))
  }

  @Test func templatesKeepEverySectionsPlaceholders() {
    let template = Template.parse(
      Data(
        "# {{title}}\n\n## Problem\n\nDescribe the problem.\n\n## Risks\n\nList the risks and how they are handled.\n"
          .utf8),
      path: "templates/t.md")
    #expect(template.placeholders.matches(normalised: "describe the problem."))
    #expect(template.placeholders.matches(normalised: "first, list the risks and how they are handled."))
    #expect(!template.placeholders.matches(normalised: "the risks are small"))
  }

  @Test("long messages are cut at 60 characters, counted as characters")
  func abbreviation() {
    #expect(TemplatePlaceholderRule.abbreviate(String(repeating: "é", count: 60)) == String(repeating: "é", count: 60))
    #expect(
      TemplatePlaceholderRule.abbreviate(String(repeating: "é", count: 61)) == String(repeating: "é", count: 57) + "…")
    #expect(TemplatePlaceholderRule.abbreviate("") == "")
  }
}
