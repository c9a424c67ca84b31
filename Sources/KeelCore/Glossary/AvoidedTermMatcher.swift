import Foundation

/// Finds a glossary's avoided words in prose: whole words only, any case,
/// multi-word phrases across spaces, line breaks and emphasis markers, at their
/// exact line and column (in Unicode scalars).
///
/// A word is a run of letters, digits, combining marks and `_`; everything
/// else (spaces, punctuation, `-`, `'`) separates words, so `cart` matches in
/// `cart-based` and `cart's` but not in `carts` or `cartography`. Words of a
/// phrase must be separated as in the phrase: by whitespace where the phrase
/// has a space, by the same punctuation otherwise (`e-mail` matches `E-mail`,
/// not `e mail`).
public struct AvoidedTermMatcher: Sendable {
  /// One avoided word or phrase and the term to use instead.
  public struct Entry: Sendable, Hashable {
    public var phrase: String
    public var preferred: String
    public init(phrase: String, preferred: String) {
      self.phrase = phrase
      self.preferred = preferred
    }
  }

  /// An avoided phrase found in text.
  public struct Match: Sendable, Hashable {
    /// The words as written in the text (`Purchase funnel`).
    public var text: String
    public var entry: Entry
    public var line: Int
    public var column: Int
  }

  private struct Pattern: Sendable {
    var words: [String]
    /// Separator before each word after the first (normalised).
    var separators: [String]
    var entry: Entry
  }

  /// First word (lower-cased) → patterns starting with it, longest first.
  private let patternsByFirstWord: [String: [Pattern]]

  public init(_ entries: [Entry]) {
    var byFirst: [String: [Pattern]] = [:]
    var seen = Set<String>()
    for entry in entries {
      let tokens = Self.tokenize(entry.phrase, line: 1, column: 1)
      guard let first = tokens.first else { continue }
      let key = tokens.map { ($0.separator ?? "") + "\u{0}" + $0.word }.joined()
      guard seen.insert(key).inserted else { continue }  // the same phrase avoided twice: first term wins
      let pattern = Pattern(
        words: tokens.map(\.word), separators: tokens.dropFirst().map { $0.separator ?? " " }, entry: entry)
      byFirst[first.word, default: []].append(pattern)
    }
    patternsByFirstWord = byFirst.mapValues { $0.sorted { $0.words.count > $1.words.count } }
  }

  public var isEmpty: Bool { patternsByFirstWord.isEmpty }

  /// Matches in the prose runs of a Markdown document. `source` (the file's
  /// text) lets a phrase continue from one run to the next when only spaces,
  /// a line break or emphasis markers stand between them, and corrects columns
  /// where the run text differs from the source (entities, escapes).
  public func matches(in runs: [MarkdownTextRun], source: String? = nil, headingLines: Set<Int> = []) -> [Match] {
    guard !isEmpty else { return [] }
    let lines = source.map(SourceText.init)
    var tokens: [Token] = []
    // Where the previous run ended, when a phrase may continue from it (its
    // text after its last word is only spaces and emphasis markers).
    var previousEnd: (line: Int, column: Int)?
    for run in runs {
      var runTokens = Self.tokenize(run.text, line: run.line, column: run.column, source: lines)
      let start = (line: run.line, column: run.column)
      let leading = runTokens.first?.leading ?? run.text
      let joins =
        previousEnd.flatMap { end in
          lines?.gapSeparator(from: end, to: start, leadingText: leading, headingLines: headingLines)
        } != nil
      if joins, !runTokens.isEmpty { runTokens[0].separator = " " }
      tokens += runTokens
      let trailing = run.text.unicodeScalars.reversed().prefix { !Self.isWordScalar($0) }
      let trailingIsGap = trailing.allSatisfy(SourceText.isGap)
      previousEnd = trailingIsGap && (!runTokens.isEmpty || joins) ? Self.end(of: run, source: lines) : nil
    }
    return match(tokens, source: lines)
  }

  /// Matches in one piece of plain text that starts at `line`:`column`.
  public func matches(inText text: String, line: Int = 1, column: Int = 1) -> [Match] {
    guard !isEmpty else { return [] }
    return match(Self.tokenize(text, line: line, column: column), source: nil)
  }

