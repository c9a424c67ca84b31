import Foundation
import Testing

@testable import KeelCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A repository folder and a folder outside it, both removed afterwards.
private final class Sandbox {
  let base: URL
  let root: URL
  let outside: URL
  var policy: PathPolicy { PathPolicy(root: root) }

  init() throws {
    base = try ReporterFixtures.temporaryDirectory()
    root = base.appendingPathComponent("repo")
    outside = base.appendingPathComponent("outside")
    for folder in [root, outside] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
  }

  deinit { try? FileManager.default.removeItem(at: base) }

  func write(_ path: String, _ text: String, in folder: URL? = nil) throws {
    let url = (folder ?? root).appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  func link(_ path: String, to destination: String) throws {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: destination)
  }

  func text(_ path: String, in folder: URL? = nil) throws -> String {
    try String(contentsOf: (folder ?? root).appendingPathComponent(path), encoding: .utf8)
  }

  func outsideFiles() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: outside.path).sorted() }
}

@Suite struct PathPolicyTests {
  @Test func keelPathsAreCanonicalAndInside() throws {
    #expect(try PathPolicy.components(of: "specs/a.md", access: .read) == ["specs", "a.md"])
    for path in ["../outside/g.yaml", "specs/../../x.md", "/etc/passwd", "", "specs//a.md", "./a.md", "specs/"] {
      #expect(throws: PathRefusal.self, "\(path)") { try PathPolicy.components(of: path, access: .read) }
    }
    let refusal = try #require(throws: PathRefusal.self) { try PathPolicy.components(of: "../g.yaml", access: .read) }
    #expect(refusal.description == "refusing to read ../g.yaml: '..' leads outside the repository")
  }

