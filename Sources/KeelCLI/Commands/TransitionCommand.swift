import ArgumentParser
import Foundation
import KeelCore

/// `keel transition PATH STATE`: moves a document along its workflow.
struct TransitionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "transition",
    abstract: "Move a document to another state of its workflow.",
    discussion: """
      Only the value of the workflow field (status) changes; every other byte of the file stays as it was. \
      An illegal transition or a requirement the new state does not meet is refused with the findings \
      'keel check' would report (exit 1), and the file is left alone. So is a file that changes while keel \
      works on it, or that another keel process is changing (exit 1).
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The document to move.")
  var path: String

  @Argument(help: "The state to move it to.")
  var state: String

  func run() throws {
    let workspace = try Workspace(directory: global.workingDirectory)
    guard let root = workspace.keelRoot?.standardizedFileURL else {
      throw KeelError("keel transition needs a working tree with \(KeelConfig.fileName)")
    }
    let files = PathPolicy(root: root)
    let path = try files.relativePath(path, from: global.workingDirectory, access: .write)
    let snapshot = try workspace.workingTree()
    let config = try KeelConfig.load(from: snapshot)
    guard let kind = config.kind(for: path) else {
      throw KeelError("\(path) is not a document of any kind in \(KeelConfig.fileName)")
    }
    let resources = try KindResources(config: config, snapshot: snapshot)
    guard let workflow = resources.workflows[kind.name] else {
      throw KeelError("kind '\(kind.name)' has no workflow in \(KeelConfig.fileName)", path: KeelConfig.fileName)
    }
    guard workflow.state(named: state) != nil else {
      throw KeelError(
        "'\(state)' is not a state of \(workflow.path) (\(workflow.states.map(\.name).joined(separator: ", ")))")
    }
    // Locked until the command ends; written only if nobody changed it meanwhile.
    let edit = try FileEdit(path, in: files)
    let data = edit.original
    let current = DocumentParser.parse(path: path, data: data, kind: kind.name, format: kind.format(of: path))
      .field(workflow.field)
    if current == state {
      Output.say("\(path) is already \(state)")
      return
    }
    let edited = try FrontMatterEditor.replacingValue(
      of: workflow.field, with: state, in: data, path: path, format: kind.format(of: path))

    // Check the document as it would be, against itself as it is: the same
    // rules and findings as `keel check --base` on the change.
    let result = try Checker(snapshot: OverlaySnapshot(base: snapshot, replacing: [path: edited])).run(
      documentPaths: [path],
      base: ReviewBase(
        snapshot: OverlaySnapshot(base: snapshot, replacing: [path: data]),
        changes: [ReviewChange(path: path, change: .modified)]))
    // The workflow's own rules, and rules keel.yaml applies only from some state on
    // (`{severity: error, from: review}`): moving there must meet them too.
    let blocking = result.diagnostics.filter {
      $0.path == path && $0.severity == .error
        && ([WorkflowIllegalTransitionRule.descriptor.id, WorkflowRequirementRule.descriptor.id].contains($0.rule)
          || config.policy(for: $0.rule)?.isStateGated == true)
    }
    if !blocking.isEmpty {
      let report = Report(
        toolVersion: Keel.version, source: snapshot.label, documentCount: 1, diagnostics: blocking,
        rules: RuleCatalog.allDescriptors, checkedPaths: [path])
      let colour = Terminal.shouldColour(
        environment: ProcessInfo.processInfo.environment, isTTY: Output.stdoutIsTerminal)
      FileHandle.standardOutput.write(Data(TextReporter(colour: colour).render(report).utf8))
      Output.warn("refusing to move \(path) from \(current ?? "no state") to \(state); \(path) is unchanged")
      throw ExitCode(1)
    }
    try edit.replace(with: edited)
    Output.say("\(path): \(current ?? "no state") → \(state)")
  }
}
