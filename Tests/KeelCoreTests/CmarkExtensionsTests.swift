import Testing

@testable import KeelCore

@Suite("cmark-gfm extensions")
struct CmarkExtensionsTests {
  private func mayHoldAutolink(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBufferPointer { CmarkExtensions.mayHoldAutolink($0) }
  }

  @Test func aBodyMayHoldAnAutolinkOnlyWithWwwDotColonSlashSlashOrAnAt() {
    for text in ["see www.example.org", "https://x.y", "a://", "ww www.", "me@example.org", "@", "www."] {
      #expect(mayHoldAutolink(text), "\(text)")
    }
    for text in ["", "w w. ww.", "wwww", ":/ /", "http:/x", "WWW.example.org", "a: b", "www", ".www", ":/"] {
      #expect(!mayHoldAutolink(text), "\(text)")
    }
  }

  @Test func aBodyParsedWithoutTheExtensionsItCannotUseGivesTheSameTree() {
    let bodies = MarkdownCorpus.ruleExamples + MarkdownCorpus.generated(count: 400, seed: 11)
    for body in bodies {
      let bytes = Array(body.utf8)
      let decided = MarkdownTreeBuilder.build(bytes, firstLine: 3)
      let withAll = MarkdownTreeBuilder.build(bytes, firstLine: 3, allExtensions: true)
      #expect(decided == withAll, "\(body)")
    }
  }

  @Test func autolinksAreFoundWhenTheBodyHasThem() {
    let tree = MarkdownParser.parse("See www.example.org, https://example.com/a and me@example.org.\n")
    #expect(
      tree.links.map(\.destination) == ["http://www.example.org", "https://example.com/a", "mailto:me@example.org"])
  }

  @Test func bodiesParsedAtOnceKeepTheirStrikethroughAndAutolinks() {
    // cmark-gfm's table of inline characters is shared by every parser: a parse that ended used to
    // take `~`, `:` and `w` away from one still running. Bodies with and without autolinks and
    // strikethrough, parsed on every core many times over, must each give the tree a lone parse gives.
    let bodies =
      MarkdownCorpus.generated(count: 60, seed: 5, autolinks: true)
      + MarkdownCorpus.generated(count: 60, seed: 6)
      + MarkdownCorpus.generated(count: 60, seed: 7, strikethrough: false)
    let sequential = bodies.map { MarkdownParser.parse($0) }
    for _ in 0..<5 {
      let parallel = bodies.parallelMap { MarkdownParser.parse($0) }
      #expect(parallel == sequential)
    }
    #expect(sequential.contains { !$0.links.filter { $0.destination.hasPrefix("mailto:") }.isEmpty })
    // `~~strike~~` read as strikethrough: its text without the tildes.
    #expect(sequential.contains { $0.textRuns.contains { $0.text == "strike" } })
  }
}
