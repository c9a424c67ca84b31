import Foundation
import KeelCore

extension Engine {
  /// `keel new KIND --title T`: a document from the kind's template, in `folder` (relative to keel.yaml's
  /// folder; nil: the kind's first include pattern's), with the next free id. Never overwrites a file.
  public static func newDocument(
    directory: URL, kind kindName: String, title: String, owner: String?, folder: String?
  ) throws {
    let workspace = try Workspace(directory: directory)
    guard let root = workspace.keelRoot else {
      throw KeelError("keel new needs a working tree with \(KeelConfig.fileName); run 'keel init' first")
    }
    let snapshot = try workspace.workingTree()
    let config = try KeelConfig.load(from: snapshot)
    guard let kind = config.kind(named: kindName) else {
      throw UsageError(
        "no kind '\(kindName)' in \(KeelConfig.fileName) (kinds: \(config.kinds.map(\.name).joined(separator: ", ")))"
          + Suggestion.hint(for: kindName, in: config.kinds.map(\.name)))
    }
    guard let templatePath = kind.template else {
      throw KeelError("kind '\(kind.name)' has no template in \(KeelConfig.fileName)", path: KeelConfig.fileName)
    }
    let template = Template.parse(
      try readConfigured(templatePath, from: snapshot, purpose: "template of kind '\(kind.name)'"),
      path: templatePath)

    if kind.include.isEmpty, let metadataName = kind.metadata, let pattern = kind.folderInclude.first?.pattern {
      try newFolderDocument(
        kind: kind, metadata: metadataName, pattern: pattern, template: template, config: config,
        snapshot: snapshot, root: root, title: title, owner: owner, folder: folder)
      return
    }
    let (defaultFolder, fileExtension) = NewDocument.location(for: kind)
    // `--in specs/../../x`, or a folder that is a symbolic link, would put the file outside the repository.
    let files = PathPolicy(root: root)
    let folder = try files.relativePath(folder ?? defaultFolder, from: root, access: .write)
    let title = title.trimmingCharacters(in: .whitespaces)
    let path = (folder.isEmpty ? "" : folder + "/") + NewDocument.slug(title) + fileExtension
    guard config.kind(for: path)?.name == kind.name else {
      throw KeelError("\(path) would not be a '\(kind.name)' document: it does not match the kind's include patterns")
    }
    if try files.exists(path) { throw KeelError("refusing to overwrite \(path)") }

    let format = kind.format(of: path)
    let templateID = DocumentParser.parse(path: templatePath, data: Data(template.text.utf8), format: format)
      .field(kind.idField)
    var id: String?
    if let templateID {
      let existing = try snapshot.paths().filter { config.kind(for: $0)?.name == kind.name }.compactMap { path in
        (try? snapshot.read(path)).flatMap {
          NewDocument.fieldScalar(kind.idField, in: $0, format: kind.format(of: path))
        }
      }
      id = NewDocument.nextID(templateID: templateID, existing: existing)
    }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd"
    let values = NewDocument.Values(title: title, owner: owner, date: formatter.string(from: Date()))
    let data = try NewDocument.render(
      template: template, values: values, idField: kind.idField, id: id, format: format)

    // Never replaces a file, even one created since the check above.
    try files.write(data, to: path, replacing: false)
    Output.say("created \(path)" + (id.map { " (\(kind.idField): \($0))" } ?? ""))
    if owner == nil, template.text.contains("{{owner}}") {
      Output.warn("warning: no --owner given: fill in the owner of \(path)")
    }
  }

  /// `keel new` for a folder kind: `<folder>/<number>-<slug>/` with the metadata file (the
  /// template's front matter) and the body file (the rest of the template).
  static func newFolderDocument(
    kind: KindConfig, metadata: String, pattern: String, template: Template, config: KeelConfig,
    snapshot: Snapshot, root: URL, title: String, owner: String?, folder: String?
  ) throws {
    let files = PathPolicy(root: root)
    let parent = try files.relativePath(
      folder ?? NewDocument.location(forInclude: pattern + "/").directory, from: root, access: .write)
    let title = title.trimmingCharacters(in: .whitespaces)
    let templateFields = NewDocument.frontMatterLineCount(template.text)
    let templateID = DocumentParser.parse(
      path: metadata,
      data: Data(
        NewDocument.lines(template.text).prefix(templateFields).dropFirst().dropLast().joined(separator: "\n").utf8),
      format: .yaml
    ).field(kind.idField)
    let documents = try snapshot.paths().filter { config.kind(for: $0)?.name == kind.name }
    var id: String?
    if let templateID {
      id = NewDocument.nextID(
        templateID: templateID,
        existing: documents.compactMap { path in
          (try? snapshot.read(path)).flatMap {
            NewDocument.fieldScalar(kind.idField, in: $0, format: kind.format(of: path))
          }
        })
    }
    let number =
      id.map { String($0.reversed().prefix { $0.isASCII && $0.isNumber }.reversed()) }.flatMap { $0.isEmpty ? nil : $0 }
      ?? NewDocument.nextFolderNumber(documents.compactMap(kind.folder(ofMetadata:)))
    let path = (parent.isEmpty ? "" : parent + "/") + number + "-" + NewDocument.slug(title)
    guard kind.matchesFolder(path) else {
      throw KeelError(
        "\(path)/ would not be a '\(kind.name)' document: it does not match the kind's include patterns; choose its folder with --in"
      )
    }
    let metadataPath = path + "/" + metadata
    let bodyPath = kind.body.map { path + "/" + $0 }
    for file in [metadataPath] + (bodyPath.map { [$0] } ?? []) where try files.exists(file) {
      throw KeelError("refusing to overwrite \(file)")
    }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd"
    let values = NewDocument.Values(title: title, owner: owner, date: formatter.string(from: Date()))
    let rendered = try NewDocument.renderFolder(
      template: template, values: values, number: number, idField: kind.idField, id: id)
    try files.write(rendered.metadata, to: metadataPath, replacing: false)
    if let bodyPath { try files.write(rendered.body, to: bodyPath, replacing: false) }
    Output.say("created \(path)/" + (id.map { " (\(kind.idField): \($0))" } ?? ""))
  }

