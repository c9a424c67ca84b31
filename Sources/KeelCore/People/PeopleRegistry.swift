import Foundation
import JSONSchema

/// One person of `people.yaml`.
public struct Person: Sendable, Hashable {
  public var id: String
  public var name: String
  public var email: String?
  public var role: String?
  /// Where the person's `id` value is in people.yaml.
  public var position: SourcePosition?

  public init(id: String, name: String, email: String? = nil, role: String? = nil, position: SourcePosition? = nil) {
    self.id = id
    self.name = name
    self.email = email
    self.role = role
    self.position = position
  }
}

/// One team of `people.yaml`: a name that stands for its members.
public struct Team: Sendable, Hashable {
  public var id: String
  public var name: String?
  /// Member ids as written (people, normally).
  public var members: [String]
  public var position: SourcePosition?
  /// Position of each member, parallel to `members`.
  public var memberPositions: [SourcePosition?]

  public init(
    id: String, name: String? = nil, members: [String], position: SourcePosition? = nil,
    memberPositions: [SourcePosition?]? = nil
  ) {
    self.id = id
    self.name = name
    self.members = members
    self.position = position
    self.memberPositions = memberPositions ?? Array(repeating: nil, count: members.count)
  }
}

/// The people registry: every name a RACI matrix or a workflow may use.
public struct PeopleRegistry: Sendable {
  /// Path of people.yaml in the snapshot; nil when keel.yaml names no registry
  /// (then names cannot be checked and `isConfigured` is false).
  public var path: String?
  /// People and teams in file order.
  public var people: [Person]
  public var teams: [Team]
  private var personIndex: [String: Int] = [:]
  private var teamIndex: [String: Int] = [:]

  public init(path: String? = nil, people: [Person] = [], teams: [Team] = []) {
    self.path = path
    self.people = people
    self.teams = teams
    for (index, person) in people.enumerated() where personIndex[person.id] == nil { personIndex[person.id] = index }
    for (index, team) in teams.enumerated() where teamIndex[team.id] == nil { teamIndex[team.id] = index }
  }

  /// True when keel.yaml names a people registry (an empty one included).
  public var isConfigured: Bool { path != nil }

  public func person(_ id: String) -> Person? { personIndex[id].map { people[$0] } }
  public func team(_ id: String) -> Team? { teamIndex[id].map { teams[$0] } }

  /// True when `name` is a person or a team.
  public func contains(_ name: String) -> Bool { personIndex[name] != nil || teamIndex[name] != nil }

  /// The people a name stands for: a person is themself, a team is its members
  /// (nested teams expanded, each person once, in order); an unknown name is
  /// kept as is so that nothing silently disappears from an export.
  public func expand(_ name: String) -> [String] {
    var result: [String] = []
    var seen = Set<String>()
    var visiting = Set<String>()
    func visit(_ name: String) {
      if let team = team(name), person(name) == nil {
        guard visiting.insert(name).inserted else { return }  // a team that contains itself
        for member in team.members { visit(member) }
        visiting.remove(name)
      } else if seen.insert(name).inserted {
        result.append(name)
      }
    }
    visit(name)
    return result
  }

  /// The teams a person belongs to, directly, in file order.
  public func teams(of person: String) -> [Team] { teams.filter { $0.members.contains(person) } }

  /// A human name for an id: the person's or team's name, else the id itself.
  public func displayName(_ id: String) -> String {
    if let person = person(id) { return person.name }
    if let name = team(id)?.name, !name.isEmpty { return name }
    return id
  }

  /// Reads people.yaml's content; wrong types are skipped (the schema reports them).
  public static func parse(_ located: LocatedJSON, path: String?) -> PeopleRegistry {
    guard case .object(let root) = located.value else { return PeopleRegistry(path: path) }
    let map = located.sourceMap
    var people: [Person] = []
    for (index, item) in (root["people"]?.arrayValue ?? []).enumerated() {
      guard case .object(let object) = item, let id = object["id"]?.stringValue else { continue }
      people.append(
        Person(
          id: id, name: object["name"]?.stringValue ?? id, email: object["email"]?.stringValue,
          role: object["role"]?.stringValue, position: map.position(for: "/people/\(index)/id")))
    }
    var teams: [Team] = []
    for (index, item) in (root["teams"]?.arrayValue ?? []).enumerated() {
      guard case .object(let object) = item, let id = object["id"]?.stringValue else { continue }
      var members: [String] = []
      var positions: [SourcePosition?] = []
      for (memberIndex, member) in (object["members"]?.arrayValue ?? []).enumerated() {
        guard let member = member.stringValue else { continue }
        members.append(member)
        positions.append(map.values["/teams/\(index)/members/\(memberIndex)"])
      }
      teams.append(
        Team(
          id: id, name: object["name"]?.stringValue, members: members,
          position: map.position(for: "/teams/\(index)/id"), memberPositions: positions))
    }
    return PeopleRegistry(path: path, people: people, teams: teams)
  }

  /// Loads the registry keel.yaml names: parse problems and schema errors
  /// (`config/schema`) come back as diagnostics, never as a thrown error.
  public static func load(config: KeelConfig, snapshot: Snapshot, limits: ParseLimits = .default)
    -> (PeopleRegistry, [Diagnostic])
  {
    guard let path = config.peoplePath else { return (PeopleRegistry(), []) }
    let data: Data
    do { data = try snapshot.read(path, maxBytes: ReferenceFiles.limits(limits).maxFileBytes) } catch {
      return (
        PeopleRegistry(path: path),
        [
          ReferenceFiles.missingFileDiagnostic(
            path: path, key: "people", what: "people registry", config: config, error: error)
        ]
      )
    }
    let (located, problems) = StructuredFile.read(data, path: path, limits: ReferenceFiles.limits(limits))
    guard let located else { return (PeopleRegistry(path: path), problems) }
    let schemaErrors = KeelSchemas.diagnostics(for: located, against: .people, path: path)
    return (parse(located, path: path), problems + schemaErrors)
  }
}

/// Helpers shared by the loaders of people.yaml, RACI files and the glossary.
enum ReferenceFiles {
  /// How much larger than a document a reference file may be: a glossary of
  /// thousands of terms is one legitimately large file (5,000 terms ≈ 1 MB),
  /// so its size and node caps are 16 times a document's, still bounded.
  static let limitFactor = 16

  static func limits(_ limits: ParseLimits) -> ParseLimits {
    var scaled = limits
    scaled.maxFileBytes =
      limits.maxFileBytes.multipliedReportingOverflow(by: limitFactor).overflow
      ? Int.max : limits.maxFileBytes * limitFactor
    scaled.maxNodes =
      limits.maxNodes.multipliedReportingOverflow(by: limitFactor).overflow
      ? Int.max : limits.maxNodes * limitFactor
    return scaled
  }

  /// A file keel.yaml names but the snapshot lacks (or keel refuses to read,
  /// `error` says which): reported at the key in keel.yaml.
  static func missingFileDiagnostic(path: String, key: String, what: String, config: KeelConfig, error: Error)
    -> Diagnostic
  {
    let pointer = "/" + key
    return ReaderRules.missingFile.finding(
      "the \(what) \(path) named by \(KeelConfig.fileName) \(PathRefusal.problem(reading: error))",
      path: KeelConfig.fileName, at: config.source.sourceMap.values[pointer] ?? config.source.sourceMap.keys[pointer])
  }
}
