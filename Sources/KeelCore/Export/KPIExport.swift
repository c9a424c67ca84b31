import Foundation
import JSONSchema

/// `keel export kpis`: the KPI catalogue, the North Star first, each KPI with the documents whose
/// KPI field (`x-keel-ref: kpi`) names it.
public struct KPIExport: Sendable, RenderableExport {
  /// A document naming a KPI.
  public struct Target: Sendable, Hashable {
    public var path: String
    public var kind: String
    public var id: String?
    public var title: String?
    public var state: String?
    /// The field naming the KPI.
    public var field: String
  }

  public var source: ExportSource
  /// The North Star first, then the others in the catalogue's order.
  public var kpis: [KPI]
  /// KPI id → the documents naming it, in path order.
  public var targets: [String: [Target]]

  public init(
    source: ExportSource, catalogue: KPICatalogue, documents: [Document], config: KeelConfig,
    fields: [String: [ReferenceField]], workflows: [String: String]
  ) {
    self.source = source
    kpis = catalogue.kpis.filter(\.northStar) + catalogue.kpis.filter { !$0.northStar }
    var targets: [String: [Target]] = [:]
    for document in documents.sorted(by: { $0.path < $1.path }) {
      guard let kind = document.kind, let kindConfig = config.kind(named: kind) else { continue }
      for field in fields[kind] ?? [] where field.targets.contains(.kpi) {
        for (value, _) in field.values(in: document) where catalogue.kpi(value) != nil {
          targets[value, default: []].append(
            Target(
              path: document.path, kind: kind, id: document.field(kindConfig.idField), title: document.field("title"),
              state: workflows[kind].flatMap(document.field), field: field.name))
        }
      }
    }
    self.targets = targets
  }

  /// Reads keel.yaml, the catalogue, the kinds' schemas (for their `x-keel-ref: kpi` fields) and the
  /// fields of those kinds' documents. A missing or unparsable catalogue is a `KeelError` (exit 2).
  public static func load(
    from documents: Snapshot, configuration: Snapshot? = nil, source: ExportSource, limits: ParseLimits = .default
  ) throws -> (KPIExport, [Diagnostic]) {
    let keelFiles = configuration ?? documents
    let config = try KeelConfig.load(from: keelFiles)
    guard config.kpisPath != nil else {
      throw KeelError("\(KeelConfig.fileName) names no KPI catalogue (add 'kpis: kpis.yaml')")
    }
    let registries = RegistrySnapshot(documents: documents, configuration: configuration)
    let (catalogue, problems) = KPICatalogue.load(config: config, snapshot: registries, limits: limits)
    if !catalogue.isLoaded, let problem = problems.first(where: { $0.severity == .error }) {
      throw KeelError(
        problem.message, path: problem.path, position: SourcePosition(line: problem.line, column: problem.column))
    }
    let schemas = try DocumentSchemas(config: config, snapshot: keelFiles, allPaths: try keelFiles.paths())
    let kinds = Set(schemas.references.filter { $0.value.contains { $0.targets.contains(.kpi) } }.keys)
    let read = try KindFields.read(kinds: kinds, config: config, snapshot: documents, limits: limits)
    let resources = try KindResources(config: config, snapshot: keelFiles, limits: limits)
    return (
      KPIExport(
        source: source, catalogue: catalogue, documents: read, config: config, fields: schemas.references,
        workflows: resources.workflows.mapValues(\.field)),
      problems
    )
  }

  static func name(_ target: Target) -> String { target.id ?? target.path }

  public var json: JSONValue {
    .object(
      JSONObject(
        source.jsonHeader + [
          ("northStar", kpis.first(where: \.northStar).map { .string($0.id) } ?? .null),
          (
            "kpis",
            .array(
              kpis.map { kpi in
                .object(
                  JSONObject([
                    ("id", .string(kpi.id)), ("name", .string(kpi.name)), ("definition", .string(kpi.definition)),
                    ("owner", .string(kpi.owner)), ("unit", .string(kpi.unit)), ("direction", .string(kpi.direction)),
                    ("formula", kpi.formula.map { .string($0) } ?? .null),
                    ("events", .array(kpi.events.map { .string($0) })), ("northStar", .bool(kpi.northStar)),
                    (
                      "specs",
                      .array(
                        (targets[kpi.id] ?? []).map { target in
                          .object(
                            JSONObject([
                              ("path", .string(target.path)), ("kind", .string(target.kind)),
                              ("id", target.id.map { .string($0) } ?? .null),
                              ("title", target.title.map { .string($0) } ?? .null),
                              ("state", target.state.map { .string($0) } ?? .null), ("field", .string(target.field)),
                            ]))
                        })
                    ),
                  ]))
              })
          ),
        ]))
  }

