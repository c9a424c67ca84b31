import Foundation
import KeelTestSupport
import Testing

@testable import KeelCore

/// The byte-level reading of optional markers gives Foundation's answer on every ASCII heading.
@Suite struct OptionalMarkerTests {
  @Test func asciiPathAgreesWithTheCharacterPath() throws {
    var random = SeededGenerator(state: 20_261_129)
    let pieces = [
      "Story", " ", "  ", "\t", "1", "(Optional)", "(optional)", "(OPTIONAL)", "optional", "[opt]", "x", "\n",
      "\u{0B}", "\u{0C}", "\u{1F}", "\u{7F}", ":", "Ⓧ", "\r", "é",
    ]
    let markerSets = [["(Optional)"], ["(optional)", "[opt]"], ["OPTIONAL"], [""], ["é"], ["(Optional)", " "]]
    var compared = 0
    for round in 0..<4_000 {
      let count = Int.random(in: 0...6, using: &random)
      let text = (0..<count).map { _ in pieces.randomElement(using: &random)! }.joined()
      let markers = markerSets[round % markerSets.count]
      let expected = Template.unicodeStrippingOptionalMarker(text, markers: markers)
      #expect(Template.strippingOptionalMarker(text, markers: markers) == expected, "\(text.debugDescription)")
      if let ascii = Template.asciiStrippingOptionalMarker(text, markers: markers) {
        compared += 1
        #expect(ascii == expected, "\(text.debugDescription) \(markers)")
      }
    }
    #expect(compared > 1_000)
  }
}
