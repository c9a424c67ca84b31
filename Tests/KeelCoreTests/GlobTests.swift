import KeelTestSupport
import Testing

@testable import KeelCore

@Suite struct GlobTests {
  @Test(arguments: [
    ("specs/**/*.md", "specs/a.md", true),
    ("specs/**/*.md", "specs/team/deep/a.md", true),
    ("specs/**/*.md", "specs/a.txt", false),
    ("specs/**/*.md", "other/specs/a.md", false),
    ("specs/*.md", "specs/team/a.md", false),
    ("**/README.md", "README.md", true),
    ("**/README.md", "a/b/README.md", true),
    ("decisions/[0-9]*.md", "decisions/0001-x.md", true),
    ("decisions/[0-9]*.md", "decisions/x.md", false),
    ("docs/*.{md,markdown}", "docs/a.markdown", true),
    ("docs/?.md", "docs/ab.md", false),
    ("specs/**", "specs/a/b/c.md", true),
    ("räksmörgås/*.md", "räksmörgås/ä.md", true),
    ("specs/**", "specs", true),
    ("**", "a/b/c.md", true),
    ("a/**/b/*.md", "a/b/c.md", true),
    ("a/**/b/*.md", "a/x/y/b/c.md", true),
    ("a/**/b/*.md", "a/x/y/c.md", false),
    ("{specs,docs/specs}/*.md", "docs/specs/a.md", true),
    ("{specs,docs/specs}/*.md", "docs/a.md", false),
    ("docs/*.{md,mark{down,dn}}", "docs/a.markdn", true),
    ("docs/*.{md,mark{down,dn}}", "docs/a.mark", false),
    ("docs/{a,}x.md", "docs/x.md", true),
    ("docs/{a,b.md", "docs/{a,b.md", true),
    ("{**/,}README.md", "a/b/README.md", true),
    ("/specs//*.md/", "specs/a.md", true),
    ("a*b*c", "axxbyyc", true),
    ("a*b*c", "axxb/yyc", false),
    ("docs/\\*.md", "docs/*.md", true),
    ("docs/\\*.md", "docs/a.md", false),
    ("x/[!a-c]?.md", "x/dz.md", true),
    ("x/[!a-c]?.md", "x/az.md", false),
  ])
  func matching(pattern: String, path: String, expected: Bool) {
    #expect(Glob(pattern).matches(path) == expected)
  }

  /// Issue 13, row 3: alternatives are matched, not expanded. 13 groups of four
  /// alternatives (120 bytes) used to expand into 4^13 patterns (out of memory);
  /// the compiled automaton now grows with the pattern's length.
  @Test func braceGroupsAreNotExpanded() {
    let pattern = "specs/" + String(repeating: "{a,b,c,d}", count: 13) + "*.md"
    let glob = Glob(pattern)
    #expect(glob.programSize < 20 * pattern.count)
    #expect(glob.matches("specs/abcdabcdabcdaX.md"))
    #expect(glob.matches("specs/dddddddddddddd.md"))
    #expect(!glob.matches("specs/abcdabcdabcdX.md"))
    // A path made to keep many alternatives alive stays linear too.
    let ambiguous = Glob(String(repeating: "{a,a*,*a}", count: 20) + "b")
    #expect(!ambiguous.matches(String(repeating: "a", count: 5_000)))
    #expect(ambiguous.matches(String(repeating: "a", count: 5_000) + "b"))
  }

  /// An ASCII path is matched byte by byte: seeded random patterns and paths (slashes, stars,
  /// classes, groups, escapes, empty segments) give what matching character by character gives, and
  /// a path where bytes join into other characters is matched by character.
  @Test func asciiPathsMatchAsCharactersDo() {
    var random = SeededGenerator(state: 20_261_130)
    func pick(_ pieces: [String]) -> String { pieces[Int.random(in: 0..<pieces.count, using: &random)] }
    let patternPieces = [
      "a", "b", ".md", "/", "/", "*", "**", "**/", "?", "[a-b]", "[!a]", "{a,b/}", "{,x}", "\\*", "[", "{", "}",
    ]
    let pathPieces = ["a", "b", "c", "x", ".md", "/", "/", "//", "*", "[", "{", "-"]
    var matched = 0
    for _ in 0..<4_000 {
      let pattern = (0..<Int.random(in: 1...7, using: &random)).map { _ in pick(patternPieces) }.joined()
      let glob = Glob(pattern)
      for _ in 0..<6 {
        let path = (0..<Int.random(in: 0...8, using: &random)).map { _ in pick(pathPieces) }.joined()
        let expected = glob.matchesByCharacter(path)
        #expect(glob.matches(path) == expected, "\(pattern) on \(path)")
        if expected { matched += 1 }
      }
    }
    #expect(matched > 1_000)
    // A combining accent makes one character with the letter before it; a carriage return, with a line feed.
    #expect(Glob("x/[!e]").matches("x/e\u{301}"))
    #expect(!Glob("x/e").matches("x/e\u{301}"))
    #expect(Glob("x/?").matches("x/\r\n"))
    #expect(Glob("x/??").matches("x/\r\r"))
  }
}
