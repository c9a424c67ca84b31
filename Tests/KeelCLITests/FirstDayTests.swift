import Foundation
import KeelTestSupport
import Testing

/// Issue 12, item 9: the smaller rough edges of a first day with keel.
@Suite("first-day rough edges")
struct FirstDayTests {
  @Test("--color always|never and FORCE_COLOR decide the colour of text output (stdout is not a terminal here)")
  func colour() throws {
    let repo = try TestRepository()
    try Fixtures.seed(repo)
    try repo.write("specs/a.md", Fixtures.specMissingOwner)
    let escape = "\u{1B}["
    let plain = try repo.keel(["check", "--no-history"], environment: ["NO_COLOR": ""])
    #expect(plain.status == 1)
    #expect(!plain.stdout.contains(escape))
    let always = try repo.keel(["check", "--no-history", "--color", "always"])  // NO_COLOR=1 is set
    #expect(always.stdout.contains("\(escape)1;31merror:\(escape)0m"), "\(always.stdout)")
    let forced = try repo.keel(["check", "--no-history"], environment: ["NO_COLOR": "", "FORCE_COLOR": "1"])
    #expect(forced.stdout.contains(escape))
    let never = try repo.keel(
      ["check", "--no-history", "--color", "never"], environment: ["NO_COLOR": "", "FORCE_COLOR": "1"])
    #expect(!never.stdout.contains(escape))
    let noColour = try repo.keel(["check", "--no-history"], environment: ["NO_COLOR": "1", "FORCE_COLOR": "1"])
    #expect(!noColour.stdout.contains(escape))
    // A report written to a file never has colour.
    #expect(try repo.keel(["check", "--no-history", "--color", "always", "--output", "out.txt"]).status == 1)
    #expect(!(try repo.read("out.txt")).contains(escape))
    let wrong = try repo.keel(["check", "--color", "sometimes"])
    #expect(wrong.status == 2)
    #expect(wrong.stderr.hasPrefix("keel: error: "), "\(wrong.stderr)")
  }

