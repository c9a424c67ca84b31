import KeelCore
import Testing

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
  ])
  func matching(pattern: String, path: String, expected: Bool) {
    #expect(Glob(pattern).matches(path) == expected)
  }
}