  /// `id, name, definition, owner, unit, direction, formula, events, north-star, specs`; lists
  /// joined with `; `, each document by its id (else its path).
  public func csv(spreadsheetSafe: Bool) -> String {
    var output = TextKit.csvRecord([
      "id", "name", "definition", "owner", "unit", "direction", "formula", "events", "north-star", "specs",
    ])
    for kpi in kpis {
      output += TextKit.csvRecord(
        [
          kpi.id, kpi.name, kpi.definition, kpi.owner, kpi.unit, kpi.direction, kpi.formula ?? "",
          kpi.events.joined(separator: "; "), kpi.northStar ? "true" : "false",
          (targets[kpi.id] ?? []).map(Self.name).joined(separator: "; "),
        ], spreadsheetSafe: spreadsheetSafe)
    }
    return output
  }

  static func arrow(_ direction: String) -> String {
    direction == "up" ? "↑ up" : direction == "down" ? "↓ down" : direction
  }

  public var markdown: String {
    var lines = ["# KPIs", "", "Taken from \(TextKit.markdown(source.summary)).", ""]
    if let star = kpis.first(where: \.northStar) {
      lines += ["North Star: **\(TextKit.markdown(star.name))** (\(TextKit.markdown(star.id)))", ""]
    }
    if kpis.isEmpty { lines += ["No KPIs.", ""] }
    for kpi in kpis {
      lines += ["## \(TextKit.markdown(kpi.name))\(kpi.northStar ? " (North Star)" : "")", ""]
      lines += [TextKit.markdown(kpi.definition), ""]
      lines.append("- **ID:** \(TextKit.markdown(kpi.id))")
      lines.append("- **Owner:** \(TextKit.markdown(kpi.owner))")
      lines.append("- **Unit:** \(TextKit.markdown(kpi.unit)), \(Self.arrow(kpi.direction)) is better")
      if let formula = kpi.formula { lines.append("- **Formula:** \(TextKit.markdown(formula))") }
      if !kpi.events.isEmpty {
        lines.append("- **Events:** " + kpi.events.map { TextKit.markdown($0) }.joined(separator: ", "))
      }
      let specs = targets[kpi.id] ?? []
      lines.append(
        "- **Specs:** "
          + (specs.isEmpty
            ? "none"
            : specs.map { "\(TextKit.markdown(Self.name($0))) (\(TextKit.markdown($0.state ?? $0.path)))" }
              .joined(separator: ", ")))
      lines.append("")
    }
    return lines.joined(separator: "\n")
  }

  public var html: String {
    var body = ""
    if kpis.isEmpty { body += "<p>No KPIs.</p>\n" }
    for kpi in kpis {
      body += "<section class=\"kpi\(kpi.northStar ? " north-star" : "")\">\n"
      body += "<h2>\(TextKit.xml(kpi.name))\(kpi.northStar ? " <small>North Star</small>" : "")</h2>\n"
      body += "<p>\(TextKit.xml(kpi.definition))</p>\n<p class=\"meta\">"
      var meta = [
        "<span>ID: \(TextKit.xml(kpi.id))</span>", "<span>Owner: \(TextKit.xml(kpi.owner))</span>",
        "<span>Unit: \(TextKit.xml(kpi.unit)), \(TextKit.xml(Self.arrow(kpi.direction))) is better</span>",
      ]
      if let formula = kpi.formula { meta.append("<span>Formula: \(TextKit.xml(formula))</span>") }
      if !kpi.events.isEmpty {
        meta.append(
          "<span>Events: \(kpi.events.map { "<code>\(TextKit.xml($0))</code>" }.joined(separator: ", "))</span>")
      }
      body += meta.joined() + "</p>\n"
      let specs = targets[kpi.id] ?? []
      body +=
        specs.isEmpty
        ? "<p>No spec targets it.</p>\n"
        : "<ul>"
          + specs.map {
            "<li>\(TextKit.xml(Self.name($0))) — \(TextKit.xml($0.title ?? $0.path)) (\(TextKit.xml($0.state ?? "")))</li>"
          }
          .joined() + "</ul>\n"
      body += "</section>\n"
    }
    return HTMLPage.render(title: "KPIs", source: source, body: body)
  }
}