  @Test func commandLinePathsResolveByNameAndStayInside() throws {
    let policy = PathPolicy(root: URL(fileURLWithPath: "/work/repo"))
    let specs = URL(fileURLWithPath: "/work/repo/specs")
    #expect(try policy.relativePath("a.md", from: specs, access: .write) == "specs/a.md")
    #expect(try policy.relativePath("../docs/./b.md", from: specs, access: .write) == "docs/b.md")
    #expect(try policy.relativePath("/work/repo/c.md", from: specs, access: .write) == "c.md")
    #expect(try policy.relativePath(".", from: URL(fileURLWithPath: "/work/repo"), access: .write) == "")
    for argument in ["../../x", "/work/repository/x.md", "/etc/passwd", "../../../../.."] {
      #expect(throws: PathRefusal.self, "\(argument)") {
        try policy.relativePath(argument, from: specs, access: .write)
      }
    }
    #expect(policy.contains(URL(fileURLWithPath: "/work/repo/out/x.html")) == "out/x.html")
    #expect(policy.contains(URL(fileURLWithPath: "/work/other/x.html")) == nil)
  }

  @Test func readsRegularFilesAndRefusesLinksAtAnyComponent() throws {
    let sandbox = try Sandbox()
    try sandbox.write("specs/a.md", "inside\n")
    try sandbox.write("secret.yaml", "outside\n", in: sandbox.outside)
    try sandbox.link("glossary.yaml", to: sandbox.outside.appendingPathComponent("secret.yaml").path)
    try sandbox.link("linked", to: sandbox.outside.path)
    try sandbox.link("specs/self.md", to: "a.md")  // even a link that stays inside
    let policy = sandbox.policy
    #expect(try policy.read("specs/a.md") == Data("inside\n".utf8))
    let file = try #require(throws: PathRefusal.self) { try policy.read("glossary.yaml") }
    #expect(file.description.hasPrefix("refusing to read glossary.yaml: it is a symbolic link"))
    let folder = try #require(throws: PathRefusal.self) { try policy.read("linked/secret.yaml") }
    #expect(folder.reason.hasPrefix("linked is a symbolic link"))
    #expect(throws: PathRefusal.self) { try policy.read("specs/self.md") }
    #expect(throws: PathRefusal.self) { try policy.read("specs") }
    #expect(throws: KeelError.self) { try policy.read("specs/missing.md") }
    #expect(throws: KeelError.self) { try policy.read("missing/a.md") }
  }

  @Test func aFIFOIsRefusedWithoutBlocking() throws {
    let sandbox = try Sandbox()
    try #require(mkfifo(sandbox.root.appendingPathComponent("glossary.yaml").path, 0o644) == 0)
    let refusal = try #require(throws: PathRefusal.self) { try sandbox.policy.read("glossary.yaml") }
    #expect(refusal.reason == "it is not a regular file")
  }

  @Test func writesCreateFoldersAndNeverGoThroughALink() throws {
    let sandbox = try Sandbox()
    let policy = sandbox.policy
    try policy.write(Data("new\n".utf8), to: "specs/deep/a.md", replacing: false)
    #expect(try sandbox.text("specs/deep/a.md") == "new\n")
    let existing = try #require(throws: KeelError.self) {
      try policy.write(Data("other\n".utf8), to: "specs/deep/a.md", replacing: false)
    }
    #expect(existing.message == "refusing to overwrite specs/deep/a.md")
    try policy.write(Data("replaced\n".utf8), to: "specs/deep/a.md", replacing: true)
    #expect(try sandbox.text("specs/deep/a.md") == "replaced\n")

    // A committed dangling link at the name, a linked folder on the way, `..` out.
    try sandbox.link("specs/guest.md", to: sandbox.outside.appendingPathComponent("planted.sh").path)
    try sandbox.link("specs/out", to: sandbox.outside.path)
    for replacing in [false, true] {
      #expect(throws: PathRefusal.self) { try policy.write(Data("x".utf8), to: "specs/guest.md", replacing: replacing) }
      #expect(throws: PathRefusal.self) { try policy.write(Data("x".utf8), to: "specs/out/a.md", replacing: replacing) }
      #expect(throws: PathRefusal.self) {
        try policy.write(Data("x".utf8), to: "specs/out/new/a.md", replacing: replacing)
      }
      #expect(throws: PathRefusal.self) {
        try policy.write(Data("x".utf8), to: "../outside/a.md", replacing: replacing)
      }
    }
    #expect(try sandbox.outsideFiles().isEmpty)
    #expect(
      try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.root.path + "/specs/guest.md").hasSuffix(
        "planted.sh"))
  }

  @Test func existsChecksTheWayAWriteWouldGo() throws {
    let sandbox = try Sandbox()
    try sandbox.write("people.yaml", "people: []\n")
    try sandbox.link("schemas", to: sandbox.outside.path)
    try sandbox.link("dangling.yaml", to: sandbox.outside.appendingPathComponent("none").path)
    let policy = sandbox.policy
    #expect(try policy.exists("people.yaml"))
    #expect(try !policy.exists("glossary.yaml"))
    #expect(try !policy.exists("missing/deeper/file.md"))
    #expect(throws: PathRefusal.self) { try policy.exists("schemas/prd.schema.yaml") }
    #expect(throws: PathRefusal.self) { try policy.exists("dangling.yaml") }
  }

  @Test func listingClassifiesLinksAndFIFOsAsOther() throws {
    let sandbox = try Sandbox()
    try sandbox.write("a.md", "a\n")
    try FileManager.default.createDirectory(
      at: sandbox.root.appendingPathComponent("folder"), withIntermediateDirectories: true)
    try sandbox.link("loop", to: ".")
    try sandbox.link("file-link.md", to: "a.md")
    try #require(mkfifo(sandbox.root.appendingPathComponent("pipe").path, 0o644) == 0)
    let entries = try PathPolicy.entries(ofFolder: sandbox.root.path).sorted { $0.name < $1.name }
    #expect(entries.map(\.name) == ["a.md", "file-link.md", "folder", "loop", "pipe"])
    #expect(entries.map(\.kind) == [.file, .other, .folder, .other, .other])
  }
}

@Suite struct FileSystemSnapshotPolicyTests {
  @Test func linkLoopsAndLinkedFoldersAreNotWalked() throws {
    let sandbox = try Sandbox()
    try sandbox.write("keel.yaml", "version: 1\n")
    try sandbox.write("specs/a.md", "# A\n")
    try sandbox.write("specs/b.md", "# outside\n", in: sandbox.outside)
    try sandbox.link("a", to: ".")
    try sandbox.link("b", to: ".")
    try sandbox.link("specs/elsewhere", to: sandbox.outside.appendingPathComponent("specs").path)
    try #require(mkfifo(sandbox.root.appendingPathComponent("specs/pipe.md").path, 0o644) == 0)
    let snapshot = FileSystemSnapshot(root: sandbox.root)
    #expect(try snapshot.paths() == ["keel.yaml", "specs/a.md"])
    #expect(throws: PathRefusal.self) { try snapshot.read("specs/elsewhere/b.md") }
    #expect(throws: PathRefusal.self) { try snapshot.read("../outside/specs/b.md") }
    #expect(throws: PathRefusal.self) { try snapshot.read("specs/pipe.md") }
  }
}

