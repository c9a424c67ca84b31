import Foundation
import Testing

@testable import KeelCore

/// `keel init` and `keel init --existing`.
@Suite struct ScaffoldTests {
  private func contents(of directory: URL) throws -> [String: String] {
    var files: [String: String] = [:]
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = enumerator?.nextObject() as? URL {
      guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
      let path = String(url.standardizedFileURL.path.dropFirst(directory.standardizedFileURL.path.count + 1))
      files[path] = try String(contentsOf: url, encoding: .utf8)
    }
    return files
  }

  @Test("--existing writes only the missing configuration files, keeps the others byte for byte, lists both")
  func existingWritesOnlyWhatIsMissing() throws {
    let directory = try ReporterFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let policy = PathPolicy(root: directory)
    try policy.write(Data("terms: []\n".utf8), to: "glossary.yaml", replacing: false)
    try policy.write(Data("# our own template\n".utf8), to: "templates/prd.md", replacing: false)
    try policy.write(Data("# old spec\n".utf8), to: "specs/old.md", replacing: false)

    let planned = try Scaffold.write(into: directory, dryRun: true, existing: true)
    #expect(try contents(of: directory).count == 3, "a dry run writes nothing")
    let outcome = try Scaffold.write(into: directory, existing: true)
    #expect(outcome == planned)
    #expect(outcome.kept == ["glossary.yaml", "templates/prd.md"])
    #expect(outcome.skippedExamples == Scaffold.files.keys.filter(Scaffold.isExample).sorted())
    #expect(outcome.skippedExamples.contains("specs/example.md"))
    let configuration = Scaffold.files.keys.filter { !Scaffold.isExample($0) }
    #expect(outcome.written == configuration.filter { !outcome.kept.contains($0) }.sorted())
    #expect(outcome.written.contains("keel.yaml"))

    let files = try contents(of: directory)
    #expect(files["glossary.yaml"] == "terms: []\n")
    #expect(files["templates/prd.md"] == "# our own template\n")
    #expect(files["specs/old.md"] == "# old spec\n")
    #expect(files["specs/example.md"] == nil)
    for path in outcome.written { #expect(files[path] == Scaffold.files[path], "\(path)") }

    // Run again: everything is kept, nothing written.
    let again = try Scaffold.write(into: directory, existing: true)
    #expect(again.written.isEmpty)
    #expect(again.kept == configuration.sorted())
    #expect(try contents(of: directory) == files)
  }

  @Test("without --existing one existing file stops it before anything is written, and says how to adopt")
  func newRepositoryRefusesExistingFiles() throws {
    let directory = try ReporterFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try PathPolicy(root: directory).write(Data("terms: []\n".utf8), to: "glossary.yaml", replacing: false)
    #expect {
      try Scaffold.write(into: directory)
    } throws: { error in
      "\(error)".contains("refusing to overwrite existing files: glossary.yaml") && "\(error)".contains("--existing")
    }
    #expect(try contents(of: directory) == ["glossary.yaml": "terms: []\n"])
    // A new folder gets everything, examples too.
    let fresh = directory.appendingPathComponent("fresh")
    try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: false)
    let outcome = try Scaffold.write(into: fresh)
    #expect(outcome.written == Scaffold.files.keys.sorted())
    #expect(outcome.kept.isEmpty && outcome.skippedExamples.isEmpty)
  }
}
