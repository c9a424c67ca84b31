import Foundation
import KeelCore
import Testing

/// A folder outside the repository that a hostile repository points links at;
/// removed when released.
final class OutsideFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-outside-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// Every file under the folder (relative paths, sorted).
  func files() -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: url.path)
    return (enumerator?.allObjects as? [String] ?? []).sorted()
  }
}

extension TestRepository {
  /// Puts a symbolic link at `path` (folders created) pointing at `destination`.
  func link(_ path: String, to destination: String) throws {
    let file = url.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: destination)
  }
}

/// Issue 13, rows 8–12 and 14–15: no command writes or reads a keel file
/// outside the repository through a symbolic link or `..`, and no edit is lost.
@Suite("paths stay inside the repository")
struct PathSafetyTests {
  /// A keel repository (default kinds, people, glossary, RACI) committed.
  static func initialised() throws -> TestRepository {
    let repo = try TestRepository()
    #expect(try repo.keel(["init"]).status == 0)
    try repo.commitAll("init")
    return repo
  }

  @Test("keel new refuses a committed dangling link at the target name (row 8)")
  func newThroughDanglingLink() throws {
    let outside = try OutsideFolder()
    let repo = try Self.initialised()
    try repo.link("specs/guest-checkout.md", to: outside.path("planted.sh"))
    try repo.commitAll("plant a link")
    let result = try repo.keel(["new", "prd", "--title", "Guest checkout"])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("refusing to write specs/guest-checkout.md: it is a symbolic link"), "\(result.stderr)")
    #expect(outside.files().isEmpty, "nothing is created outside the repository")
  }

  @Test("keel new --in refuses '..' out of the repository and a folder that links outside (row 9)")
  func newInOutside() throws {
    let outside = try OutsideFolder()
    let repo = try Self.initialised()
    let before = try FileManager.default.contentsOfDirectory(atPath: repo.url.deletingLastPathComponent().path)
    let escaping = try repo.keel(["new", "prd", "--title", "X", "--in", "specs/../../x"])
    #expect(escaping.status == 2)
    #expect(
      escaping.stderr.contains("refusing to write specs/../../x: it is outside the repository"), "\(escaping.stderr)")
    let after = try FileManager.default.contentsOfDirectory(atPath: repo.url.deletingLastPathComponent().path)
    #expect(Set(after).subtracting(before).filter { $0 == "x" }.isEmpty)

    try repo.link("specs/out", to: outside.url.path)
    let linked = try repo.keel(["new", "prd", "--title", "X", "--in", "specs/out"])
    #expect(linked.status == 2)
    #expect(
      linked.stderr.contains("refusing to write specs/out/x.md: specs/out is a symbolic link"), "\(linked.stderr)")
    #expect(outside.files().isEmpty)

    // `..` that stays inside is fine, and so is a new folder.
    let inside = try repo.keel(["new", "prd", "--title", "X", "--in", "specs/../specs/new", "--owner", "alice"])
    #expect(inside.status == 0, "\(inside.stderr)")
    #expect(inside.stdout.contains("created specs/new/x.md"))
  }

  @Test("keel new does not read a template through a link")
  func templateThroughLink() throws {
    let outside = try OutsideFolder()
    let repo = try Self.initialised()
    try "# {{title}}\n\nsecret template\n".write(toFile: outside.path("t.md"), atomically: true, encoding: .utf8)
    try FileManager.default.removeItem(at: repo.url.appendingPathComponent("templates/prd.md"))
    try repo.link("templates/prd.md", to: outside.path("t.md"))
    let result = try repo.keel(["new", "prd", "--title", "Y"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("templates/prd.md is not read: it is a symbolic link"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: repo.url.appendingPathComponent("specs/y.md").path))
  }

  @Test("keel init refuses a dangling people.yaml link and a linked schemas folder, writing nothing (row 8)")
  func initThroughLinks() throws {
    let outside = try OutsideFolder()
    let repo = try TestRepository(plainFolder: ())
    try repo.link("people.yaml", to: outside.path("planted.yaml"))
    let people = try repo.keel(["init"])
    #expect(people.status == 2)
    #expect(people.stderr.contains("refusing to write people.yaml: it is a symbolic link"), "\(people.stderr)")
    #expect(outside.files().isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: repo.url.path) == ["people.yaml"])
    // --existing keeps what exists, but a link is not something it keeps: refused, nothing written.
    let existing = try repo.keel(["init", "--existing"])
    #expect(existing.status == 2)
    #expect(existing.stderr.contains("people.yaml"), "\(existing.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: repo.url.path) == ["people.yaml"])

    try FileManager.default.removeItem(at: repo.url.appendingPathComponent("people.yaml"))
    try repo.link("schemas", to: outside.url.path)
    let schemas = try repo.keel(["init"])
    #expect(schemas.status == 2)
    #expect(schemas.stderr.contains("schemas is a symbolic link"), "\(schemas.stderr)")
    #expect(outside.files().isEmpty)
    #expect(try repo.keel(["init", "--dry-run"]).status == 2)
    #expect(try repo.keel(["init", "--existing"]).status == 2)
    #expect(outside.files().isEmpty)
  }

  @Test("keel transition refuses a spec that is a link to a file outside (row 10)")
  func transitionThroughLink() throws {
    let outside = try OutsideFolder()
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    let victim = ReviewFixtures.prd(1, status: "draft")
    try victim.write(toFile: outside.path("victim.md"), atomically: true, encoding: .utf8)
    try repo.link("specs/link.md", to: outside.path("victim.md"))
    try repo.commitAll("plant a link")
    let result = try repo.keel(["transition", "specs/link.md", "review"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("refusing to write specs/link.md: it is a symbolic link"), "\(result.stderr)")
    #expect(try String(contentsOfFile: outside.path("victim.md"), encoding: .utf8) == victim)

    // A path out of the repository by `..` is refused the same way.
    let escaping = try repo.keel(["transition", "../x.md", "review"])
    #expect(escaping.status == 2)
    #expect(escaping.stderr.contains("it is outside the repository"), "\(escaping.stderr)")
  }

  @Test("plain folder: a link loop is skipped, a linked folder is not checked, ../ is not read (row 11)")
  func plainFolder() throws {
    let outside = try OutsideFolder()
    let repo = try TestRepository(plainFolder: ())
    #expect(try repo.keel(["init"]).status == 0)
    try repo.link("specs/a", to: ".")
    let one = try repo.keel(["check"])
    // Before: specs/example.md was also found as specs/a/example.md, specs/a/a/example.md, …
    // (and with a second link, 2^40 paths: a hang).
    try #require(one.stdout.contains("in 1 document"), "\(one.stdout)\(one.stderr)")
    try repo.link("specs/b", to: ".")
    try repo.link("c", to: ".")
    let loop = try repo.keel(["check"])
    #expect(loop.status == 0, "\(loop.stdout)\(loop.stderr)")
    #expect(loop.stdout.contains("in 1 document"))

    try FileManager.default.createDirectory(
      at: outside.url.appendingPathComponent("specs"), withIntermediateDirectories: true)
    try "---\ntitle: broken\n---\n# x\n".write(toFile: outside.path("specs/bad.md"), atomically: true, encoding: .utf8)
    try repo.link("specs/elsewhere", to: outside.path("specs"))
    let linked = try repo.keel(["check"])
    #expect(linked.status == 0, "\(linked.stdout)")
    #expect(!linked.stdout.contains("bad.md"))

    try "terms:\n  - term: Secret\n    definition: from outside\n".write(
      toFile: outside.path("g.yaml"), atomically: true, encoding: .utf8)
    let config = try repo.read("keel.yaml")
    try repo.write(
      "keel.yaml",
      config.replacingOccurrences(
        of: "glossary: glossary.yaml", with: "glossary: ../\(outside.url.lastPathComponent)/g.yaml"))
    let check = try repo.keel(["check"])
    #expect(check.status == 1)
    #expect(
      check.stdout.contains("is not read: '..' leads outside the repository [config/missing-file]"), "\(check.stdout)")
    let export = try repo.keel(["export", "glossary"])
    #expect(export.status == 2)
    #expect(!export.stdout.contains("Secret"))
  }

  @Test("glossary, people and keel.yaml are not read through a link (row 12)")
  func readsThroughLinks() throws {
    let outside = try OutsideFolder()
    let repo = try Self.initialised()
    try "terms:\n  - term: Secret\n    definition: from outside\n".write(
      toFile: outside.path("g.yaml"), atomically: true, encoding: .utf8)
    try FileManager.default.removeItem(at: repo.url.appendingPathComponent("glossary.yaml"))
    try repo.link("glossary.yaml", to: outside.path("g.yaml"))
    let export = try repo.keel(["export", "glossary", "--format", "csv"])
    #expect(export.status == 2)
    #expect(!export.stdout.contains("Secret"))
    #expect(
      export.stderr.contains("glossary.yaml named by keel.yaml is not read: it is a symbolic link"), "\(export.stderr)")
    let check = try repo.keel(["check"])
    #expect(check.stdout.contains("keel.yaml:4:11: error: the glossary glossary.yaml named by keel.yaml is not read"))

    try FileManager.default.removeItem(at: repo.url.appendingPathComponent("people.yaml"))
    try repo.link("people.yaml", to: outside.path("g.yaml"))
    #expect(try repo.keel(["check"]).stdout.contains("the people registry people.yaml named by keel.yaml is not read"))

    try FileManager.default.moveItem(
      at: repo.url.appendingPathComponent("keel.yaml"), to: outside.url.appendingPathComponent("keel.yaml"))
    try repo.link("keel.yaml", to: outside.path("keel.yaml"))
    let config = try repo.keel(["check"])
    #expect(config.status == 2)
    #expect(config.stderr.contains("refusing to read keel.yaml: it is a symbolic link"), "\(config.stderr)")
  }

  @Test(
    "schemas, templates, workflows and people named with '..' or through a link are not read (Git and plain folder)",
    arguments: [true, false])
  func keelFilesOutside(git: Bool) throws {
    let outside = try OutsideFolder()
    let repo: TestRepository
    if git {
      repo = try Self.initialised()
    } else {
      repo = try TestRepository(plainFolder: ())
      #expect(try repo.keel(["init"]).status == 0)
    }
    let pristine = try repo.read("keel.yaml")
    let escape = "../\(outside.url.lastPathComponent)"
    for file in ["schemas/prd.schema.yaml", "templates/prd.md", "workflows/spec.yaml"] {
      let planted = outside.path((file as NSString).lastPathComponent)
      try (try repo.read(file) + "\n# planted\n").write(toFile: planted, atomically: true, encoding: .utf8)
      // keel.yaml names the copy outside through `..`.
      let named = "\(escape)/\((file as NSString).lastPathComponent)"
      try repo.write("keel.yaml", pristine.replacingOccurrences(of: ": \(file)", with: ": \(named)"))
      let dots = try repo.keel(["check"])
      #expect(dots.status == 2, "\(file): \(dots.stdout)")
      #expect(
        dots.stderr.contains(named) && dots.stderr.contains("is not read: '..' leads outside the repository"),
        "\(dots.stderr)")
      // The file in the repository is a link to it.
      try repo.write("keel.yaml", pristine)
      let original = try repo.read(file)
      try FileManager.default.removeItem(at: repo.url.appendingPathComponent(file))
      try repo.link(file, to: planted)
      if git { try repo.commitAll("link \(file)") }
      let linked = try repo.keel(["check"])
      #expect(linked.status == 2, "\(file): \(linked.stdout)")
      #expect(
        linked.stderr.contains(file) && linked.stderr.contains("is not read: it is a symbolic link"),
        "\(linked.stderr)")
      try FileManager.default.removeItem(at: repo.url.appendingPathComponent(file))
      try repo.write(file, original)
      if git { try repo.commitAll("restore \(file)") }
    }
    try repo.write("people.yaml", "people: [{id: planted}]\n")
    try FileManager.default.moveItem(
      at: repo.url.appendingPathComponent("people.yaml"), to: outside.url.appendingPathComponent("people.yaml"))
    try repo.write("keel.yaml", pristine.replacingOccurrences(of: ": people.yaml", with: ": \(escape)/people.yaml"))
    let people = try repo.keel(["check"])
    #expect(
      people.stdout.contains(
        "the people registry \(escape)/people.yaml named by keel.yaml is not read: '..' leads outside the repository"),
      "\(people.stdout)")
    #expect(!people.stdout.contains("planted"))
  }

  @Test("export --output into the repository does not write through a link; outside it, it writes where asked")
  func exportOutput() throws {
    let outside = try OutsideFolder()
    let repo = try Self.initialised()
    try repo.link("out", to: outside.url.path)
    let folder = try repo.keel(["export", "raci", "--output", "out/raci.html"])
    #expect(folder.status == 2)
    #expect(folder.stderr.contains("refusing to write out/raci.html: out is a symbolic link"), "\(folder.stderr)")
    try repo.link("docs/raci.csv", to: outside.path("victim.csv"))
    let file = try repo.keel(["export", "raci", "--output", "docs/../docs/raci.csv"])
    #expect(file.status == 2)
    #expect(file.stderr.contains("refusing to write docs/raci.csv: it is a symbolic link"), "\(file.stderr)")
    #expect(outside.files().isEmpty)

    let inside = try repo.keel(["export", "raci", "--output", "reports/raci.csv"])
    #expect(inside.status == 0, "\(inside.stderr)")
    #expect(try repo.read("reports/raci.csv").hasPrefix("path,title,activity"))
    let elsewhere = try repo.keel(["export", "glossary", "--output", outside.path("glossary.json")])
    #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
    #expect(outside.files() == ["glossary.json"])
  }

  @Test("hooks install does not follow a committed link in a hooks path inside the work tree")
  func hooksThroughLink() throws {
    let outside = try OutsideFolder()
    let repo = try TestRepository()
    try repo.link(".githooks", to: outside.url.path)
    try repo.commitAll("hooks folder")
    try repo.git(["config", "core.hooksPath", ".githooks"])
    let result = try repo.keel(["hooks", "install"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("refusing to write .githooks: it is a symbolic link"), "\(result.stderr)")
    #expect(outside.files().isEmpty)

    // A hooks path the user configured outside the work tree is used as configured.
    try repo.git(["config", "core.hooksPath", outside.path("hooks")])
    let configured = try repo.keel(["hooks", "install"])
    #expect(configured.status == 0, "\(configured.stderr)")
    #expect(outside.files() == ["hooks", "hooks/pre-commit"])
  }

  @Test("a transition of a file another keel is changing fails with exit 1 and writes nothing (row 14)")
  func concurrentTransition() throws {
    let repo = try TestRepository()
    try ReviewFixtures.seed(repo)
    let original = ReviewFixtures.prd(1, status: "draft")
    try repo.write("specs/a.md", original)
    try repo.commitAll("start")
    do {
      // This process is the other keel: it holds the file for an edit of its own.
      let other = try FileEdit("specs/a.md", in: PathPolicy(root: repo.url))
      let result = try repo.keel(["transition", "specs/a.md", "review"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("specs/a.md is being changed by another keel process"), "\(result.stderr)")
      #expect(try repo.read("specs/a.md") == original)
      try other.replace(with: Data((original + "\nAppended by the other edit.\n").utf8))
    }
    let after = try repo.keel(["transition", "specs/a.md", "review"])
    #expect(after.status == 0, "\(after.stderr)")
    let text = try repo.read("specs/a.md")
    #expect(text.contains("status: review") && text.contains("Appended by the other edit."))
  }

  @Test("an unreadable glossary ('just a string', 'terms: 5') stops export with a located reason (row 15)")
  func unreadableGlossary() throws {
    let repo = try Self.initialised()
    for (text, location) in [("just a string\n", "glossary.yaml:1:1: "), ("terms: 5\n", "glossary.yaml:1:8: ")] {
      try repo.write("glossary.yaml", text)
      let export = try repo.keel(["export", "glossary", "--format", "csv"])
      #expect(export.status == 2)
      #expect(export.stderr.hasPrefix("keel: error: \(location)"), "\(export.stderr)")
      #expect(export.stdout.isEmpty)
      let check = try repo.keel(["check"])
      #expect(check.status == 1)
      #expect(check.stdout.contains("\(location)error: "), "\(check.stdout)")
      #expect(check.stdout.contains("[config/schema]"))
    }
  }
}
