import Foundation
import JSONSchema

/// The four RACI letters, in the order Keel prints combinations (`A/R`).
public enum RACIRole: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
  case accountable = "A"
  case responsible = "R"
  case consulted = "C"
  case informed = "I"

  /// The letter as written in RACI files.
  public var letter: String { rawValue }

  public var word: String {
    switch self {
    case .accountable: "accountable"
    case .responsible: "responsible"
    case .consulted: "consulted"
    case .informed: "informed"
    }
  }

  private var rank: Int { Self.allCases.firstIndex(of: self)! }
  public static func < (lhs: RACIRole, rhs: RACIRole) -> Bool { lhs.rank < rhs.rank }

  /// Joins letters in Keel's order: `[.responsible, .accountable]` → `A/R`.
  public static func combination(_ roles: some Sequence<RACIRole>) -> String {
    Set(roles).sorted().map(\.letter).joined(separator: "/")
  }
}

/// A name under one letter of an activity, with where it is written.
public struct RACIAssignment: Sendable, Hashable {
  public var name: String
  public var role: RACIRole
  public var position: SourcePosition?
  public init(name: String, role: RACIRole, position: SourcePosition? = nil) {
    self.name = name
    self.role = role
    self.position = position
  }
}

/// One row of a RACI matrix.
public struct RACIActivity: Sendable, Hashable {
  public var id: String
  public var name: String?
  /// Every name under R, A, C and I, in file order within each letter.
  public var assignments: [RACIAssignment]
  /// Where the activity's mapping starts in the file.
  public var position: SourcePosition?
  /// JSON pointer of the activity (`/activities/3`).
  public var pointer: String
  /// Where each letter's value is written (`R: [...]`), for letters present.
  public var letterPositions: [RACIRole: SourcePosition] = [:]

  /// Names under one letter, in file order (duplicates kept).
  public func names(_ role: RACIRole) -> [String] { assignments.filter { $0.role == role }.map(\.name) }
  public var responsible: [String] { names(.responsible) }
  public var accountable: [String] { names(.accountable) }
  public var consulted: [String] { names(.consulted) }
  public var informed: [String] { names(.informed) }

  /// The letters `name` holds in this activity.
  public func roles(of name: String) -> Set<RACIRole> {
    Set(assignments.filter { $0.name == name }.map(\.role))
  }

  /// The activity's name, or its id when it has none.
  public var displayName: String { name.flatMap { $0.isEmpty ? nil : $0 } ?? id }
}

/// One RACI file.
public struct RACIMatrix: Sendable, Hashable {
  public var path: String
  public var title: String?
  public var description: String?
  public var activities: [RACIActivity]

  public init(path: String, title: String? = nil, description: String? = nil, activities: [RACIActivity]) {
    self.path = path
    self.title = title
    self.description = description
    self.activities = activities
  }

  /// Every name used in the matrix, each once, in first-use order.
  public var names: [String] {
    var seen = Set<String>()
    return activities.flatMap { $0.assignments.map(\.name) }.filter { seen.insert($0).inserted }
  }

