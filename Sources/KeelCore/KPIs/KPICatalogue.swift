import Foundation
import JSONSchema

/// One KPI of the catalogue (`kpis.yaml`).
public struct KPI: Sendable, Hashable {
  public var id: String
  public var name: String
  public var definition: String
  /// A person of people.yaml.
  public var owner: String
  public var unit: String
  /// `up` or `down`: which way the KPI improves.
  public var direction: String
  public var formula: String?
  /// Tracked event names, as written.
  public var events: [String]
  public var northStar: Bool
  /// Where the entry is (its `id` value), its `owner` value, `north-star` value and each event.
  public var position: SourcePosition?
  public var ownerPosition: SourcePosition?
  public var northStarPosition: SourcePosition?
  public var eventPositions: [SourcePosition?]
}

/// `kpi-event-pattern:` of keel.yaml, compiled: what every tracked event name matches, whole.
public struct KPIEventPattern: Sendable {
  public static let defaultSource = "^[a-z]+(_[a-z]+)*$"
  public static let `default`: KPIEventPattern = {
    do { return try KPIEventPattern(defaultSource, position: nil) } catch {
      preconditionFailure("the default event pattern does not compile")
    }
  }()

  public let source: String
  private let regex: ECMARegex

  /// A pattern that is no ECMA-262 regular expression is a `KeelError` at its value in keel.yaml.
  init(_ source: String, position: SourcePosition?) throws {
    self.source = source
    do { regex = try ECMARegex(source) } catch {
      throw KeelError("kpi-event-pattern: \(error.message)", path: KeelConfig.fileName, position: position)
    }
  }

  /// Whether `name` matches (a pattern too costly to run on it counts as no match).
  public func matches(_ name: String) -> Bool { regex.firstMatch(in: name) == .match }
}

/// The KPI catalogue keel.yaml names (`kpis: kpis.yaml`): the KPIs specs may name through a field
/// marked `x-keel-ref: kpi`, one of them the North Star.
public struct KPICatalogue: Sendable {
  /// Path of the catalogue; nil when keel.yaml names none (then KPI references are not checked).
  public var path: String?
  /// KPIs in file order.
  public var kpis: [KPI]
  private var index: [String: Int] = [:]
  /// Ids, sorted: the candidates of a "did you mean".
  public private(set) var sortedIDs: [String] = []

  public init(path: String? = nil, kpis: [KPI] = []) {
    self.path = path
    self.kpis = kpis
    for (offset, kpi) in kpis.enumerated() where index[kpi.id] == nil { index[kpi.id] = offset }
    sortedIDs = index.keys.sorted()
  }

  public var isConfigured: Bool { path != nil }
  /// The file was read and parsed (its entries may still have schema errors).
  public var isLoaded = false

  /// The KPI with this id (the first, when two share it).
  public func kpi(_ id: String) -> KPI? { index[id].map { kpis[$0] } }

  /// Reads kpis.yaml's content; entries without a string `id` are skipped (the schema reports them).
  public static func parse(_ located: LocatedJSON, path: String?) -> KPICatalogue {
    guard case .object(let root) = located.value else { return KPICatalogue(path: path) }
    let map = located.sourceMap
    var kpis: [KPI] = []
    for (offset, item) in (root["kpis"]?.arrayValue ?? []).enumerated() {
      guard case .object(let object) = item, let id = object["id"]?.stringValue else { continue }
      let pointer = "/kpis/\(offset)"
      var events: [String] = []
      var eventPositions: [SourcePosition?] = []
      for (eventOffset, event) in (object["events"]?.arrayValue ?? []).enumerated() {
        guard let name = event.stringValue else { continue }
        events.append(name)
        eventPositions.append(map.values["\(pointer)/events/\(eventOffset)"])
      }
      kpis.append(
        KPI(
          id: id, name: object["name"]?.stringValue ?? id, definition: object["definition"]?.stringValue ?? "",
          owner: object["owner"]?.stringValue ?? "", unit: object["unit"]?.stringValue ?? "",
          direction: object["direction"]?.stringValue ?? "", formula: object["formula"]?.stringValue,
          events: events, northStar: object["north-star"] == .bool(true),
          position: map.values[pointer + "/id"], ownerPosition: map.values[pointer + "/owner"],
          northStarPosition: map.values[pointer + "/north-star"], eventPositions: eventPositions))
    }
    var catalogue = KPICatalogue(path: path, kpis: kpis)
    catalogue.isLoaded = true
    return catalogue
  }

  /// Loads the catalogue keel.yaml names: parse problems and schema errors (`config/schema`) come
  /// back as diagnostics, never as a thrown error.
  public static func load(config: KeelConfig, snapshot: Snapshot, limits: ParseLimits = .default)
    -> (KPICatalogue, [Diagnostic])
  {
    guard let path = config.kpisPath else { return (KPICatalogue(), []) }
    let data: Data
    do { data = try snapshot.read(path, maxBytes: ReferenceFiles.limits(limits).maxFileBytes) } catch {
      return (
        KPICatalogue(path: path),
        [
          ReferenceFiles.missingFileDiagnostic(
            path: path, key: "kpis", what: "KPI catalogue", config: config, error: error)
        ]
      )
    }
    let (located, problems) = StructuredFile.read(data, path: path, limits: ReferenceFiles.limits(limits))
    guard let located else { return (KPICatalogue(path: path), problems) }
    let schemaErrors = KeelSchemas.diagnostics(for: located, against: .kpis, path: path)
    return (parse(located, path: path), problems + schemaErrors)
  }
}
