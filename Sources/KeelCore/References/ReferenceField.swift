import JSONSchema

/// What a reference field may name (`x-keel-ref` in a kind's schema).
public enum ReferenceTarget: Sendable, Hashable {
  /// A person of people.yaml.
  case person
  /// A team of people.yaml.
  case team
  /// A person or a team.
  case personOrTeam
  /// A term (or alias) of the glossary.
  case term
  /// A KPI of the catalogue (`kpis:`); a kind named `kpi` instead when keel.yaml has no catalogue.
  case kpi
  /// A document of that kind: its `id-field`, or its path (a folder document's folder too).
  case kind(String)

  /// The annotation's spelling; nil for a word that is neither a reserved target nor a kind.
  /// - Parameter catalogue: keel.yaml names a KPI catalogue (else `kpi` names a kind `kpi`, if any).
  init?(_ name: String, kinds: Set<String>, catalogue: Bool = false) {
    switch name {
    case "person": self = .person
    case "team": self = .team
    case "person-or-team": self = .personOrTeam
    case "term": self = .term
    case "kpi" where catalogue || !kinds.contains("kpi"): self = .kpi
    default:
      guard kinds.contains(name) else { return nil }
      self = .kind(name)
    }
  }

  public var name: String {
    switch self {
    case .person: "person"
    case .team: "team"
    case .personOrTeam: "person-or-team"
    case .term: "term"
    case .kpi: "kpi"
    case .kind(let kind): kind
    }
  }
}

/// A top-level field of a kind's schema marked `x-keel-ref`: its value (a string, or a list of
/// strings) names people, teams, glossary terms or other documents.
public struct ReferenceField: Sendable, Hashable {
  /// The field (`owner`, `depends-on`).
  public var name: String
  /// What a value may name: any of these (`x-keel-ref: [prd, rfc]`).
  public var targets: [ReferenceTarget]
  /// `x-keel-ref-acyclic: true`: following this field from document to document never comes back.
  public var acyclic: Bool
  /// `x-keel-ref-any-state: true`: the field may name a document in a final state (`supersedes`).
  public var anyState: Bool

  /// Some target is a kind: the field's values may name documents.
  public var namesDocuments: Bool { targets.contains { if case .kind = $0 { true } else { false } } }

  public static let annotation = "x-keel-ref"
  public static let acyclicAnnotation = "x-keel-ref-acyclic"
  public static let anyStateAnnotation = "x-keel-ref-any-state"

  /// The reference fields of a schema: its top-level `properties` carrying `x-keel-ref`, on the
  /// property itself or on its `items`. A target that is not `person`, `team`, `person-or-team`,
  /// `term` or a kind of keel.yaml is left out (a field left with none is no reference field),
  /// unless it is one misspelt: that, or a value or flag of the wrong type, throws a located
  /// `KeelError`.
  static func fields(in schema: LocatedJSON, path: String, kinds: Set<String>, catalogue: Bool = false) throws
    -> [ReferenceField]
  {
    guard case .object(let root) = schema.value, case .object(let properties)? = root["properties"] else { return [] }
    var fields: [ReferenceField] = []
    for (name, property) in properties {
      let base = "/properties/" + JSONValue.escapePointerToken(name)
      guard case .object(let object) = property else { continue }
      var annotated = (object, base)
      if object[annotation] == nil, case .object(let items)? = object["items"], items[annotation] != nil {
        annotated = (items, base + "/items")
      }
      let (holder, pointer) = annotated
      guard let value = holder[annotation] else { continue }
      func fail(_ message: String, _ key: String) -> KeelError {
        KeelError(message, path: path, position: schema.sourceMap.values[pointer + "/" + key])
      }
      let names: [String]
      switch value {
      case .string(let one): names = [one]
      case .array(let many) where !many.isEmpty:
        names = try many.map {
          guard case .string(let text) = $0 else {
            throw fail("\(annotation) takes a name or a list of names", annotation)
          }
          return text
        }
      default: throw fail("\(annotation) takes a name or a list of names", annotation)
      }
      // A kind this keel.yaml does not have is left out (a default schema names `rfc` where a
      // repository has no RFCs); a name close to a target that exists is a typo, and an error.
      let known = ["person", "team", "person-or-team", "term", "kpi"] + kinds.sorted()
      var targets: [ReferenceTarget] = []
      for target in names {
        if let resolved = ReferenceTarget(target, kinds: kinds, catalogue: catalogue) {
          targets.append(resolved)
        } else if let meant = Suggestion.closest(to: target, in: known) {
          throw fail(
            "\(annotation) '\(target)' of field '\(name)' is not person, team, person-or-team, term, kpi or a kind of "
              + KeelConfig.fileName + "; did you mean '\(meant)'?", annotation)
        }
      }
      guard !targets.isEmpty else { continue }
      func flag(_ key: String) throws -> Bool {
        guard let flag = holder[key] ?? object[key] else { return false }
        guard case .bool(let on) = flag else { throw fail("\(key) takes true or false", key) }
        return on
      }
      fields.append(
        ReferenceField(
          name: name, targets: targets, acyclic: try flag(acyclicAnnotation), anyState: try flag(anyStateAnnotation)))
    }
    return fields.sorted { $0.name < $1.name }
  }

  /// The strings the field holds in `document`, each with its JSON pointer: one for a string, one
  /// per string item for a list; empty strings (an `owner` left blank in a draft) name nothing.
  public func values(in document: Document) -> [(value: String, pointer: String)] {
    guard case .object(let object)? = document.frontMatter?.value, let value = object[name] else { return [] }
    let pointer = "/" + JSONValue.escapePointerToken(name)
    func named(_ text: String) -> Bool { !text.allSatisfy(\.isWhitespace) }
    switch value {
    case .string(let text): return named(text) ? [(text, pointer)] : []
    case .array(let items):
      return items.enumerated().compactMap { index, item in
        guard case .string(let text) = item, named(text) else { return nil }
        return (text, pointer + "/\(index)")
      }
    default: return []
    }
  }
}
