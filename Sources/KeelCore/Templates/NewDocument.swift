import Foundation
import JSONSchema

/// `keel new`: a document of a kind, made from the kind's template.
public enum NewDocument {
  /// What a new document is made of.
  public struct Values: Sendable {
    public var title: String
    public var owner: String?
    /// `2026-03-02`.
    public var date: String
    public init(title: String, owner: String?, date: String) {
      self.title = title
      self.owner = owner
      self.date = date
    }
  }

  /// The text of a new document: the template with `{{title}}`, `{{owner}}`
  /// and `{{date}}` filled in (escaped for YAML inside the front matter and in
  /// a YAML template, for JSON in a JSON template, as written in a Markdown
  /// body and header list) and the id field set to `id` when given.
  ///
  /// - Parameter format: the new document's format; nil: from the template's path.
  public static func render(
    template: Template, values: Values, idField: String, id: String?, format: DocumentFormat? = nil
  ) throws -> Data {
    let format = format ?? .of(path: template.path)
    let variables = ["title": values.title, "owner": values.owner ?? "", "date": values.date]
    let fieldLines = format.isData ? Int.max : format == .frontMatter ? frontMatterLineCount(template.text) : 0
    var lines: [String] = []
    for (number, line) in Self.lines(template.text).enumerated() {
      let language: Language = number >= fieldLines ? .text : format == .json ? .json : .yaml
      lines.append(substitute(line, variables: variables, language: language))
    }
    var data = Data(lines.joined(separator: "\n").utf8)
    if let id, fieldLines > 0 || format == .headerList {
      let path = "new document"
      if DocumentParser.parse(path: path, data: data, format: format).field(idField) != nil {
        data = try FrontMatterEditor.replacingValue(of: idField, with: id, in: data, path: path, format: format)
      }
    }
    return data
  }

