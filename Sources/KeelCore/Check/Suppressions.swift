import Foundation

/// A finding a `keel-disable…` comment took out of the report. SARIF keeps it
/// as a result with an in-source suppression; the other formats count it.
public struct SuppressedDiagnostic: Sendable, Hashable {
  public var diagnostic: Diagnostic
  /// The reason written after `--` in the comment, if any.
  public var justification: String?
  public init(diagnostic: Diagnostic, justification: String?) {
    self.diagnostic = diagnostic
    self.justification = justification
  }
}

/// Suppression comments, read from the checked files and applied to the
/// findings of a check in one pass:
///
/// - Markdown: `<!-- keel-disable-next-line RULE[, RULE] -- reason -->` (the
///   next line that is not blank or only a comment), `<!-- keel-disable-line
///   RULE -->` (the comment's own lines), `<!-- keel-disable RULE -->` …
///   `<!-- keel-enable RULE -->` (to the end of the file without an enable;
///   a bare `keel-enable` ends every open range);
/// - YAML (front matter, people, RACI and glossary files): the same words in a
///   `#` comment, e.g. `status: shiped  # keel-disable-line schema/enum`.
///
/// RULE is a rule id or a family wildcard (`template/*`). A comment that
/// suppresses nothing is a `suppression/unused` note at the comment.
public struct Suppressions: Sendable {
  public static let descriptor = RuleDescriptor(
    id: "suppression/unused",
    summary: "A keel-disable comment suppresses nothing (no such finding there, or no such rule).",
    defaultSeverity: .note)

  /// One rule of one comment, and the lines it covers.
  struct Entry: Sendable {
    var path: String
    var rule: String
    var lines: ClosedRange<Int>
    var justification: String?
    /// The comment, for the `suppression/unused` note.
    var directive: String
    var line: Int
    var column: Int
  }

  var entries: [Entry] = []
  /// Comments that cannot suppress anything (no rule named, an enable with nothing to end).
  var problems: [Diagnostic] = []

  /// Reads the suppression comments of the checked documents and of keel's YAML files.
  public init(context: CheckContext) {
    // Only the parsed comments and the front matter's lines are looked at, never the whole text.
    for document in context.documents.values {
      var comments = document.body.comments.filter { Self.mayHoldDirectives($0.html) }.flatMap {
        Self.htmlComments(in: $0)
      }
      if let frontMatter = document.frontMatter {
        comments += Self.yamlComments(in: document.text, lines: frontMatter.yamlLines)
      }
      add(comments, path: document.bodyPath, text: document.text, yaml: false)
    }
    for path in context.referenceFiles {
      // Over its size limit the file is already a parse/too-large finding: not read again here.
      guard
        let data = try? context.snapshot.read(path, maxBytes: ReferenceFiles.limits(context.limits).maxFileBytes)
      else { continue }
      let text = String(decoding: data, as: UTF8.self)
      guard Self.mayHoldDirectives(text) else { continue }
      add(Self.yamlComments(in: text, lines: 1..<Int.max), path: path, text: text, yaml: true)
    }
  }

  /// Splits findings into those that stay and those a comment suppresses, and
  /// adds a `suppression/unused` note for every comment rule that suppressed nothing.
  func apply(to diagnostics: [Diagnostic]) -> (
    kept: [Diagnostic], suppressed: [SuppressedDiagnostic], unused: [Diagnostic]
  ) {
    guard !entries.isEmpty || !problems.isEmpty else { return (diagnostics, [], []) }
    let byPath = Dictionary(grouping: entries.indices, by: { entries[$0].path })
    var used = [Bool](repeating: false, count: entries.count)
    var kept: [Diagnostic] = []
    var suppressed: [SuppressedDiagnostic] = []
    for diagnostic in diagnostics {
      let match = byPath[diagnostic.path]?.first { index in
        entries[index].lines.contains(diagnostic.line) && Self.rule(entries[index].rule, covers: diagnostic.rule)
      }
      if let match {
        used[match] = true
        suppressed.append(SuppressedDiagnostic(diagnostic: diagnostic, justification: entries[match].justification))
      } else {
        kept.append(diagnostic)
      }
    }
    var unused = problems
    for (index, entry) in entries.enumerated() where !used[index] {
      let message: String
      if RuleCatalog.isKnown(entry.rule) {
        message = "'\(entry.directive)' suppresses nothing: no '\(entry.rule)' finding here"
      } else {
        message =
          "'\(entry.directive)' suppresses nothing: '\(entry.rule)' is not a rule"
          + RuleCatalog.suggestion(for: entry.rule)
      }
      unused.append(
        Self.descriptor.finding(
          message, path: entry.path,
          line: entry.line, column: entry.column))
    }
    return (kept, suppressed, unused)
  }

