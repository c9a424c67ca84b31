import Foundation
import Testing

/// Folder documents (issue 10, item 2): `keps/<group>/<number>-<slug>/` with `kep.yaml` (the
/// fields) and `README.md` (the body).
@Suite("folder documents end to end")
struct FolderDocumentTests {
  static let config = """
    version: 1
    kinds:
      kep:
        include: ["keps/*/*/"]
        metadata: kep.yaml
        body: README.md
        schema: schemas/kep.schema.yaml
        template: templates/kep.md
        workflow: workflows/kep.yaml
        id-field: kep-number
    """

  static let schema = """
    type: object
    required: [title, kep-number, status]
    properties:
      title: {type: string}
      kep-number: {type: string, pattern: "^[0-9]+$"}
      status: {enum: [provisional, implementable, implemented]}
    """

  static let workflow = """
    field: status
    initial: [provisional]
    states:
      provisional: {}
      implementable:
        requires: {checklists: [Release Signoff Checklist]}
      implemented: {final: true}
    transitions:
      provisional: [implementable]
      implementable: [implemented]
    """

  static let template = """
    ---
    title: "{{title}}"
    kep-number: "0"
    status: provisional
    ---
    # KEP-{{number}}: {{title}}

    ## Release Signoff Checklist

    - [ ] Enhancement issue in release milestone

    ## Summary

    Write the summary.

    ## Motivation

    Write the motivation.

    """

  static func metadata(_ number: String, status: String = "provisional") -> String {
    "title: Sidecar containers\nkep-number: \"\(number)\"\nstatus: \(status)\n"
  }

  static func readme(ticked: Bool = false) -> String {
    """
    # KEP-753: Sidecar containers

    ## Release Signoff Checklist

    - [\(ticked ? "x" : " ")] Enhancement issue in release milestone

    ## Summary

    Containers that start first.

    ## Motivation

    Ordering.

    """
  }

  static func seed(_ repository: TestRepository) throws {
    try repository.write("keel.yaml", config)
    try repository.write("schemas/kep.schema.yaml", schema)
    try repository.write("workflows/kep.yaml", workflow)
    try repository.write("templates/kep.md", template)
    try repository.write("keps/sig-node/753-sidecars/kep.yaml", metadata("753"))
    try repository.write("keps/sig-node/753-sidecars/README.md", readme())
    try repository.write("keps/README.md", "# KEPs\n")
  }

  @Test("check: findings in the file they are about, missing files, worktree, --staged, --rev and plain folders")
  func check() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    try repo.commitAll("start")
    let clean = try repo.keel(["check"])
    #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    #expect(clean.stdout.contains("in 1 document"), "\(clean.stdout)")

