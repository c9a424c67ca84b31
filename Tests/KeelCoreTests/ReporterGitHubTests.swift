import Testing

@testable import KeelCore

@Suite struct ReporterGitHubTests {
  @Test func rendersOneWorkflowCommandPerFinding() {
    let output = GitHubReporter().render(ReporterFixtures.review())
    #expect(
      output == """
        ::error file=specs/checkout.md,line=3,col=1,title=schema/required::missing required field "owner"
        ::error file=specs/checkout.md,line=5,col=9,title=workflow/illegal-transition::status cannot go from draft \
        to approved%0A(allowed: review)%0Aworkflows/spec.yaml:7:3: transitions of draft
        ::warning file=specs/checkout.md,line=14,col=9,title=glossary/avoided-term::use "customer" instead of \
        "user" | <b>avoid</b> `user`, 100%25 of the time: a,b
        ::error file=specs/new spec.md,line=20,col=1,title=template/missing-section::missing section [Solution] \
        *after* _Problem_
        keel: 3 errors, 1 warning in 3 documents

        """)
  }

  @Test func notesBecomeNotices() {
    let report = Report(
      toolVersion: "1", source: "index", documentCount: 1,
      diagnostics: [Diagnostic(rule: "r/x", severity: .note, message: "fyi", path: "a.md", line: 2, column: 3)],
      rules: [])
    #expect(GitHubReporter().render(report).hasPrefix("::notice file=a.md,line=2,col=3,title=r/x::fyi\n"))
  }

  @Test func escapesDataAndProperties() {
    #expect(GitHubReporter.escapeData("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d")
    #expect(GitHubReporter.escapeProperty("a:b,c%\n") == "a%3Ab%2Cc%25%0A")
    // A path cannot end the property list or start a new command.
    let report = Report(
      toolVersion: "1", source: "index", documentCount: 1,
      diagnostics: [Diagnostic(rule: "r/x", message: "m", path: "odd,name::x\n::error::y.md")], rules: [])
    let output = GitHubReporter().render(report)
    #expect(output.split(separator: "\n").count == 2)
    #expect(output.hasPrefix("::error file=odd%2Cname%3A%3Ax%0A%3A%3Aerror%3A%3Ay.md,line=1,col=1,title=r/x::m\n"))
  }
}