  /// `template/*` covers every `template/…` rule; otherwise the ids are equal.
  static func rule(_ pattern: String, covers rule: String) -> Bool {
    if pattern.hasSuffix("/*") { return rule.hasPrefix(pattern.dropLast()) }
    return pattern == rule
  }

  // MARK: Reading comments

  /// A comment's text (inside `<!-- -->` or after `#`) and where it is.
  struct Comment {
    var text: String
    var line: Int
    var endLine: Int
    var column: Int
  }

  enum Keyword: String, CaseIterable {
    // Longest first: `keel-disable` is a prefix of the others.
    case disableNextLine = "keel-disable-next-line"
    case disableLine = "keel-disable-line"
    case disable = "keel-disable"
    case enable = "keel-enable"
  }

  /// A parsed `keel-…` comment: its keyword, the rules it names and the reason after `--`.
  struct Directive {
    var keyword: Keyword
    var rules: [String]
    var reason: String?

    init?(_ comment: String) {
      let text = comment.trimmingCharacters(in: .whitespacesAndNewlines)
      guard
        let keyword = Keyword.allCases.first(where: { keyword in
          text.hasPrefix(keyword.rawValue)
            && text.dropFirst(keyword.rawValue.count).first.map(\.isWhitespace) ?? true
        })
      else { return nil }
      var rest = Substring(text.dropFirst(keyword.rawValue.count))
      var reason: String?
      if let separator = rest.range(of: "--") {
        let written = rest[separator.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        reason = written.isEmpty ? nil : written
        rest = rest[..<separator.lowerBound]
      }
      self.keyword = keyword
      self.rules = rest.split { $0 == "," || $0.isWhitespace }.map(String.init)
      self.reason = reason
    }
  }

  /// Cheap test before any comment is looked for: most files hold none. On the UTF-8 bytes (it
  /// runs over every front matter line of every document; Foundation's search cost more than the
  /// rest of the suppressions).
  static func mayHoldDirectives(_ text: some StringProtocol) -> Bool {
    let found = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard let base = bytes.baseAddress else { return false }
      var offset = 0
      while offset < bytes.count, let hit = memchr(base + offset, Int32(UInt8(ascii: "k")), bytes.count - offset) {
        let index = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        let rest = UnsafeBufferPointer(rebasing: bytes[index...])
        if rest.starts(with: "keel-disable".utf8) || rest.starts(with: "keel-enable".utf8) { return true }
        offset = index + 1
      }
      return false
    }
    return found ?? (text.contains("keel-disable") || text.contains("keel-enable"))
  }

  /// The comments inside raw HTML (a block may hold several), with absolute positions.
  static func htmlComments(in html: MarkdownComment) -> [Comment] {
    var comments: [Comment] = []
    let text = html.html
    var searchStart = text.startIndex
    while let open = text.range(of: "<!--", range: searchStart..<text.endIndex),
      let close = text.range(of: "-->", range: open.upperBound..<text.endIndex)
    {
      let before = text[..<open.lowerBound]
      let lineOffset = before.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
      let column: Int
      if let lastBreak = before.lastIndex(of: "\n") {
        column = text[text.index(after: lastBreak)..<open.lowerBound].unicodeScalars.count + 1
      } else {
        column = html.column + before.unicodeScalars.count
      }
      let inner = text[open.upperBound..<close.lowerBound]
      let innerLines = inner.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
      comments.append(
        Comment(
          text: String(inner), line: html.line + lineOffset, endLine: html.line + lineOffset + innerLines,
          column: column))
      searchStart = close.upperBound
    }
    return comments
  }

