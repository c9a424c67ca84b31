import JSONSchema

/// The machine-readable report (README, `keel check`: "The JSON shape is part of the contract"):
/// `{"tool":"keel","version":…,"source":…,"summary":{…},"diagnostics":[…]}`,
/// keys in that order, then `gone` (baseline entries that no finding matches
/// any more); `summary` also counts `suppressed`, `baselined` and `gone`
/// findings. Extra keys: `summary.notes` when there are notes,
/// `jsonPointer`, `schemaLocation` and `related` on a diagnostic when present,
/// and a top-level `documents` array in review mode.
public struct JSONReporter: Reporter {
  /// Pretty-printed (2-space indent) or one line.
  public var pretty: Bool

  public init(pretty: Bool = true) { self.pretty = pretty }

  public func render(_ report: Report) -> String {
    JSONText.render(Self.value(of: report), indent: pretty ? 2 : nil) + "\n"
  }

  static func value(of report: Report) -> JSONValue {
    var summary = JSONObject([
      ("documents", .integer(report.documentCount)),
      ("errors", .integer(report.errorCount)),
      ("warnings", .integer(report.warningCount)),
    ])
    if report.noteCount > 0 { summary["notes"] = .integer(report.noteCount) }
    summary["suppressed"] = .integer(report.suppressed.count)
    summary["baselined"] = .integer(report.baselined.count)
    summary["gone"] = .integer(report.gone.count)
    var root = JSONObject([
      ("tool", .string("keel")),
      ("version", .string(report.toolVersion)),
      ("source", .string(report.source)),
      ("summary", .object(summary)),
      ("diagnostics", .array(report.diagnostics.map(value(of:)))),
      ("gone", .array(report.gone.map(value(of:)))),
    ])
    if !report.documents.isEmpty { root["documents"] = .array(report.documents.map(value(of:))) }
    return .object(root)
  }

  private static func value(of diagnostic: Diagnostic) -> JSONValue {
    var object = JSONObject([
      ("rule", .string(diagnostic.rule)),
      ("severity", .string(diagnostic.severity.rawValue)),
      ("path", .string(diagnostic.path)),
      ("line", .integer(diagnostic.line)),
      ("column", .integer(diagnostic.column)),
      ("message", .string(diagnostic.message)),
    ])
    if let pointer = diagnostic.jsonPointer { object["jsonPointer"] = .string(pointer) }
    if let location = diagnostic.schemaLocation { object["schemaLocation"] = .string(location) }
    if !diagnostic.related.isEmpty {
      object["related"] = .array(
        diagnostic.related.map { related in
          .object(
            JSONObject([
              ("path", .string(related.path)),
              ("line", .integer(related.line)),
              ("column", .integer(related.column)),
              ("message", .string(related.message)),
            ]))
        })
    }
    return .object(object)
  }

  private static func value(of entry: BaselineEntry) -> JSONValue {
    .object(
      JSONObject([
        ("rule", .string(entry.rule)),
        ("path", .string(entry.path)),
        ("line", .integer(entry.line)),
        ("message", .string(entry.message)),
        ("fingerprint", .string(entry.fingerprint)),
      ]))
  }

  private static func value(of document: DocumentSummary) -> JSONValue {
    var object = JSONObject([("path", .string(document.path))])
    if let kind = document.kind { object["kind"] = .string(kind) }
    object["change"] = .string(document.change.rawValue)
    if let previous = document.previousPath { object["previousPath"] = .string(previous) }
    if let before = document.stateBefore { object["stateBefore"] = .string(before) }
    if let after = document.stateAfter { object["stateAfter"] = .string(after) }
    return .object(object)
  }
}
