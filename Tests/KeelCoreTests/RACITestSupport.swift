import Foundation
import Testing

@testable import KeelCore

/// Runs a full check over in-memory files and returns its findings.
func checkFiles(_ files: [String: String]) throws -> [Diagnostic] {
  try Checker(snapshot: MemorySnapshot(texts: files)).run().diagnostics
}

/// `path:line:col` of a finding, as rule examples write locations.
func location(_ diagnostic: Diagnostic) -> String { "\(diagnostic.path):\(diagnostic.line):\(diagnostic.column)" }

/// The package root, found from this file's path.
let coreTestsPackageRoot: URL = {
  var url = URL(fileURLWithPath: #filePath)
  while url.path != "/" {
    url.deleteLastPathComponent()
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
  }
  fatalError("Package.swift not found above \(#filePath)")
}()

/// The example repository shipped with keel.
let productOpsExample = coreTestsPackageRoot.appendingPathComponent("examples/product-ops")

/// The RACI rules' own example repository (keel.yaml and people.yaml), reused by the tests.
enum RACIFixtures {
  static let config = RACIRuleSupport.config
  static let people = RACIRuleSupport.people

  static func files(_ raci: [String: String], people: String = people) -> [String: String] {
    var files = raci
    files["keel.yaml"] = config
    files["people.yaml"] = people
    return files
  }
}