    try repo.write("keps/sig-node/900-bad/kep.yaml", "title: Bad\nkep-number: \"900\"\nstatus: shiped\n")
    try repo.write(
      "keps/sig-node/900-bad/README.md",
      Self.readme().replacingOccurrences(of: "## Motivation\n\nOrdering.\n", with: ""))
    try repo.write("keps/sig-node/901-nobody/kep.yaml", Self.metadata("901"))
    try repo.write("keps/sig-apps/902-nometa/README.md", Self.readme())
    let expected = [
      "keps/sig-node/900-bad/kep.yaml:3:9: error: 'shiped' is not one of provisional, implementable, implemented [schema/enum]",
      "keps/sig-node/900-bad/README.md:10:1: error: missing section '## Motivation'",
      "keps/sig-node/901-nobody/kep.yaml:1:1: error: keps/sig-node/901-nobody has no README.md: the body of a kep document is in that file [document/incomplete-folder]",
    ]
    let missingMetadata =
      "keps/sig-apps/902-nometa/README.md:1:1: error: keps/sig-apps/902-nometa has no kep.yaml: the fields of a kep document are in that file [document/incomplete-folder]"
    let worktree = try repo.keel(["check"])
    #expect(worktree.status == 1)
    for finding in expected + [missingMetadata] { #expect(worktree.stdout.contains(finding), "\(worktree.stdout)") }

    try repo.git(["add", "-A"])
    let staged = try repo.keel(["check", "--staged"])
    // A folder missing its metadata file is found by every mode that selects it.
    for finding in expected + [missingMetadata] { #expect(staged.stdout.contains(finding), "\(staged.stdout)") }
    let review = try repo.keel(["check", "--base", "HEAD"])
    for finding in expected + [missingMetadata] { #expect(review.stdout.contains(finding), "\(review.stdout)") }
    try repo.commitAll("more")
    let revision = try repo.keel(["check", "--rev", "HEAD"])
    for finding in expected + [missingMetadata] { #expect(revision.stdout.contains(finding), "\(revision.stdout)") }

    // A change to the body alone checks the folder again.
    try repo.write(
      "keps/sig-node/753-sidecars/README.md", Self.readme().replacingOccurrences(of: "## Summary", with: "## Sumary"))
    try repo.git(["add", "-A"])
    let bodyOnly = try repo.keel(["check", "--staged"])
    #expect(
      bodyOnly.stdout.contains("keps/sig-node/753-sidecars/README.md:11:1: error: missing section '## Summary'"),
      "\(bodyOnly.stdout)")
    let bodyReview = try repo.keel(["check", "--base", "HEAD"])
    #expect(bodyReview.stdout.contains("keps/sig-node/753-sidecars/README.md:11:1"), "\(bodyReview.stdout)")
    // Only the changed folder: the unchanged folder without its metadata file is not reported.
    #expect(!bodyReview.stdout.contains("902-nometa"), "\(bodyReview.stdout)")

    let folder = try TestRepository(plainFolder: ())
    try Self.seed(folder)
    try folder.write("keps/sig-node/900-bad/kep.yaml", "title: Bad\nkep-number: \"900\"\nstatus: shiped\n")
    try folder.write("keps/sig-node/900-bad/README.md", Self.readme())
    let plain = try folder.keel(["check"])
    #expect(plain.stdout.contains(expected[0]), "\(plain.stdout)")
  }

  @Test("transition edits the metadata file and checks the body's requirements; history, changelog, metrics")
  func transitionAndHistory() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    try repo.commitAll("start", date: "2026-01-01T10:00:00Z")
    let refused = try repo.keel(["transition", "keps/sig-node/753-sidecars", "implementable"])
    #expect(refused.status == 1)
    #expect(refused.stdout.contains("keps/sig-node/753-sidecars/README.md:5:1"), "\(refused.stdout)")
    #expect(try repo.read("keps/sig-node/753-sidecars/kep.yaml") == Self.metadata("753"))

    try repo.write("keps/sig-node/753-sidecars/README.md", Self.readme(ticked: true))
    try repo.commitAll("tick", date: "2026-01-03T10:00:00Z")
    let moved = try repo.keel(["transition", "keps/sig-node/753-sidecars/", "implementable"])
    #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
    #expect(try repo.read("keps/sig-node/753-sidecars/kep.yaml") == Self.metadata("753", status: "implementable"))
    try repo.commitAll("implementable", date: "2026-01-05T10:00:00Z")

    let history = try repo.keel(["history", "keps/sig-node/753-sidecars"])
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stdout.contains("state: provisional -> implementable"), "\(history.stdout)")
    #expect(history.stdout.contains("sections: Release Signoff Checklist"), "\(history.stdout)")
    #expect(history.stdout.components(separatedBy: "\n    start").count == 2, "one event per commit: \(history.stdout)")

    let changelog = try repo.keel(["changelog", "--since", "HEAD~2"])
    #expect(changelog.stdout.contains("### implementable: 1 document"), "\(changelog.stdout)")
    // The folder is listed, once, by its folder (a body-only commit is one of its commits).
    #expect(changelog.stdout.contains("- **keps/sig-node/753-sidecars** — Sidecar containers"), "\(changelog.stdout)")
    #expect(!changelog.stdout.contains("kep.yaml"), "\(changelog.stdout)")
    #expect(changelog.stdout.contains("tick"), "\(changelog.stdout)")
    let metrics = try repo.keel(["metrics", "--now", "2026-02-01"])
    #expect(metrics.stdout.contains("provisional -> implementable  1      4d"), "\(metrics.stdout)")
    #expect(metrics.stdout.contains("\n  keps/sig-node/753-sidecars  implementable"), "\(metrics.stdout)")
    #expect(!metrics.stdout.contains("kep.yaml"), "\(metrics.stdout)")
  }