  private func match(_ tokens: [Token], source: SourceText?) -> [Match] {
    var found: [Match] = []
    var index = 0
    while index < tokens.count {
      guard let candidates = patternsByFirstWord[tokens[index].word] else {
        index += 1
        continue
      }
      var matched: Pattern?
      for pattern in candidates where index + pattern.words.count <= tokens.count {
        var ok = true
        for offset in 1..<max(1, pattern.words.count) {
          let token = tokens[index + offset]
          if token.word != pattern.words[offset] || token.separator != pattern.separators[offset - 1] {
            ok = false
            break
          }
        }
        if ok {
          matched = pattern
          break
        }
      }
      guard let pattern = matched else {
        index += 1
        continue
      }
      let first = tokens[index]
      var text = first.original
      for offset in 1..<max(1, pattern.words.count) {
        let token = tokens[index + offset]
        text += (token.rawSeparator ?? " ") + token.original
      }
      var position = (line: first.line, column: first.column)
      if let source { position = source.locate(word: first.original, near: position) }
      found.append(Match(text: text, entry: pattern.entry, line: position.line, column: position.column))
      index += pattern.words.count
    }
    return found
  }

  // MARK: - Words

  struct Token {
    /// Lower-cased word.
    var word: String
    var original: String
    var line: Int
    var column: Int
    /// What stands between the previous word and this one, normalised (all
    /// whitespace → one space); nil for the first word of a run.
    var separator: String?
    var rawSeparator: String?
    /// For the first word of a run: the text of the run before it.
    var leading: String
  }

  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "_" { return true }
    let properties = scalar.properties
    if properties.isAlphabetic || properties.numericType != nil { return true }
    switch properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark: return true
    default: return false
    }
  }

  static func normalise(separator: String) -> String {
    separator.unicodeScalars.allSatisfy(\.properties.isWhitespace) ? " " : separator.lowercased()
  }

  /// Splits text into words with their positions. A newline moves to the next
  /// line; the column there is found in `source` when given.
  static func tokenize(_ text: String, line: Int, column: Int, source: SourceText? = nil) -> [Token] {
    var tokens: [Token] = []
    var line = line
    var column = column
    var word = String.UnicodeScalarView()
    var wordStart = (line: line, column: column)
    var separator = String.UnicodeScalarView()
    var sawWord = false
    let scalars = Array(text.unicodeScalars)
    var index = 0

    func flushWord() {
      guard !word.isEmpty else { return }
      let original = String(word)
      let rawSeparator = sawWord ? String(separator) : nil
      tokens.append(
        Token(
          word: original.lowercased(), original: original, line: wordStart.line, column: wordStart.column,
          separator: rawSeparator.map(normalise(separator:)), rawSeparator: rawSeparator,
          leading: sawWord ? "" : String(separator)))
      word = String.UnicodeScalarView()
      separator = String.UnicodeScalarView()
      sawWord = true
    }

    while index < scalars.count {
      let scalar = scalars[index]
      if isWordScalar(scalar) {
        if word.isEmpty { wordStart = (line, column) }
        word.append(scalar)
        column += 1
      } else {
        flushWord()
        separator.append(scalar)
        if scalar == "\n" || (scalar == "\r" && (index + 1 == scalars.count || scalars[index + 1] != "\n")) {
          line += 1
          let rest = String(String.UnicodeScalarView(scalars[(index + 1)...].prefix { $0 != "\n" && $0 != "\r" }))
          column = source?.column(of: rest, inLine: line) ?? 1
        } else if scalar != "\r" {
          column += 1
        }
      }
      index += 1
    }
    flushWord()
    return tokens
  }

  /// The position just after a run's last character.
  static func end(of run: MarkdownTextRun, source: SourceText?) -> (line: Int, column: Int) {
    var line = run.line
    var column = run.column
    let scalars = Array(run.text.unicodeScalars)
    for (index, scalar) in scalars.enumerated() {
      if scalar == "\n" {
        line += 1
        let rest = String(String.UnicodeScalarView(scalars[(index + 1)...].prefix { $0 != "\n" }))
        column = source?.column(of: rest, inLine: line) ?? 1
      } else if scalar != "\r" {
        column += 1
      }
    }
    return (line, column)
  }
}

