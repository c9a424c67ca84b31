import Foundation
import KeelCore
import Testing

@testable import KeelCore

/// The binary ships copies of schemas/, workflows/, templates/ and scaffold/;
/// one source of truth: the copies must equal the files (`make embed`).
@Suite struct EmbeddedDefaultsTests {
  static let root: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("no package root")
  }()

  @Test func embeddedCopiesMatchTheFiles() throws {
    var onDisk: [String: String] = [:]
    for folder in ["schemas", "workflows", "templates", "scaffold"] {
      let base = Self.root.appendingPathComponent(folder)
      let enumerator = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil))
      for case let url as URL in enumerator where !url.hasDirectoryPath {
        let relative = folder + "/" + url.path.dropFirst(base.path.count + 1)
        onDisk[relative] = try String(contentsOf: url, encoding: .utf8)
      }
    }
    #expect(Set(onDisk.keys) == Set(EmbeddedDefaults.files.keys), "run 'make embed'")
    for (path, text) in onDisk {
      #expect(EmbeddedDefaults.files[path] == text, "\(path) differs from its embedded copy; run 'make embed'")
    }
  }

  /// Keel compiles its own schemas without meta-validating them on every run; this is where they are.
  @Test(arguments: KeelSchemas.Name.allCases)
  func embeddedSchemasMeetTheMetaSchema(_ name: KeelSchemas.Name) throws {
    _ = try KeelSchemas.compile(name, validatingSchema: true)
  }

  @Test func scaffoldHasTheDocumentedFiles() {
    let files = Set(Scaffold.files.keys)
    for path in [
      "keel.yaml", "people.yaml", "glossary.yaml", "kpis.yaml", "raci/product.yaml", "specs/example.md",
      "templates/prd.md",
      "templates/rfc.md", "templates/decision.md", "workflows/spec.yaml", "workflows/decision.yaml",
      "schemas/prd.schema.yaml",
    ] {
      #expect(files.contains(path), "\(path)")
    }
    #expect(!files.contains("schemas/keel.schema.json"))
  }
}