  @Test("history, changelog and metrics follow a renamed folder; a body-only change is an update")
  func renamedFolder() throws {
    let repo = try TestRepository()
    try Self.seed(repo)
    try repo.commitAll("start", date: "2026-01-01T10:00:00Z")
    try repo.write("keps/sig-node/753-sidecars/README.md", Self.readme(ticked: true))
    try repo.commitAll("tick", date: "2026-01-02T10:00:00Z")
    try FileManager.default.createDirectory(
      at: repo.url.appendingPathComponent("keps/sig-apps"), withIntermediateDirectories: true)
    try repo.git(["mv", "keps/sig-node/753-sidecars", "keps/sig-apps/753-sidecar-containers"])
    try repo.commitAll("move to sig-apps", date: "2026-01-03T10:00:00Z")
    try repo.write(
      "keps/sig-apps/753-sidecar-containers/kep.yaml", Self.metadata("753", status: "implementable"))
    try repo.commitAll("implementable", date: "2026-01-04T10:00:00Z")
    try repo.write("keps/sig-apps/753-sidecar-containers/README.md", Self.readme(ticked: true) + "\nMore.\n")
    try repo.commitAll("body only", date: "2026-01-05T10:00:00Z")

    let history = try repo.keel(["history", "keps/sig-apps/753-sidecar-containers"])
    #expect(history.status == 0, "\(history.stderr)")
    for summary in ["start", "tick", "move to sig-apps", "implementable", "body only"] {
      #expect(history.stdout.contains("    \(summary)"), "\(summary): \(history.stdout)")
    }
    #expect(
      history.stdout.contains(
        "renamed keps/sig-node/753-sidecars/kep.yaml -> keps/sig-apps/753-sidecar-containers/kep.yaml"),
      "\(history.stdout)")

    let changelog = try repo.keel(["changelog", "--since", "HEAD~4"])
    #expect(
      changelog.stdout.contains("- **keps/sig-apps/753-sidecar-containers** — Sidecar containers"),
      "\(changelog.stdout)")
    #expect(changelog.stdout.contains("keps/sig-node/753-sidecars"), "previous path: \(changelog.stdout)")
    #expect(!changelog.stdout.contains("kep.yaml"), "\(changelog.stdout)")
    let bodyOnly = try repo.keel(["changelog", "--since", "HEAD~1"])
    #expect(bodyOnly.stdout.contains("### updated: 1 document"), "\(bodyOnly.stdout)")
    #expect(
      bodyOnly.stdout.contains("- **keps/sig-apps/753-sidecar-containers** — Sidecar containers"), "\(bodyOnly.stdout)")
    let metrics = try repo.keel(["metrics", "--now", "2026-02-01", "--format", "csv"])
    #expect(
      metrics.stdout.contains("\nkeps/sig-apps/753-sidecar-containers,kep,kep,implementable,2026-01-04"),
      "\(metrics.stdout)")
    #expect(metrics.stdout.components(separatedBy: "753").count == 2, "one row: \(metrics.stdout)")
  }

  @Test("new creates the folder <number>-<slug> with both files from the template")
  func newFolder() throws {
    let folder = try TestRepository(plainFolder: ())
    try Self.seed(folder)
    let created = try folder.keel(["new", "kep", "--title", "Pod groups: phase 2", "--in", "keps/sig-node"])
    #expect(created.status == 0, "\(created.stdout)\(created.stderr)")
    #expect(
      created.stdout.contains("created keps/sig-node/754-pod-groups-phase-2/ (kep-number: 754)"), "\(created.stdout)")
    #expect(
      try folder.read("keps/sig-node/754-pod-groups-phase-2/kep.yaml")
        == "title: \"Pod groups: phase 2\"\nkep-number: \"754\"\nstatus: provisional\n")
    #expect(
      try folder.read("keps/sig-node/754-pod-groups-phase-2/README.md").hasPrefix("# KEP-754: Pod groups: phase 2\n"))
    let check = try folder.keel(["check"])
    #expect(!check.stdout.contains("754-pod-groups-phase-2/kep.yaml"), "\(check.stdout)")
    #expect(check.stdout.contains("in 2 documents"), "\(check.stdout)")
    #expect(check.stdout.contains("754-pod-groups-phase-2/README.md:9:1: error: placeholder text"), "\(check.stdout)")
    // A rule gated by state applies to the body file by the folder's state (in its metadata file).
    try folder.write(
      "keel.yaml", Self.config + "\nrules:\n  template/placeholder: {severity: error, from: implementable}\n")
    let gated = try folder.keel(["check"])
    #expect(!gated.stdout.contains("[template/placeholder]"), "\(gated.stdout)")
    let outside = try folder.keel(["new", "kep", "--title", "Nowhere"])
    #expect(outside.status == 2)
    #expect(outside.stderr.contains("choose its folder with --in"), "\(outside.stderr)")
  }
}
