import JSONSchema

/// The machine-readable report of README.md:
/// `{"tool":"keel","version":…,"source":…,"summary":{…},"diagnostics":[…],"gone":[…],"documents":…}`,
/// keys in that order. Every key is always present, so that consumers need no
/// "is it there" checks: a value that does not apply is `null` (`jsonPointer`,
/// `schemaLocation`, a review document's `kind`, `previousPath`, `stateBefore`,
/// `stateAfter`; `documents` outside review mode or when a review touches no
/// document), a list of findings or locations with nothing in it is `[]`
/// (`diagnostics`, `gone`, `related`), a count is a number (`summary.notes`).
/// Paths are relative to the Git repository root (`ReportPaths.repository`).
/// `schemas/keel-check-output.schema.json` describes it; keep the two in step.
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
    summary["notes"] = .integer(report.noteCount)
    summary["files"] = .integer(report.fileCount)
    summary["suppressed"] = .integer(report.suppressed.count)
    summary["baselined"] = .integer(report.baselined.count)
    summary["gone"] = .integer(report.gone.count)
    var root = JSONObject([
      ("tool", .string("keel")),
      ("version", .string(report.toolVersion)),
      ("source", .string(report.source)),
      ("summary", .object(summary)),
      ("diagnostics", .array(report.diagnostics.map { value(of: $0, paths: report.paths) })),
      ("gone", .array(report.gone.map { value(of: $0, paths: report.paths) })),
    ])
    // Review mode lists the documents the change touches; null when there are none (and outside review mode).
    root["documents"] =
      report.documents.isEmpty ? .null : .array(report.documents.map { value(of: $0, paths: report.paths) })
    return .object(root)
  }

  private static func value(of diagnostic: Diagnostic, paths: ReportPaths) -> JSONValue {
    var object = JSONObject([
      ("rule", .string(diagnostic.rule)),
      ("severity", .string(diagnostic.severity.rawValue)),
      ("path", .string(paths.repository(diagnostic.path))),
      ("line", .integer(diagnostic.line)),
      ("column", .integer(diagnostic.column)),
      ("message", .string(diagnostic.message)),
    ])
    object["jsonPointer"] = diagnostic.jsonPointer.map(JSONValue.string) ?? .null
    object["schemaLocation"] = diagnostic.schemaLocation.map(JSONValue.string) ?? .null
    object["related"] = .array(
      diagnostic.related.map { related in
        .object(
          JSONObject([
            ("path", .string(paths.repository(related.path))),
            ("line", .integer(related.line)),
            ("column", .integer(related.column)),
            ("message", .string(related.message)),
          ]))
      })
    return .object(object)
  }

  private static func value(of entry: BaselineEntry, paths: ReportPaths) -> JSONValue {
    .object(
      JSONObject([
        ("rule", .string(entry.rule)),
        ("path", .string(paths.repository(entry.path))),
        ("line", .integer(entry.line)),
        ("message", .string(entry.message)),
        ("fingerprint", .string(entry.fingerprint)),
      ]))
  }

  private static func value(of document: DocumentSummary, paths: ReportPaths) -> JSONValue {
    .object(
      JSONObject([
        ("path", .string(paths.repository(document.path))),
        ("kind", document.kind.map(JSONValue.string) ?? .null),
        ("change", .string(document.change.rawValue)),
        ("previousPath", document.previousPath.map { .string(paths.repository($0)) } ?? .null),
        ("stateBefore", document.stateBefore.map(JSONValue.string) ?? .null),
        ("stateAfter", document.stateAfter.map(JSONValue.string) ?? .null),
      ]))
  }
}
