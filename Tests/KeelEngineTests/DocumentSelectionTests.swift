import Foundation
import KeelCore
import Testing

@testable import KeelEngine

/// Snapshots in memory standing in for a repository: revisions by name, the index, the working
/// tree, and merge bases; changes are found by comparing bytes.
private struct MemorySource: SnapshotSource {
  var revisions: [String: MemorySnapshot] = [:]
  var stagedFiles: MemorySnapshot?
  var workingFiles = MemorySnapshot(texts: [:], label: "working tree")
  /// "base..head" → the revision where they forked.
  var mergeBases: [String: String] = [:]

  func workingTree() throws -> Snapshot { workingFiles }
  func index() throws -> Snapshot {
    guard let stagedFiles else { throw KeelError("no index") }
    return stagedFiles
  }
  func revision(_ revision: String) throws -> Snapshot {
    guard let snapshot = revisions[revision] else { throw KeelError("unknown revision \(revision)") }
    return snapshot
  }
  func configuration(for snapshot: Snapshot, borrowing: Bool) throws -> Snapshot? { nil }
  func requireGit(for purpose: String) throws {}
  func hasCommits(for purpose: String) throws -> Bool { revisions["HEAD"] != nil }
  func mergeBase(_ base: String, _ head: String) throws -> String { mergeBases["\(base)..\(head)"] ?? base }
  func changes(from base: String, to head: SelectionTarget) throws -> [ReviewChange] {
    let newer: Snapshot =
      switch head {
      case .revision(let revision): try self.revision(revision)
      case .index: try index()
      case .workingTree: try workingTree()
      }
    return try ReviewBase.comparing(try revision(base), to: newer).changes
  }
}

private let config = """
  version: 1
  kinds:
    prd:
      include: ["specs/**/*.md"]
      schema: schemas/prd.yaml
    decision:
      include: ["decisions/*.md"]
  """

private let files: [String: String] = [
  "keel.yaml": config,
  "schemas/prd.yaml": "type: object\n",
  "specs/a.md": "---\nstatus: draft\n---\n# A\n",
  "specs/b.md": "---\nstatus: draft\n---\n# B\n",
  "decisions/d1.md": "---\nstatus: proposed\n---\n# D1\n",
  "notes.txt": "not a document\n",
]

private func snapshot(_ changes: [String: String?], label: String = "memory") -> MemorySnapshot {
  var texts = files
  for (path, text) in changes { texts[path] = text }
  return MemorySnapshot(texts: texts, label: label)
}

@Suite struct DocumentSelectionTests {
  @Test func theWorkingTreeChecksEveryDocument() throws {
    let source = MemorySource(workingFiles: snapshot([:], label: "working tree"))
    let selection = try DocumentSelection.resolve(.workingTree, in: source)
    #expect(selection.label == "working tree")
    #expect(selection.documentPaths == nil)
    #expect(selection.reviewBase == nil)
  }

  @Test func aRevisionIsLabelledByItsSnapshot() throws {
    let source = MemorySource(revisions: ["v1": snapshot([:], label: "v1 (3f2a9c1)")])
    let selection = try DocumentSelection.resolve(.revision("v1"), in: source)
    #expect(selection.label == "v1 (3f2a9c1)")
    #expect(selection.documentPaths == nil)
  }

  @Test func stagedChecksTheDocumentsTheCommitChangesAgainstHEAD() throws {
    let source = MemorySource(
      revisions: ["HEAD": snapshot([:])],
      stagedFiles: snapshot([
        "specs/a.md": "---\nstatus: review\n---\n# A\n", "specs/new.md": "---\nstatus: draft\n---\n",
        "decisions/d1.md": nil, "notes.txt": "edited\n",
      ]))
    let selection = try DocumentSelection.resolve(.staged(all: false), in: source)
    #expect(selection.label == "index")
    // Not the unchanged b.md, not the deleted decision, not a file that is no document.
    #expect(selection.documentPaths == ["specs/a.md", "specs/new.md"])
    let base = try #require(selection.reviewBase)
    #expect(Set(base.changes.map(\.path)) == ["specs/a.md", "specs/new.md", "decisions/d1.md", "notes.txt"])
    #expect(base.changes.first { $0.path == "specs/new.md" }?.change == .added)
  }

  @Test func stagedAllAndAFirstCommitCheckEveryStagedDocument() throws {
    let staged = snapshot(["specs/a.md": "---\nstatus: review\n---\n"])
    let all = try DocumentSelection.resolve(
      .staged(all: true), in: MemorySource(revisions: ["HEAD": snapshot([:])], stagedFiles: staged))
    #expect(all.documentPaths == nil)
    #expect(all.reviewBase == nil)
    let first = try DocumentSelection.resolve(.staged(all: false), in: MemorySource(stagedFiles: staged))
    #expect(first.documentPaths == nil)
    #expect(first.reviewBase == nil)
  }

  @Test func aChangedSchemaSelectsEveryDocumentOfItsKind() throws {
    for changed in ["schemas/prd.yaml", "schemas/common.json"] {
      let source = MemorySource(
        revisions: ["HEAD": snapshot([:])], stagedFiles: snapshot([changed: "type: object\nrequired: [x]\n"]))
      let selection = try DocumentSelection.resolve(.staged(all: false), in: source)
      #expect(selection.documentPaths == ["specs/a.md", "specs/b.md"], "\(changed)")
    }
  }

  @Test func aChangedKeelYAMLSelectsEverything() throws {
    let source = MemorySource(
      revisions: ["HEAD": snapshot([:])], stagedFiles: snapshot(["keel.yaml": config + "\n# edited\n"]))
    #expect(try DocumentSelection.resolve(.staged(all: false), in: source).documentPaths == nil)
  }

  @Test func reviewModeComparesWithTheMergeBase() throws {
    // main moved on after the branch forked (b.md changed there): only what the branch changed counts.
    let fork = snapshot([:], label: "fork")
    let main = snapshot(["specs/b.md": "---\nstatus: review\n---\n# B\n"], label: "main")
    let feature = snapshot(["specs/a.md": "---\nstatus: review\n---\n# A\n"], label: "feature")
    let source = MemorySource(
      revisions: ["fork": fork, "main": main, "feature": feature], mergeBases: ["main..feature": "fork"])
    let selection = try DocumentSelection.resolve(.review(base: "main", head: "feature"), in: source)
    #expect(selection.label == "main..feature")
    #expect(selection.documentPaths == ["specs/a.md"])
    #expect(selection.baseSnapshot?.label == "fork")
    #expect(selection.reviewBase?.changes.map(\.path) == ["specs/a.md"])
  }

  @Test func reviewModeWithoutHeadReadsTheWorkingTree() throws {
    let source = MemorySource(
      revisions: ["main": snapshot([:]), "HEAD": snapshot([:])],
      workingFiles: snapshot(["decisions/d2.md": "---\nstatus: proposed\n---\n"], label: "working tree"))
    let selection = try DocumentSelection.resolve(.review(base: "main", head: nil), in: source)
    #expect(selection.label == "main..working tree")
    #expect(selection.documentPaths == ["decisions/d2.md"])
  }
}