  /// `#` comments of YAML lines (1-based, within `lines`): a `#` at the start of
  /// a line or after a space, outside quotes.
  static func yamlComments(in text: String, lines: Range<Int>) -> [Comment] {
    var comments: [Comment] = []
    var number = 0
    var next: String.Index? = text.utf8.startIndex
    // Lines end at `\n` (a `\r` before it is dropped below); the scan stops after the last wanted line.
    while let start = next, number + 1 < lines.upperBound {
      let end = text.utf8[start...].firstIndex(of: 0x0A)
      next = end.map { text.utf8.index(after: $0) }
      number += 1
      let rawLine = Substring(text.utf8[start..<(end ?? text.utf8.endIndex)])
      guard number >= lines.lowerBound, Self.mayHoldDirectives(rawLine) else { continue }
      var quote: Character?
      var previous: Character = " "
      var column = 0
      var escaped = false
      for character in rawLine {
        column += character.unicodeScalars.count
        defer { previous = character }
        if let open = quote {
          if open == "\"" && character == "\\" && !escaped {
            escaped = true
            continue
          }
          if character == open && !escaped { quote = nil }
          escaped = false
          continue
        }
        if (character == "\"" || character == "'")
          && (previous.isWhitespace || previous == ":" || previous == "["
            || previous == "," || previous == "{" || previous == "-")
        {
          quote = character
        } else if character == "#" && previous.isWhitespace {
          comments.append(
            Comment(text: Self.text(after: column, in: rawLine), line: number, endLine: number, column: column))
          break
        }
      }
    }
    return comments
  }

  /// The text of a line after the character at scalar column `column`, without a trailing `\r`.
  private static func text(after column: Int, in line: Substring) -> String {
    var text = String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(column)))
    if text.hasSuffix("\r") { text.removeLast() }
    return text
  }

  /// Turns a file's comments into entries (and problems), resolving next lines and ranges.
  private mutating func add(_ comments: [Comment], path: String, text: String, yaml: Bool) {
    let directives = comments.compactMap { comment in Directive(comment.text).map { (comment, $0) } }
    guard !directives.isEmpty else { return }
    let lines = SourceLines.split(text)
    /// Lines that hold nothing a finding could be about: blank or only a comment.
    func isSkippable(_ line: Int) -> Bool {
      guard line >= 1, line <= lines.count else { return false }
      let trimmed = lines[line - 1].trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { return true }
      return yaml ? trimmed.hasPrefix("#") : (trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->"))
    }
    var open: [(entry: Entry, rule: String)] = []
    for (comment, directive) in directives.sorted(by: { $0.0.line < $1.0.line }) {
      let written = "\(directive.keyword.rawValue) \(directive.rules.joined(separator: ", "))"
        .trimmingCharacters(in: .whitespaces)
      func entry(_ rule: String, _ lines: ClosedRange<Int>) -> Entry {
        Entry(
          path: path, rule: rule, lines: lines, justification: directive.reason, directive: written,
          line: comment.line, column: comment.column)
      }
      if directive.keyword == .enable && directive.rules.isEmpty {
        // A bare keel-enable ends every open range.
        for (entry, _) in open {
          var closed = entry
          closed.lines = entry.lines.lowerBound...comment.endLine
          entries.append(closed)
        }
        open.removeAll()
        continue
      }
      if directive.rules.isEmpty {
        problems.append(
          problem(
            "'\(directive.keyword.rawValue)' suppresses nothing: it names no rule (write the rule ids, then "
              + "'-- reason')", at: comment, path: path))
        continue
      }
      switch directive.keyword {
      case .disableLine:
        entries += directive.rules.map { entry($0, comment.line...comment.endLine) }
      case .disableNextLine:
        var target = comment.endLine + 1
        while target <= lines.count, isSkippable(target) { target += 1 }
        entries += directive.rules.map { entry($0, target...target) }
      case .disable:
        for rule in directive.rules { open.append((entry(rule, comment.line...comment.line), rule)) }
      case .enable:
        for rule in directive.rules {
          let ending = open.indices.filter { open[$0].rule == rule }
          if ending.isEmpty {
            problems.append(
              problem(
                "'keel-enable \(rule)' suppresses nothing: no keel-disable of it is open", at: comment, path: path))
          }
          for index in ending {
            var closed = open[index].entry
            closed.lines = closed.lines.lowerBound...comment.endLine
            entries.append(closed)
          }
          open.removeAll { $0.rule == rule }
        }
      }
    }
    for (entry, _) in open {
      var unclosed = entry
      unclosed.lines = entry.lines.lowerBound...Int.max
      entries.append(unclosed)
    }
  }

  private func problem(_ message: String, at comment: Comment, path: String) -> Diagnostic {
    Self.descriptor.finding(
      message, path: path,
      line: comment.line, column: comment.column)
  }
}
