import KeelTestSupport

@testable import KeelCore

/// Markdown to compare two ways of parsing on: every Markdown file of the rules' examples, and
/// seeded generated bodies that mix what the tree builder handles (headings, lists, task lists,
/// tables, code, HTML comments, links, entities, escapes, emphasis, strikethrough, CRLF).
enum MarkdownCorpus {
  static let ruleExamples: [String] = {
    let examples =
      RuleCatalog.documentRules.flatMap { $0.examples } + RuleCatalog.repositoryRules.flatMap { $0.examples }
    let files = examples.flatMap { example in [example.files, example.baseFiles ?? [:]] }
    return files.flatMap { files in files.filter { $0.key.hasSuffix(".md") }.map(\.value) }.sorted()
  }()

  /// Words and inline constructs; none holds `www.`, `://` or `@` unless `autolinks`, nor `~` unless `strikethrough`.
  static func generated(count: Int, seed: UInt64, autolinks: Bool = false, strikethrough: Bool = true) -> [String] {
    var random = SeededGenerator(state: seed)
    var atoms = [
      "word", "wow", "w", "ww", "w.w", "www", "wWw", "a:b", "http:/x", "x: y", "::", ":w:", "~~strike~~", "~one~",
      "*em*", "**strong**", "_u_", "`code w:`", "&amp;", "&#233;", "\\*", "\\w", "[link](dest.md)", "[ref][r]",
      "![img](x.png \"t\")", "<b>w</b>", "<!-- c -->", "ftp:/", "|", "\\|", "w|w", "(w)", "~~w~~", "é", "→ ü",
      "Fish &amp; chips", "a\\_b", "[**bold** link](x.md#y)", "<x.md>",
    ]
    if autolinks { atoms += ["www.example.org", "https://example.com/a_(b)", "me@example.org", "(www.x.io)"] }
    if !strikethrough { atoms.removeAll { $0.contains("~") } }
    func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
    func number(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
    func inline() -> String { (0..<number(1...12)).map { _ in pick(atoms) }.joined(separator: " ") }
    func block() -> String {
      switch number(0...11) {
      case 0, 1: return String(repeating: "#", count: number(1...4)) + " " + inline()
      case 2:
        return (0..<number(1...4)).map { _ in
          String(repeating: "  ", count: number(0...1)) + "- " + pick(["[ ] ", "[x] ", ""]) + inline()
        }.joined(separator: "\n")
      case 3:
        let columns = number(1...4)
        let row = { "| " + (0..<columns).map { _ in inline() }.joined(separator: " | ") + " |" }
        return
          ([row(), "|" + Array(repeating: "---", count: columns).joined(separator: "|") + "|"]
          + (0..<number(0...3)).map { _ in row() }).joined(separator: "\n")
      case 4: return "```\n" + inline() + "\n```"
      case 5: return "> " + inline() + "\n> " + inline()
      case 6: return "   " + inline() + "  \n  " + inline()
      case 7: return "[r]: /url \"title\""
      case 8: return "<!-- keep -->\n" + inline()
      case 9: return "Setext " + inline() + "\n---"
      default: return inline() + "\n" + inline()
      }
    }
    return (0..<count).map { _ in
      let body = (0..<number(1...15)).map { _ in block() }.joined(separator: "\n\n") + "\n"
      return number(0...4) == 0 ? body.replacingOccurrences(of: "\n", with: "\r\n") : body
    }
  }
}