  /// Reads a file keel.yaml names, as a configuration error when it is missing.
  static func readConfigured(_ path: String, from snapshot: Snapshot, purpose: String) throws -> Data {
    do { return try snapshot.read(path) } catch {
      throw KeelError("\(purpose) \(path) \(PathRefusal.problem(reading: error))", path: KeelConfig.fileName)
    }
  }

  /// `keel transition PATH STATE`: changes only the bytes of the workflow field's value, after
  /// checking the document as it would be against itself as it is (the findings of `keel check
  /// --base`); refused with those findings on stdout (`ExitStatus.findings`), the file untouched.
  /// Without a state (`keel transition PATH`), says which states the document may move to.
  public static func transition(
    directory: URL, path: String, to state: String?, colour: ColourChoice = .auto
  ) throws {
    let workspace = try Workspace(directory: directory)
    guard let root = workspace.keelRoot?.standardizedFileURL else {
      throw KeelError("keel transition needs a working tree with \(KeelConfig.fileName)")
    }
    let files = PathPolicy(root: root)
    let snapshot = try workspace.workingTree()
    let config = try KeelConfig.load(from: snapshot)
    // A folder document is moved by editing its metadata file.
    let path = config.documentPath(for: try files.relativePath(path, from: directory, access: .write))
    guard let kind = config.kind(for: path) else {
      throw KeelError("\(path) is not a document of any kind in \(KeelConfig.fileName)")
    }
    let resources = try KindResources(config: config, snapshot: snapshot)
    guard let workflow = resources.workflows[kind.name] else {
      throw KeelError("kind '\(kind.name)' has no workflow in \(KeelConfig.fileName)", path: KeelConfig.fileName)
    }
    guard let state else {
      let current = DocumentParser.parse(
        path: path, data: try files.read(path), kind: kind.name, format: kind.format(of: path)
      ).field(workflow.field)
      return Output.say(nextStates(of: path, current: current, workflow: workflow))
    }
    guard workflow.state(named: state) != nil else {
      throw KeelError(
        "'\(state)' is not a state of \(workflow.path) (\(workflow.states.map(\.name).joined(separator: ", ")))"
          + Suggestion.hint(for: state, in: workflow.states.map(\.name)))
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
    // rules and findings as `keel check --base` on the change (a kind's `template-since:`
    // included: an old document is not held to the template).
    let firstCommits =
      kind.templateSince == nil || workspace.repository == nil
      ? nil
      : Pending<StateHistory?>(
        value: HistorySession.stateHistory(
          workspace: workspace, revision: "HEAD", configuration: snapshot, now: Date(), states: false,
          documents: [path]))
    let result = try Checker(snapshot: OverlaySnapshot(base: snapshot, replacing: [path: edited]), config: config).run(
      documentPaths: [path],
      base: ReviewBase(
        snapshot: OverlaySnapshot(base: snapshot, replacing: [path: data]),
        changes: [ReviewChange(path: path, change: .modified)]),
      stateHistory: firstCommits)
    // The workflow's own rules, and rules keel.yaml applies only from some state on
    // (`{severity: error, from: review}`): moving there must meet them too.
    let blocking = result.diagnostics.filter {
      ($0.path == path || $0.path == kind.bodyPath(ofDocument: path)) && $0.severity == .error
        && ([WorkflowIllegalTransitionRule.descriptor.id, WorkflowRequirementRule.descriptor.id].contains($0.rule)
          || config.policy(for: $0.rule)?.isStateGated == true)
    }
    if !blocking.isEmpty {
      var report = Report(
        toolVersion: version, source: snapshot.label, documentCount: 1, diagnostics: blocking,
        rules: RuleCatalog.allDescriptors, checkedPaths: [path])
      report.paths = workspace.reportPaths
      Output.write(TextReporter(colour: Output.colourOnStdout(colour)).render(report))
      Output.warn("error: refusing to move \(path) from \(current ?? "no state") to \(state); \(path) is unchanged")
      throw ExitStatus.findings
    }
    try edit.replace(with: edited)
    Output.say("\(path): \(current ?? "no state") → \(state)")
  }

  /// `specs/a.md is draft; it can move to: review, archived`: what `keel transition PATH` prints.
  static func nextStates(of path: String, current: String?, workflow: Workflow) -> String {
    // From no state, or one the workflow does not have, no transition is illegal.
    guard let current, workflow.state(named: current) != nil else {
      let state = current.map { "'\($0)', which is not a state" } ?? "no \(workflow.field)"
      let all = workflow.states.map(\.name).joined(separator: ", ")
      return "\(path) has \(state); it can move to any state of \(workflow.path): \(all)"
    }
    let next = workflow.transitions[current] ?? []
    if next.isEmpty {
      let final = workflow.state(named: current)?.isFinal == true ? ", a final state" : ""
      return "\(path) is \(current)\(final); it cannot move to another state"
    }
    return "\(path) is \(current); it can move to: \(next.joined(separator: ", "))"
  }

  /// `keel rules`: every rule with its severity here (keel.yaml's `rules:`, when keel runs in a keel
  /// repository) and where that comes from.
  public static func rules(directory: URL) throws -> RuleListing {
    let workspace = try Workspace(directory: directory)
    guard workspace.keelRoot != nil else { return RuleListing(config: nil) }
    let snapshot = try workspace.workingTree()
    let config = try KeelConfig.load(from: snapshot)
    try config.validateRuleStates(
      workflows: Array(try KindResources(config: config, snapshot: snapshot).workflows.values))
    return RuleListing(config: config)
  }

  /// `keel hooks install`: installs the pre-commit hook (an existing one is chained); returns what was done.
  public static func installHook(directory: URL) throws -> String {
    let installer = try hookInstaller(directory: directory)
    let hook = installer.hookURL("pre-commit").path
    return switch try installer.install(hook: "pre-commit") {
    case .installed: "installed \(hook)"
    case .chained(let previous): "installed \(hook); the existing hook now runs first from \(previous.path)"
    case .updated: "updated \(hook)"
    case .alreadyInstalled: "already installed: \(hook)"
    }
  }

  /// `keel hooks uninstall`: removes the hook and restores any hook it chained; returns what was done.
  public static func uninstallHook(directory: URL) throws -> String {
    let installer = try hookInstaller(directory: directory)
    return switch try installer.uninstall(hook: "pre-commit") {
    case .removed: "removed \(installer.hookURL("pre-commit").path)"
    case .restored(let hook): "removed keel's hook and restored the previous one at \(hook.path)"
    case .notInstalled: "keel's pre-commit hook is not installed"
    }
  }

  /// The installer for the repository around `directory`. A `core.hooksPath` inside the
  /// working tree (`tools/githooks`) is repository content, which can hold a committed symbolic link:
  /// keel does not write through one. The Git directory's own `hooks` and a hooks path outside the
  /// working tree are the user's configuration and used as configured.
  static func hookInstaller(directory: URL) throws -> HookInstaller {
    let workspace = try Workspace(directory: directory)
    let repository = try workspace.requireRepository(for: "hooks")
    if repository.isBare { throw KeelError("a bare repository has no commits to hook into") }
    let hooks = repository.hooksDirectory
    if let top = repository.workingDirectory, PathPolicy(root: repository.commonDirectory).contains(hooks) == nil {
      let files = PathPolicy(root: top)
      if let relative = files.contains(hooks), !relative.isEmpty { _ = try files.exists(relative) }
    }
    // The hook calls this keel binary, falling back to `keel` on PATH if it moves.
    return HookInstaller(hooksDirectory: hooks, keelCommand: Bundle.main.executablePath ?? "keel")
  }
}

extension Engine {
  /// `keel init [DIR]`: writes keel.yaml, schemas, templates, workflows, people, glossary, a RACI
  /// matrix and an example spec into `folder` (relative to `directory`; created if missing), never
  /// over an existing file; `dryRun` writes nothing; `existing` (adopting keel in a repository that
  /// has files) writes only the missing configuration files and keeps the others. Returns the
  /// lines to show.
  public static func initialise(directory: URL, folder: String?, dryRun: Bool, existing: Bool) throws -> [String] {
    let target = URL(fileURLWithPath: folder ?? ".", relativeTo: directory).standardizedFileURL
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    let outcome = try Scaffold.write(into: target, dryRun: dryRun, existing: existing)
    var lines = outcome.written.map { dryRun ? "would create \($0)" : "created \($0)" }
    lines += outcome.kept.map { "kept \($0) (exists; not changed)" }
    lines += outcome.skippedExamples.map { "skipped \($0) (an example; this repository has its own)" }
    if !dryRun {
      lines.append(
        existing
          ? "\nNext: check that the kinds' include globs in keel.yaml match your documents, run 'keel check', "
            + "then 'keel baseline' and 'keel hooks install'."
          : "\nNext: edit people.yaml and keel.yaml, then run 'keel check' and 'keel hooks install'.")
    }
    return lines
  }
}