  /// keel.yaml without `kinds:`: people, a glossary and one RACI matrix.
  static func referenceOnly() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write(
      "keel.yaml", "version: 1\npeople: people.yaml\nglossary: glossary.yaml\nraci: [\"raci/*.yaml\"]\n")
    try repo.write("people.yaml", ExportRepositoryFixtures.people)
    try repo.write("glossary.yaml", ExportRepositoryFixtures.glossary("What a customer pays."))
    try repo.write("raci/pricing.yaml", ExportRepositoryFixtures.raci(accountable: "alice"))
    return repo
  }

  @Test("a repository of RACI, people and glossary files only (no kinds) is a keel repository: check, hook, export")
  func noKinds() throws {
    let repo = try Self.referenceOnly()
    let check = try repo.keel(["check"])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(check.stdout == "0 errors, 0 warnings in 0 documents and 3 RACI, people and glossary files\n")
    let json = try repo.keel(["check", "--format", "json"])
    #expect(json.stdout.contains(#""files": 3"#), "\(json.stdout)")
    #expect(try repo.keel(["export", "raci", "--format", "csv"]).status == 0)
    #expect(try repo.keel(["export", "glossary", "--format", "csv"]).status == 0)

    // The pre-commit hook counts what it checked; a broken RACI matrix stops the commit.
    try repo.commitAll("start")
    #expect(try repo.keel(["hooks", "install"]).status == 0)
    try repo.write("raci/pricing.yaml", ExportRepositoryFixtures.raci(accountable: "alice", consulted: "bob"))
    try repo.git(["add", "-A"])
    let good = try runProcess("/usr/bin/git", ["commit", "-m", "consult bob"], in: repo.url)
    #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
    #expect(
      (good.stdout + good.stderr).contains("0 errors, 0 warnings in 0 documents and 3 RACI, people and glossary files"),
      "\(good.stdout)\(good.stderr)")
    try repo.write("raci/pricing.yaml", ExportRepositoryFixtures.raci(accountable: "nobody"))
    try repo.git(["add", "-A"])
    let bad = try runProcess("/usr/bin/git", ["commit", "-m", "unknown A"], in: repo.url)
    #expect(bad.status != 0)
    #expect((bad.stdout + bad.stderr).contains("[raci/unknown-person]"), "\(bad.stdout)\(bad.stderr)")
  }

  @Test("an export of the working tree says 'uncommitted changes' only when keel's folder has some")
  func provenance() throws {
    let repo = try Self.referenceOnly()
    try repo.commitAll("start")
    let clean = try repo.keel(["export", "raci", "--format", "markdown"])
    #expect(clean.stdout.contains("Taken from working tree, read "), "\(clean.stdout)")
    #expect(!clean.stdout.contains("uncommitted"))
    let cleanHTML = try repo.keel(["export", "glossary", "--format", "html"])
    #expect(!cleanHTML.stdout.contains("uncommitted"))

    try repo.write("raci/pricing.yaml", ExportRepositoryFixtures.raci(accountable: "bob"))
    let changed = try repo.keel(["export", "raci", "--format", "markdown"])
    #expect(changed.stdout.contains("Taken from working tree (uncommitted changes), read "), "\(changed.stdout)")
    let changedHTML = try repo.keel(["export", "glossary", "--format", "html"])
    #expect(changedHTML.stdout.contains("<strong>working tree</strong> (uncommitted changes), "))
    try repo.commitAll("bob")
    // An untracked file is a change too.
    try repo.write("raci/new.yaml", ExportRepositoryFixtures.raci(accountable: "chen"))
    #expect(try repo.keel(["export", "raci", "--format", "markdown"]).stdout.contains("(uncommitted changes)"))
  }

  /// The subcommands `keel --help` lists.
  static func listedSubcommands() throws -> [String] {
    let help = try keel(["--help"], in: FileManager.default.temporaryDirectory)
    let section = try #require(help.stdout.components(separatedBy: "SUBCOMMANDS:\n").last)
    return section.split(separator: "\n").compactMap { line in
      // `  check     Check documents…`; wrapped lines start further in, the closing hint with a capital.
      guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first,
        name.allSatisfy({ $0.isLowercase })
      else { return nil }
      return String(name)
    }
  }

  @Test("keel manual is a man page with every command --help lists, subcommands included; groff reads it cleanly")
  func manualPage() throws {
    let manual = try keel(["manual"], in: FileManager.default.temporaryDirectory)
    #expect(manual.status == 0)
    #expect(manual.stdout.hasPrefix(".TH KEEL 1 "))
    let subcommands = try Self.listedSubcommands()
    #expect(subcommands.contains("check") && subcommands.contains("baseline") && !subcommands.contains("manual"))
    for name in subcommands {
      #expect(manual.stdout.contains(".SS \"keel \(name)\"\n"), "\(name) is missing from the man page")
    }
    for nested in ["keel export raci", "keel hooks install", "keel schema validate"] {
      #expect(manual.stdout.contains(".SS \"\(nested)\"\n"), "\(nested)")
    }
    #expect(manual.stdout.contains("--color <when>"))
    // No line may be read as a roff request by accident, and nothing is outside ASCII.
    for line in manual.stdout.split(separator: "\n") where line.hasPrefix(".") || line.hasPrefix("'") {
      #expect([".TH", ".SH", ".SS", ".nf", ".fi", ".TP", ".B"].contains(String(line.prefix { $0 != " " })), "\(line)")
    }
    #expect(manual.stdout.unicodeScalars.allSatisfy { $0.isASCII })
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") {
      let directory = try TestRepository(plainFolder: ())
      try directory.write("keel.1", manual.stdout)
      let groff = try runProcess("/usr/bin/groff", ["-man", "-Tutf8", "-ww", "-z", "keel.1"], in: directory.url)
      #expect(groff.status == 0 && groff.stderr.isEmpty, "\(groff.stderr)")
    }
  }

  @Test("completion scripts for bash, zsh and fish name the commands; bash reads its script")
  func completions() throws {
    for shell in ["bash", "zsh", "fish"] {
      let script = try keel(["--generate-completion-script", shell], in: FileManager.default.temporaryDirectory)
      #expect(script.status == 0, "\(shell)")
      #expect(script.stdout.contains("transition") && script.stdout.contains("baseline"), "\(shell)")
    }
    let bash = try keel(["--generate-completion-script", "bash"], in: FileManager.default.temporaryDirectory)
    let directory = try TestRepository(plainFolder: ())
    try directory.write("keel.bash", bash.stdout)
    #expect(try runProcess("/bin/bash", ["-n", "keel.bash"], in: directory.url).status == 0)
  }

  @Test("make install-files installs the binary, the man page and the completions under DESTDIR/PREFIX")
  func makeInstall() throws {
    let destination = try TestRepository(plainFolder: ())
    let make = try runProcess(
      "/usr/bin/make",
      ["-s", "install-files", "INSTALL_BIN=\(keelBinary)", "DESTDIR=\(destination.url.path)", "PREFIX=/usr"],
      in: packageRoot)
    #expect(make.status == 0, "\(make.stdout)\(make.stderr)")
    let root = destination.url.appendingPathComponent("usr")
    #expect(FileManager.default.isExecutableFile(atPath: root.appendingPathComponent("bin/keel").path))
    let installed = [
      "share/man/man1/keel.1", "share/bash-completion/completions/keel", "share/zsh/site-functions/_keel",
      "share/fish/vendor_completions.d/keel.fish",
    ]
    for path in installed {
      let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
      #expect(text.contains("check"), "\(path)")
    }
    #expect(try String(contentsOf: root.appendingPathComponent(installed[0]), encoding: .utf8).hasPrefix(".TH KEEL 1"))
    let uninstall = try runProcess(
      "/usr/bin/make", ["-s", "uninstall", "DESTDIR=\(destination.url.path)", "PREFIX=/usr"], in: packageRoot)
    #expect(uninstall.status == 0)
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("bin/keel").path))
  }
}