  /// Reads a RACI file's content; values of the wrong type are skipped (the
  /// schema reports them), so that rules and exports see what is usable.
  public static func parse(_ located: LocatedJSON, path: String) -> RACIMatrix {
    guard case .object(let root) = located.value else { return RACIMatrix(path: path, activities: []) }
    let map = located.sourceMap
    var activities: [RACIActivity] = []
    for (index, item) in (root["activities"]?.arrayValue ?? []).enumerated() {
      guard case .object(let object) = item, let id = object["id"]?.stringValue else { continue }
      let pointer = "/activities/\(index)"
      var assignments: [RACIAssignment] = []
      var letterPositions: [RACIRole: SourcePosition] = [:]
      for role in [RACIRole.responsible, .accountable, .consulted, .informed] {
        let rolePointer = pointer + "/" + role.letter
        if let position = map.values[rolePointer] ?? map.keys[rolePointer] { letterPositions[role] = position }
        switch object[role.letter] {
        case .string(let name)?:
          assignments.append(RACIAssignment(name: name, role: role, position: map.position(for: rolePointer)))
        case .array(let values)?:
          for (offset, value) in values.enumerated() {
            guard let name = value.stringValue else { continue }
            let position = map.values[rolePointer + "/\(offset)"] ?? map.position(for: rolePointer)
            assignments.append(RACIAssignment(name: name, role: role, position: position))
          }
        default: break
        }
      }
      var activity = RACIActivity(
        id: id, name: object["name"]?.stringValue, assignments: assignments,
        position: map.values[pointer] ?? map.position(for: pointer + "/id"), pointer: pointer)
      activity.letterPositions = letterPositions
      activities.append(activity)
    }
    return RACIMatrix(
      path: path, title: root["title"]?.stringValue, description: root["description"]?.stringValue,
      activities: activities)
  }
}

/// Every RACI matrix of a snapshot (the files matching keel.yaml's `raci:`
/// globs, in path order), loaded once per check or export.
public struct RACIIndex: Sendable {
  public var matrices: [RACIMatrix]
  /// Names that are the A of at least one activity, as written (a team stays a team).
  public let accountableNames: Set<String>

  public init(matrices: [RACIMatrix] = []) {
    self.matrices = matrices
    accountableNames = Set(matrices.flatMap { $0.activities.flatMap(\.accountable) })
  }

  /// True when `person` is accountable for some activity, directly or through a
  /// team that is (used by workflows' `approvers: accountable`).
  public func isAccountable(_ person: String, people: PeopleRegistry) -> Bool {
    if accountableNames.contains(person) { return true }
    return accountableNames.contains { people.team($0) != nil && people.expand($0).contains(person) }
  }

  /// The paths of the snapshot that keel.yaml's `raci:` globs select.
  public static func paths(config: KeelConfig, allPaths: [String]) -> [String] {
    guard !config.raci.isEmpty else { return [] }
    return allPaths.filter { path in config.raci.contains { $0.matches(path) } }.sorted()
  }

  /// Reads every RACI file (sequentially: Git-backed snapshots are not
  /// thread-safe), then parses and validates them in parallel. Parse problems
  /// and schema errors (`config/schema`) come back as diagnostics.
  public static func load(
    config: KeelConfig, snapshot: Snapshot, allPaths: [String], limits: ParseLimits = .default,
    validate: Bool = true
  ) throws -> (RACIIndex, [Diagnostic]) {
    struct Loaded: Sendable {
      var matrix: RACIMatrix?
      var diagnostics: [Diagnostic]
    }
    let limits = ReferenceFiles.limits(limits)
    var files: [FileBytes] = []
    var tooLarge: [Diagnostic] = []
    for path in paths(config: config, allPaths: allPaths) {
      switch try DocumentParser.content(of: path, in: snapshot, limits: limits) {
      case .bytes(let data): files.append(FileBytes(path: path, data: data))
      case .tooLarge(let diagnostic): tooLarge.append(diagnostic)
      }
    }
    let loaded = files.parallelMap { file -> Loaded in
      let (located, problems) = StructuredFile.read(file.data, path: file.path, limits: limits)
      guard let located else { return Loaded(matrix: nil, diagnostics: problems) }
      let schemaErrors =
        validate ? KeelSchemas.diagnostics(for: located, against: .raci, path: file.path) : []
      return Loaded(matrix: RACIMatrix.parse(located, path: file.path), diagnostics: problems + schemaErrors)
    }
    return (RACIIndex(matrices: loaded.compactMap(\.matrix)), tooLarge + loaded.flatMap(\.diagnostics))
  }
}

/// A file's path and bytes, read before parallel parsing.
struct FileBytes: Sendable {
  var path: String
  var data: Data
}