@Suite struct FileEditTests {
  @Test func replacesWhenNobodyChangedTheFile() throws {
    let sandbox = try Sandbox()
    try sandbox.write("specs/a.md", "status: draft\n")
    chmod(sandbox.root.appendingPathComponent("specs/a.md").path, 0o640)
    let edit = try FileEdit("specs/a.md", in: sandbox.policy)
    #expect(edit.original == Data("status: draft\n".utf8))
    try edit.replace(with: Data("status: review\n".utf8))
    #expect(try sandbox.text("specs/a.md") == "status: review\n")
    var info = stat()
    #expect(stat(sandbox.root.appendingPathComponent("specs/a.md").path, &info) == 0 && info.st_mode & 0o777 == 0o640)
  }

  @Test func aChangeBetweenReadAndWriteIsNotOverwritten() throws {
    let sandbox = try Sandbox()
    try sandbox.write("specs/a.md", "status: draft\n")
    do {
      let edit = try FileEdit("specs/a.md", in: sandbox.policy)
      // An editor appends a line while keel works on the file.
      let handle = try FileHandle(forWritingTo: sandbox.root.appendingPathComponent("specs/a.md"))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data("a line someone added\n".utf8))
      try handle.close()
      let conflict = try #require(throws: EditConflict.self) { try edit.replace(with: Data("status: review\n".utf8)) }
      #expect(
        conflict.description == "specs/a.md changed since keel read it; nothing was written (run the command again)")
      #expect(try sandbox.text("specs/a.md") == "status: draft\na line someone added\n")
    }
    // Replaced by a whole new file (how editors save), or removed: the same.
    do {
      let edit = try FileEdit("specs/a.md", in: sandbox.policy)
      try sandbox.write("specs/a.md", "rewritten\n")
      #expect(throws: EditConflict.self) { try edit.replace(with: Data("x".utf8)) }
      #expect(try sandbox.text("specs/a.md") == "rewritten\n")
    }
    do {
      let edit = try FileEdit("specs/a.md", in: sandbox.policy)
      try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("specs/a.md"))
      #expect(throws: EditConflict.self) { try edit.replace(with: Data("x".utf8)) }
      #expect(!FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("specs/a.md").path))
    }
  }

  @Test func twoEditsOfOneFileCannotBothProceed() throws {
    let sandbox = try Sandbox()
    try sandbox.write("specs/a.md", "status: draft\n")
    do {
      let first = try FileEdit("specs/a.md", in: sandbox.policy)
      let conflict = try #require(throws: EditConflict.self) { try FileEdit("specs/a.md", in: sandbox.policy) }
      #expect(conflict.description == "specs/a.md is being changed by another keel process; nothing was written")
      try first.replace(with: Data("status: review\n".utf8))
    }
    // The lock goes with the edit: the next one proceeds and sees the first one's result.
    let next = try FileEdit("specs/a.md", in: sandbox.policy)
    #expect(next.original == Data("status: review\n".utf8))
  }

  @Test func refusesLinksAndPathsOutside() throws {
    let sandbox = try Sandbox()
    try sandbox.write("victim.md", "victim\n", in: sandbox.outside)
    try sandbox.link("specs/link.md", to: sandbox.outside.appendingPathComponent("victim.md").path)
    #expect(throws: PathRefusal.self) { try FileEdit("specs/link.md", in: sandbox.policy) }
    #expect(throws: PathRefusal.self) { try FileEdit("../outside/victim.md", in: sandbox.policy) }
    #expect(throws: KeelError.self) { try FileEdit("specs/missing.md", in: sandbox.policy) }
    #expect(try sandbox.text("victim.md", in: sandbox.outside) == "victim\n")
  }
}
