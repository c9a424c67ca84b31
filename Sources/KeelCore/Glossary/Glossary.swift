import Foundation
import JSONSchema

/// One entry of `glossary.yaml`.
public struct GlossaryTerm: Sendable, Hashable {
  public var term: String
  public var definition: String
  public var aliases: [String]
  /// Words that must not be used in documents in place of the term.
  public var avoid: [String]
  /// Related terms (by term or alias), which must exist.
  public var see: [String]
  /// JSON pointer of the entry (`/terms/4`); positions below are looked up from it.
  public var pointer: String
  public var position: SourcePosition?
  public var termPosition: SourcePosition?
  public var definitionPosition: SourcePosition?
  public var aliasPositions: [SourcePosition?]
  public var avoidPositions: [SourcePosition?]
  public var seePositions: [SourcePosition?]

  public init(
    term: String, definition: String, aliases: [String] = [], avoid: [String] = [], see: [String] = [],
    pointer: String = ""
  ) {
    self.term = term
    self.definition = definition
    self.aliases = aliases
    self.avoid = avoid
    self.see = see
    self.pointer = pointer
    aliasPositions = Array(repeating: nil, count: aliases.count)
    avoidPositions = Array(repeating: nil, count: avoid.count)
    seePositions = Array(repeating: nil, count: see.count)
  }
}

/// The glossary: terms with definitions, aliases, avoided words and cross-links.
public struct Glossary: Sendable {
  /// Path of the glossary in the snapshot; nil when keel.yaml names none.
  public var path: String?
  /// Terms in file order.
  public var terms: [GlossaryTerm]
  /// Lower-cased term or alias → index of the first term that has it.
  private var lookup: [String: Int] = [:]
  /// Finds avoided words in prose; built once per glossary.
  public let avoidedTerms: AvoidedTermMatcher

  public init(path: String? = nil, terms: [GlossaryTerm] = []) {
    self.path = path
    self.terms = terms
    for (index, term) in terms.enumerated() {
      for name in [term.term] + term.aliases {
        let key = Glossary.key(name)
        if lookup[key] == nil { lookup[key] = index }
      }
    }
    avoidedTerms = AvoidedTermMatcher(
      terms.flatMap { term in term.avoid.map { AvoidedTermMatcher.Entry(phrase: $0, preferred: term.term) } })
  }

  public var isConfigured: Bool { path != nil }

  /// The term a name (term or alias, any case) refers to.
  public func term(named name: String) -> GlossaryTerm? { lookup[Glossary.key(name)].map { terms[$0] } }

  /// How names are compared: case-insensitively, surrounding spaces ignored.
  public static func key(_ name: String) -> String {
    let scalars = name.unicodeScalars
    guard let first = scalars.first, let last = scalars.last,
      first.properties.isWhitespace || last.properties.isWhitespace
    else { return name.lowercased() }  // the common case, without Foundation's slower trimming
    return name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
  }

  /// Terms sorted alphabetically (case-insensitive, then by exact spelling), as exports list them.
  public var sortedTerms: [GlossaryTerm] {
    terms.sorted { lhs, rhs in
      let left = lhs.term.lowercased()
      let right = rhs.term.lowercased()
      return left != right ? left < right : lhs.term < rhs.term
    }
  }

  /// Reads glossary.yaml's content; entries without a string `term` are skipped.
  public static func parse(_ located: LocatedJSON, path: String?) -> Glossary {
    guard case .object(let root) = located.value else { return Glossary(path: path) }
    let map = located.sourceMap
    var terms: [GlossaryTerm] = []
    for (index, item) in (root["terms"]?.arrayValue ?? []).enumerated() {
      guard case .object(let object) = item, let name = object["term"]?.stringValue else { continue }
      let pointer = "/terms/\(index)"
      func strings(_ key: String) -> ([String], [SourcePosition?]) {
        var values: [String] = []
        var positions: [SourcePosition?] = []
        for (offset, value) in (object[key]?.arrayValue ?? []).enumerated() {
          guard let text = value.stringValue else { continue }
          values.append(text)
          positions.append(map.values["\(pointer)/\(key)/\(offset)"])
        }
        return (values, positions)
      }
      let (aliases, aliasPositions) = strings("aliases")
      let (avoid, avoidPositions) = strings("avoid")
      let (see, seePositions) = strings("see")
      var term = GlossaryTerm(
        term: name, definition: object["definition"]?.stringValue ?? "", aliases: aliases, avoid: avoid, see: see,
        pointer: pointer)
      term.position = map.values[pointer] ?? map.position(for: pointer + "/term")
      term.termPosition = map.values[pointer + "/term"]
      term.definitionPosition = map.values[pointer + "/definition"] ?? map.keys[pointer + "/definition"]
      term.aliasPositions = aliasPositions
      term.avoidPositions = avoidPositions
      term.seePositions = seePositions
      terms.append(term)
    }
    return Glossary(path: path, terms: terms)
  }

  /// Loads the glossary keel.yaml names; problems come back as diagnostics.
  public static func load(config: KeelConfig, snapshot: Snapshot, limits: ParseLimits = .default, validate: Bool = true)
    -> (Glossary, [Diagnostic])
  {
    guard let path = config.glossaryPath else { return (Glossary(), []) }
    let data: Data
    do { data = try snapshot.read(path, maxBytes: ReferenceFiles.limits(limits).maxFileBytes) } catch {
      return (
        Glossary(path: path),
        [
          ReferenceFiles.missingFileDiagnostic(
            path: path, key: "glossary", what: "glossary", config: config, error: error)
        ]
      )
    }
    let (located, problems) = StructuredFile.read(data, path: path, limits: ReferenceFiles.limits(limits))
    guard let located else { return (Glossary(path: path), problems) }
    var schemaErrors = KeelSchemas.diagnostics(for: located, against: .glossary, path: path)
    if !validate {
      // Exports skip the content checks, but a glossary that is not a mapping with a `terms` list
      // (`just a string`, `terms: 5`) cannot be read at all: that stays an error.
      schemaErrors = schemaErrors.filter { error in
        ["", "/terms"].contains(error.jsonPointer)
          && ["/type", "/required"].contains { error.schemaLocation?.hasSuffix($0) == true }
      }
    }
    return (parse(located, path: path), problems + schemaErrors)
  }
}