  /// A new folder document: its metadata file is the template's front matter (without the `---`
  /// lines), its body file the rest of the template, with `{{title}}`, `{{owner}}`, `{{date}}`
  /// and `{{number}}` filled in, and the id field set to `id` when given.
  public static func renderFolder(
    template: Template, values: Values, number: String, idField: String, id: String?
  ) throws -> (metadata: Data, body: Data) {
    let variables = [
      "title": values.title, "owner": values.owner ?? "", "date": values.date, "number": number,
    ]
    let lines = Self.lines(template.text)
    let fieldLines = frontMatterLineCount(template.text)
    let yaml = lines.prefix(fieldLines).dropFirst().dropLast().map {
      substitute($0, variables: variables, language: .yaml)
    }
    let body = lines.dropFirst(fieldLines).drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
      substitute($0, variables: variables, language: .text)
    }
    var metadata = Data((yaml.joined(separator: "\n") + (yaml.isEmpty ? "" : "\n")).utf8)
    if let id, DocumentParser.parse(path: "kep.yaml", data: metadata, format: .yaml).field(idField) != nil {
      metadata = try FrontMatterEditor.replacingValue(
        of: idField, with: id, in: metadata, path: "kep.yaml", format: .yaml)
    }
    return (metadata, Data(body.joined(separator: "\n").utf8))
  }

  /// The number after the highest one that starts the names of `folders` (`753-sidecars`), as the
  /// folder of a new document is named `{{number}}-{{slug}}` when its template gives no id.
  public static func nextFolderNumber(_ folders: [String]) -> String {
    let highest =
      folders.compactMap { folder -> Int? in
        let name = folder.split(separator: "/").last.map(String.init) ?? folder
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        return digits.isEmpty || digits.count > 18 ? nil : Int(digits)
      }.max() ?? 0
    return String(highest + 1)
  }

  /// What a `{{name}}` is written in: Markdown text, YAML or JSON.
  enum Language { case text, yaml, json }

  /// Lines of the front matter, both `---` included; 0 without one.
  public static func frontMatterLineCount(_ text: String) -> Int {
    let lines = Self.lines(text).map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
    guard lines.first == "---" else { return 0 }
    guard let closing = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) else { return 0 }
    return closing + 1
  }

  /// The lines of `text` split at each `\n` (a CRLF line keeps its `\r`:
  /// Swift's `Character` holds `\r\n` as one, so split by scalars).
  public static func lines(_ text: String) -> [String] {
    text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
      String(String.UnicodeScalarView($0))
    }
  }

  /// Replaces `{{name}}` in one line. Inside YAML or JSON the value is escaped
  /// for the quotes around it, and double-quoted when it stands unquoted.
  static func substitute(_ line: String, variables: [String: String], inYAML: Bool) -> String {
    substitute(line, variables: variables, language: inYAML ? .yaml : .text)
  }

  static func substitute(_ line: String, variables: [String: String], language: Language) -> String {
    let inYAML = language != .text
    func quoted(_ value: String) -> String {
      language == .json ? JSONValue.quotedString(value) : FrontMatterEditor.doubleQuoted(value)
    }
    var output = ""
    var rest = Substring(line)
    var quote: Character?
    while !rest.isEmpty {
      if rest.hasPrefix("{{"), let close = rest.range(of: "}}") {
        let name = rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound]
          .trimmingCharacters(in: .whitespaces)
        if let value = variables[name] {
          if !inYAML {
            output += value
          } else if quote == "\"" {
            output += String(quoted(value).dropFirst().dropLast())
          } else if quote == "'" {
            output += value.replacingOccurrences(of: "'", with: "''")
          } else {
            output += quoted(value)
          }
          rest = rest[close.upperBound...]
          continue
        }
      }
      let character = rest.removeFirst()
      if inYAML {
        if quote == nil, character == "\"" || (character == "'" && language == .yaml) {
          quote = character
        } else if character == quote {
          quote = nil
        } else if quote == "\"", character == "\\", let escaped = rest.first {
          output.append(character)
          output.append(escaped)
          rest.removeFirst()
          continue
        }
      }
      output.append(character)
    }
    return output
  }

  /// `Guest checkout: phase 2!` → `guest-checkout-phase-2`. Accents are
  /// folded; anything else that is not a letter or digit separates words.
  public static func slug(_ title: String) -> String {
    let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
      .lowercased()
    var slug = ""
    var pendingDash = false
    for scalar in folded.unicodeScalars {
      if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
        if pendingDash, !slug.isEmpty { slug += "-" }
        pendingDash = false
        slug.unicodeScalars.append(scalar)
      } else {
        pendingDash = true
      }
    }
    return String(slug.prefix(80)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
  }

  /// Where documents of a kind go: the fixed folders at the start of its
  /// first include pattern (`specs/**/*.md` → `specs`), and the file extension
  /// the pattern asks for (`.md` by default).
  public static func location(for kind: KindConfig) -> (directory: String, fileExtension: String) {
    location(forInclude: kind.include.first?.pattern ?? "")
  }

  /// `location(for:)` from an include pattern.
  public static func location(forInclude pattern: String) -> (directory: String, fileExtension: String) {
    let segments = pattern.split(separator: "/")
    let fixed = segments.prefix { !$0.contains(where: { "*?[{".contains($0) }) }
    let directory = (fixed.count == segments.count ? fixed.dropLast() : fixed).joined(separator: "/")
    var fileExtension = ".md"
    if let last = segments.last, let dot = last.lastIndex(of: "."),
      !last[last.index(after: dot)...].contains(where: { "*?[{".contains($0) })
    {
      fileExtension = String(last[dot...])
    }
    return (directory, fileExtension)
  }

  /// The id after the highest one in use: the template's `PRD-000` and
  /// documents up to `PRD-041` give `PRD-042` (same prefix, at least the same
  /// number of digits). nil when the template's id has no number at its end.
  public static func nextID(templateID: String, existing: [String]) -> String? {
    guard let (prefix, digits) = split(templateID) else { return nil }
    var highest = Int(digits) ?? 0
    for id in existing {
      guard let (otherPrefix, number) = split(id), otherPrefix == prefix, let value = Int(number) else { continue }
      highest = max(highest, value)
    }
    let next = String(highest + 1)
    return prefix + String(repeating: "0", count: max(0, digits.count - next.count)) + next
  }

  private static func split(_ id: String) -> (String, String)? {
    let digits = id.reversed().prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, digits.count <= 18 else { return nil }
    return (String(id.dropLast(digits.count)), String(digits.reversed()))
  }
}

extension NewDocument {
  /// The text of a top-level string or integer field of a document (the id field, to find the
  /// ids in use): front matter is read line by line (`frontMatterScalar`), other formats parsed.
  public static func fieldScalar(_ field: String, in data: Data, format: DocumentFormat) -> String? {
    guard format != .frontMatter else { return frontMatterScalar(field, in: data) }
    switch DocumentParser.parse(path: "document", data: data, format: format).frontMatter?.value.objectValue?[field] {
    case .string(let text)?: return text
    case .integer(let number)?: return String(number)
    default: return nil
    }
  }

  /// The text of a top-level scalar in a file's front matter, read line by
  /// line without a YAML parser (fast enough to scan thousands of documents
  /// for the ids in use). Quotes are removed; nil when absent.
  public static func frontMatterScalar(_ field: String, in data: Data) -> String? {
    var lines = Self.lines(String(decoding: data.prefix(64 * 1024), as: UTF8.self)).makeIterator()
    guard let first = lines.next(), first.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("---") else {
      return nil
    }
    while let line = lines.next() {
      let text = line.hasSuffix("\r") ? String(line.dropLast()) : line
      if text == "---" || text == "..." { return nil }
      guard text.hasPrefix(field + ":") else { continue }
      var value = text.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
      if let comment = value.range(of: " #") { value = String(value[..<comment.lowerBound]) }
      value = value.trimmingCharacters(in: .whitespaces)
      if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
        value = String(value.dropFirst().dropLast())
      }
      return value
    }
    return nil
  }
}
