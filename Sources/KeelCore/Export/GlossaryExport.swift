import Foundation
import JSONSchema

/// `keel export glossary`: terms in alphabetical order with aliases, avoided
/// words and cross-links; Markdown and HTML give each term an anchor so that
/// `see` links (and links from elsewhere) work.
public struct GlossaryExport: Sendable, RenderableExport {
  public var source: ExportSource
  /// Terms in alphabetical order (case-insensitive).
  public var terms: [GlossaryTerm]
  /// The anchor of each term, parallel to `terms` (unique: `basket`, `basket-2`).
  public var anchors: [String]
  private let glossary: Glossary
  private var anchorByTerm: [String: String] = [:]

  public init(source: ExportSource, glossary: Glossary) {
    self.source = source
    self.glossary = glossary
    terms = glossary.sortedTerms
    anchors = ExportText.uniqueSlugs(terms.map(\.term))
    for (term, anchor) in zip(terms, anchors) {
      for name in [term.term] + term.aliases {
        let key = Glossary.key(name)
        if anchorByTerm[key] == nil { anchorByTerm[key] = anchor }
      }
    }
  }

  /// Reads keel.yaml and the glossary of a snapshot (nothing else). A missing
  /// glossary or one that cannot be parsed is a `KeelError` (exit 2).
  public static func load(from snapshot: Snapshot, source: ExportSource, limits: ParseLimits = .default) throws
    -> (GlossaryExport, [Diagnostic])
  {
    let config = try KeelConfig.load(from: snapshot)
    guard config.glossaryPath != nil else {
      throw KeelError("\(KeelConfig.fileName) names no glossary (add 'glossary: glossary.yaml')")
    }
    let (glossary, problems) = Glossary.load(config: config, snapshot: snapshot, limits: limits, validate: false)
    if let problem = problems.first(where: { $0.severity == .error }) {
      throw KeelError(
        problem.message, path: problem.path, position: SourcePosition(line: problem.line, column: problem.column))
    }
    return (GlossaryExport(source: source, glossary: glossary), problems)
  }

  /// The anchor a `see` entry links to (by term or alias, any case), nil when dangling.
  public func anchor(for name: String) -> String? { anchorByTerm[Glossary.key(name)] }

  /// The term a `see` entry names, as the glossary spells it.
  private func target(_ name: String) -> String { glossary.term(named: name)?.term ?? name }

  public var json: JSONValue {
    .object(
      JSONObject(
        source.jsonHeader + [
          (
            "terms",
            .array(
              zip(terms, anchors).map { term, anchor in
                .object(
                  JSONObject([
                    ("term", .string(term.term)),
                    ("anchor", .string(anchor)),
                    ("definition", .string(term.definition)),
                    ("aliases", .array(term.aliases.map { .string($0) })),
                    ("avoid", .array(term.avoid.map { .string($0) })),
                    ("see", .array(term.see.map { .string($0) })),
                  ]))
              })
          )
        ]))
  }

  /// `term, definition, aliases, avoid, see`; lists joined with `; `.
  public func csv(spreadsheetSafe: Bool) -> String {
    var output = TextKit.csvRecord(["term", "definition", "aliases", "avoid", "see"])
    for term in terms {
      output += TextKit.csvRecord(
        [
          term.term, term.definition, term.aliases.joined(separator: "; "), term.avoid.joined(separator: "; "),
          term.see.joined(separator: "; "),
        ], spreadsheetSafe: spreadsheetSafe)
    }
    return output
  }

  public var markdown: String {
    var lines = ["# Glossary", "", "Taken from \(TextKit.markdown(source.summary)).", ""]
    if terms.isEmpty { lines += ["No terms.", ""] }
    if !terms.isEmpty {
      lines.append(
        zip(terms, anchors).map { "[\(TextKit.markdown($0.term))](#\($1))" }.joined(separator: " · "))
      lines.append("")
    }
    for (term, anchor) in zip(terms, anchors) {
      lines += ["## <a id=\"\(TextKit.xml(anchor))\"></a>\(TextKit.markdown(term.term))", ""]
      lines += [TextKit.markdown(term.definition), ""]
      var details: [String] = []
      if !term.aliases.isEmpty {
        details.append("- **Also called:** " + term.aliases.map { TextKit.markdown($0) }.joined(separator: ", "))
      }
      if !term.avoid.isEmpty {
        details.append("- **Avoid:** " + term.avoid.map { TextKit.markdown($0) }.joined(separator: ", "))
      }
      if !term.see.isEmpty {
        details.append(
          "- **See:** "
            + term.see.map { name in
              self.anchor(for: name).map { "[\(TextKit.markdown(target(name)))](#\($0))" }
                ?? TextKit.markdown(name) + " (missing)"
            }.joined(separator: ", "))
      }
      if !details.isEmpty { lines += details + [""] }
    }
    return lines.joined(separator: "\n")
  }

  public var html: String {
    var body = ""
    if terms.isEmpty { body += "<p>No terms.</p>\n" }
    if !terms.isEmpty {
      body += "<nav class=\"index\" aria-label=\"Terms\">"
      body += zip(terms, anchors).map { "<a href=\"#\(TextKit.xml($1))\">\(TextKit.xml($0.term))</a>" }
        .joined()
      body += "</nav>\n"
    }
    body += "<dl class=\"terms\">\n"
    for (term, anchor) in zip(terms, anchors) {
      let id = TextKit.xml(anchor)
      body += "<dt id=\"\(id)\"><a class=\"self\" href=\"#\(id)\">\(TextKit.xml(term.term))</a></dt>\n"
      body += "<dd><p>\(TextKit.xml(term.definition))</p>\n"
      var meta: [String] = []
      if !term.aliases.isEmpty {
        meta.append("<span>Also called: \(term.aliases.map(TextKit.xml).joined(separator: ", "))</span>")
      }
      if !term.avoid.isEmpty {
        meta.append("<span>Avoid: \(term.avoid.map { "<s>\(TextKit.xml($0))</s>" }.joined(separator: ", "))</span>")
      }
      if !term.see.isEmpty {
        let links = term.see.map { name in
          self.anchor(for: name).map { "<a href=\"#\(TextKit.xml($0))\">\(TextKit.xml(target(name)))</a>" }
            ?? "\(TextKit.xml(name)) (missing)"
        }
        meta.append("<span>See: \(links.joined(separator: ", "))</span>")
      }
      if !meta.isEmpty { body += "<p class=\"meta\">\(meta.joined())</p>\n" }
      body += "</dd>\n"
    }
    body += "</dl>\n"
    return HTMLPage.render(title: "Glossary", source: source, body: body)
  }
}
