import ArgumentParser
import Foundation
import KeelCore

/// `keel baseline`: records today's findings so that `keel check` fails only on new ones.
struct BaselineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline",
    abstract: "Record the current findings in \(Baseline.fileName), so that keel check fails only on new ones.",
    discussion: """
      Checks the working tree as 'keel check' does and writes every finding (rule, path and a fingerprint \
      that survives the line moving) to \(Baseline.fileName) next to keel.yaml; commit that file. \
      --update only drops the findings that are fixed and never adds one.
      """
  )

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Drop the findings that are fixed; never add new ones.")
  var update = false

  @Flag(help: "Do not read the Git history (leaves out the workflow/stale warnings).")
  var noHistory = false

  func run() throws {
    let workspace = try Workspace(directory: global.workingDirectory)
    guard let root = workspace.keelRoot else {
      throw KeelError("keel baseline needs a working tree with \(KeelConfig.fileName)")
    }
    let selection = try DocumentSelection.resolve(
      workspace: workspace, staged: false, all: false, rev: nil, base: nil, head: nil)
    let result = try CheckCommand.check(
      selection, workspace: workspace, history: noHistory || workspace.repository == nil ? nil : "HEAD")
    let diagnostics = result.diagnostics
    let fingerprints = SARIFReporter.fingerprints(
      for: diagnostics, sourceLines: SourceLines(snapshot: selection.snapshot, paths: Set(diagnostics.map(\.path))))
    let baseline: Baseline
    if update {
      guard
        let previous = try Baseline.load(
          from: selection.snapshot, paths: result.context.allPaths, limits: result.context.limits)
      else {
        throw KeelError("there is no \(Baseline.fileName) to update; run 'keel baseline' first")
      }
      let comparison = previous.compare(diagnostics, fingerprints: fingerprints)
      baseline = Baseline(entries: comparison.kept)
      var summary =
        "\(Baseline.fileName): \(comparison.gone.count) fixed \(comparison.gone.count == 1 ? "finding" : "findings") "
        + "dropped, \(baseline.entries.count) kept"
      if !comparison.new.isEmpty {
        summary += "; \(comparison.new.count) new \(comparison.new.count == 1 ? "finding was" : "findings were") "
        summary += "not added (fix or suppress them, or run 'keel baseline' to record everything)"
      }
      print(summary)
    } else {
      baseline = Baseline(diagnostics: diagnostics, fingerprints: fingerprints)
      print(
        "\(Baseline.fileName): \(baseline.entries.count) \(baseline.entries.count == 1 ? "finding" : "findings") recorded"
      )
    }
    try AtomicFile.write(Data(baseline.rendered().utf8), to: root.appendingPathComponent(Baseline.fileName))
  }
}