/// A file's text split into lines of scalars, for looking at what lies between
/// two prose runs and for checking columns against the source.
struct SourceText {
  let lines: [[Unicode.Scalar]]

  init(_ text: String) {
    var lines: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    var previousWasCR = false
    for scalar in text.unicodeScalars {
      if scalar == "\n" {
        if !previousWasCR { lines.append(current) }
        current = []
        previousWasCR = false
      } else if scalar == "\r" {
        lines.append(current)
        current = []
        previousWasCR = true
      } else {
        current.append(scalar)
        previousWasCR = false
      }
    }
    lines.append(current)
    self.lines = lines
  }

  func line(_ number: Int) -> [Unicode.Scalar]? {
    number >= 1 && number <= lines.count ? lines[number - 1] : nil
  }

  /// Characters that may stand between two runs of one phrase: spaces and emphasis markers.
  static func isGap(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isWhitespace || scalar == "*" || scalar == "_" || scalar == "~"
  }

  /// The separator to use between the previous run (ending at `end`) and the
  /// next one (starting at `start`, with `leadingText` before its first word),
  /// or nil when something other than spaces, one line break and emphasis
  /// markers lies between them (a code span, a link URL, a new block).
  func gapSeparator(
    from end: (line: Int, column: Int), to start: (line: Int, column: Int), leadingText: String,
    headingLines: Set<Int>
  ) -> String? {
    guard leadingText.unicodeScalars.allSatisfy(Self.isGap), let endLine = line(end.line),
      let startLine = line(start.line)
    else { return nil }
    func allGap(_ slice: ArraySlice<Unicode.Scalar>) -> Bool { slice.allSatisfy(Self.isGap) }
    if start.line == end.line {
      guard end.column <= start.column, start.column - 1 <= endLine.count else { return nil }
      return allGap(endLine[(end.column - 1)..<(start.column - 1)]) ? " " : nil
    }
    guard start.line == end.line + 1, !headingLines.contains(end.line), !headingLines.contains(start.line),
      end.column - 1 <= endLine.count, start.column - 1 <= startLine.count
    else { return nil }
    let before = startLine[..<(start.column - 1)].filter { $0 != ">" }
    return allGap(endLine[(end.column - 1)...]) && allGap(before[...]) ? " " : nil
  }

  /// Column of `text` (its first line's start) in a line: the first place it
  /// occurs; else just after the line's indentation.
  func column(of text: String, inLine number: Int) -> Int? {
    guard let scalars = line(number) else { return nil }
    let needle = Array(text.unicodeScalars.prefix(24))
    if !needle.isEmpty, needle.count <= scalars.count {
      for start in 0...(scalars.count - needle.count)
      where scalars[start..<(start + needle.count)].elementsEqual(needle) {
        return start + 1
      }
    }
    return (scalars.firstIndex { !$0.properties.isWhitespace } ?? 0) + 1
  }

  /// Checks that `word` is at `position`; when the run text and the source
  /// differ (an entity or escape earlier on the line), finds the whole-word
  /// occurrence nearest to the expected column.
  func locate(word: String, near position: (line: Int, column: Int)) -> (line: Int, column: Int) {
    guard let scalars = line(position.line) else { return position }
    let needle = Array(word.lowercased().unicodeScalars)
    guard !needle.isEmpty, needle.count <= scalars.count else { return position }
    func isWord(at start: Int) -> Bool {
      guard start >= 0, start + needle.count <= scalars.count else { return false }
      let candidate = String(String.UnicodeScalarView(scalars[start..<(start + needle.count)])).lowercased()
      guard Array(candidate.unicodeScalars) == needle else { return false }
      let before = start == 0 || !AvoidedTermMatcher.isWordScalar(scalars[start - 1])
      let after =
        start + needle.count == scalars.count || !AvoidedTermMatcher.isWordScalar(scalars[start + needle.count])
      return before && after
    }
    if isWord(at: position.column - 1) { return position }
    var best: Int?
    for start in 0...(scalars.count - needle.count) where isWord(at: start) {
      if best == nil || abs(start - (position.column - 1)) < abs(best! - (position.column - 1)) { best = start }
    }
    return best.map { (position.line, $0 + 1) } ?? position
  }
}
