import Foundation
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
