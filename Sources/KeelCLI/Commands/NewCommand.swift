import ArgumentParser
import Foundation
import KeelCore

/// `keel new KIND --title T`: a new document from the kind's template.
struct NewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "new",
    abstract: "Create a document of a kind from the kind's template.",
    discussion: """
      The file name is the title, slugged (`Guest checkout` → guest-checkout.md), in the folder the kind's \
      first include pattern names (specs/**/*.md → specs/). {{title}}, {{owner}} and {{date}} in the template \
      are filled in, and the id field gets the next free number. keel new never overwrites a file.
      """
  )

  @OptionGroup var global: GlobalOptions

  @Argument(help: "The document kind, as named in keel.yaml (prd, rfc, decision).")
  var kind: String

  @Option(help: "The document's title.")
  var title: String

  @Option(help: "The document's owner (a person of people.yaml).")
  var owner: String?

  @Option(
    name: .customLong("in"),
    help: ArgumentHelp(
      "Folder for the file, relative to keel.yaml's folder (default: from the kind).", valueName: "dir"))
  var folder: String?

  func validate() throws {
    let trimmed = title.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty { throw ValidationError("the title must not be empty") }
    if title.contains(where: \.isNewline) { throw ValidationError("the title must be one line") }
    if NewDocument.slug(trimmed).isEmpty {
      throw ValidationError("the title needs at least one letter or digit to name the file")
    }
  }

  func run() throws {
    let workspace = try Workspace(directory: global.workingDirectory)
    guard let root = workspace.keelRoot else {
      throw KeelError("keel new needs a working tree with \(KeelConfig.fileName); run 'keel init' first")
    }
    let snapshot = try workspace.workingTree()
    let config = try KeelConfig.load(from: snapshot)
    guard let kind = config.kind(named: kind) else {
      throw ValidationError(
        "no kind '\(kind)' in \(KeelConfig.fileName); kinds: \(config.kinds.map(\.name).joined(separator: ", "))")
    }
    guard let templatePath = kind.template else {
      throw KeelError("kind '\(kind.name)' has no template in \(KeelConfig.fileName)", path: KeelConfig.fileName)
    }
    let template = Template.parse(
      try KindResourcesReader.read(templatePath, from: snapshot, purpose: "template of kind '\(kind.name)'"),
      path: templatePath)

    let (defaultFolder, fileExtension) = NewDocument.location(for: kind)
    // `--in specs/../../x`, or a folder that is a symbolic link, would put the file outside the repository.
    let files = PathPolicy(root: root)
    let folder = try files.relativePath(self.folder ?? defaultFolder, from: root, access: .write)
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
      Output.warn("no --owner given: fill in the owner of \(path)")
    }
  }
}

/// Reads a file keel.yaml names, as a configuration error when it is missing.
enum KindResourcesReader {
  static func read(_ path: String, from snapshot: Snapshot, purpose: String) throws -> Data {
    do { return try snapshot.read(path) } catch {
      throw KeelError("\(purpose) \(path) \(PathRefusal.problem(reading: error))", path: KeelConfig.fileName)
    }
  }
}
