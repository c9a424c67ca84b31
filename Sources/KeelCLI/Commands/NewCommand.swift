import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

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
    try Engine.newDocument(directory: global.workingDirectory, kind: kind, title: title, owner: owner, folder: folder)
  }
}
