import Foundation

/// Small helpers shared by the export formats (escaping is `TextKit`'s).
enum ExportText {
  /// A fragment id for a heading: lower case, letters and digits kept
  /// (non-ASCII included), everything else collapsed to `-`.
  static func slug(_ text: String) -> String {
    var result = ""
    var pendingDash = false
    for scalar in text.lowercased().unicodeScalars {
      if AvoidedTermMatcher.isWordScalar(scalar) && scalar != "_" {
        if pendingDash && !result.isEmpty { result += "-" }
        pendingDash = false
        result.unicodeScalars.append(scalar)
      } else {
        pendingDash = true
      }
    }
    return result.isEmpty ? "term" : result
  }

  /// Slugs made unique in order: the second `basket` becomes `basket-2`.
  static func uniqueSlugs(_ texts: [String]) -> [String] {
    var used = Set<String>()
    return texts.map { text in
      let base = slug(text)
      var candidate = base
      var counter = 2
      while !used.insert(candidate).inserted {
        candidate = "\(base)-\(counter)"
        counter += 1
      }
      return candidate
    }
  }
}
