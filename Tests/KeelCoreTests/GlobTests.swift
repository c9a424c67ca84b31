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
}
