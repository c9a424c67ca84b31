import Foundation
import JSONSchema

/// One finding recorded in `.keel-baseline.json`.
public struct BaselineEntry: Sendable, Hashable, Comparable {
  public var rule: String
  public var path: String
  /// The finding's SARIF `partialFingerprints` value (`hash:n`): it survives the line moving.
  public var fingerprint: String
  /// Where the finding was and what it said when it was recorded (for people; not matched).
  public var line: Int
  public var message: String

  var key: Key { Key(rule: rule, path: path, fingerprint: fingerprint) }
  struct Key: Hashable {
    var rule: String
    var path: String
    var fingerprint: String
  }

  public static func < (lhs: BaselineEntry, rhs: BaselineEntry) -> Bool {
    (lhs.path, lhs.line, lhs.rule, lhs.fingerprint) < (rhs.path, rhs.line, rhs.rule, rhs.fingerprint)
  }
}

/// `.keel-baseline.json`: the findings a repository had when it adopted Keel.
/// `keel check` fails only on findings that are not in it and reports the
/// recorded ones that are fixed as gone; `keel baseline --update` drops those.
public struct Baseline: Sendable, Equatable {
  public static let fileName = ".keel-baseline.json"
  public static let formatVersion = 1

  public var entries: [BaselineEntry]

  public init(entries: [BaselineEntry]) { self.entries = entries.sorted() }

  /// A baseline of every finding, with the fingerprints of `SARIFReporter.fingerprints`.
  public init(diagnostics: [Diagnostic], fingerprints: [String]) {
    self.init(
      entries: zip(diagnostics, fingerprints).map { diagnostic, fingerprint in
        BaselineEntry(
          rule: diagnostic.rule, path: diagnostic.path, fingerprint: fingerprint, line: diagnostic.line,
          message: diagnostic.message)
      })
  }

  /// The baseline of a snapshot (next to keel.yaml), or nil when the snapshot's
  /// paths (`CheckContext.allPaths`) do not list one. A file keel cannot read
  /// (or refuses to), one larger than a reference file may be (16 times
  /// `limits.max-file-bytes`: decided from its size before it is read) or one
  /// that is not a baseline is a `KeelError` located in it.
  public static func load(from snapshot: Snapshot, paths: [String], limits: ParseLimits = .default) throws -> Baseline?
  {
    guard paths.contains(fileName) else { return nil }
    let data: Data
    do {
      data = try snapshot.read(fileName, maxBytes: ReferenceFiles.limits(limits).maxFileBytes)
    } catch let tooLarge as FileTooLargeError {
      throw KeelError(
        "the baseline \(PathRefusal.problem(reading: tooLarge)) (\(ReferenceFiles.limitFactor) × limits.max-file-bytes); "
          + "run 'keel baseline --update' to drop fixed findings, or raise limits.max-file-bytes",
        path: fileName)
    }
    return try parse(data)
  }

  /// Reads the JSON of a baseline file.
  public static func parse(_ data: Data) throws -> Baseline {
    let root: JSONValue
    do { root = try JSONParser.parse(data).value } catch {
      throw KeelError(
        "the baseline is not valid JSON (\(error)); run 'keel baseline' to write it again", path: fileName)
    }
    func invalid(_ reason: String) -> KeelError {
      KeelError("not a keel baseline: \(reason); run 'keel baseline' to write it again", path: fileName)
    }
    guard case .object(let object) = root else { throw invalid("expected a JSON object") }
    guard object["version"]?.intValue == formatVersion else {
      throw invalid("expected \"version\": \(formatVersion)")
    }
    guard case .array(let findings)? = object["findings"] else { throw invalid("expected a \"findings\" array") }
    var entries: [BaselineEntry] = []
    for (index, finding) in findings.enumerated() {
      guard case .object(let fields) = finding, let rule = fields["rule"]?.stringValue,
        let path = fields["path"]?.stringValue, let fingerprint = fields["fingerprint"]?.stringValue
      else { throw invalid("finding \(index + 1) needs \"rule\", \"path\" and \"fingerprint\" strings") }
      entries.append(
        BaselineEntry(
          rule: rule, path: path, fingerprint: fingerprint, line: fields["line"]?.intValue ?? 1,
          message: fields["message"]?.stringValue ?? ""))
    }
    return Baseline(entries: entries)
  }

  /// The file's text: one finding per line, sorted, so that changes diff well.
  public func rendered() -> String {
    var text = "{\n  \"version\": \(Self.formatVersion),\n  \"tool\": \"keel\",\n  \"findings\": ["
    for (index, entry) in entries.enumerated() {
      let object = JSONObject([
        ("rule", .string(entry.rule)),
        ("path", .string(entry.path)),
        ("fingerprint", .string(entry.fingerprint)),
        ("line", .integer(entry.line)),
        ("message", .string(entry.message)),
      ])
      text += (index == 0 ? "\n    " : ",\n    ") + JSONText.render(.object(object), indent: nil)
    }
    text += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
    return text
  }

  /// The findings of a check, split by the baseline.
  public struct Comparison: Sendable {
    /// Findings the baseline does not have: these count.
    public var new: [Diagnostic] = []
    /// Findings the baseline has.
    public var unchanged: [Diagnostic] = []
    /// The baseline's entries for `unchanged`, with the line where each finding is now.
    public var kept: [BaselineEntry] = []
    /// Entries in scope that no finding matches: fixed.
    public var gone: [BaselineEntry] = []
  }

  /// Matches findings (with their fingerprints) against the baseline. An entry
  /// whose path is outside `scope` (not checked this time) is neither kept nor gone.
  public func compare(
    _ diagnostics: [Diagnostic], fingerprints: [String], scope: (String) -> Bool = { _ in true }
  ) -> Comparison {
    var remaining = Dictionary(grouping: entries, by: \.key)
    var comparison = Comparison()
    for (diagnostic, fingerprint) in zip(diagnostics, fingerprints) {
      let key = BaselineEntry.Key(rule: diagnostic.rule, path: diagnostic.path, fingerprint: fingerprint)
      if var matches = remaining[key], var entry = matches.popLast() {
        remaining[key] = matches.isEmpty ? nil : matches
        entry.line = diagnostic.line
        entry.message = diagnostic.message
        comparison.kept.append(entry)
        comparison.unchanged.append(diagnostic)
      } else {
        comparison.new.append(diagnostic)
      }
    }
    comparison.gone = remaining.values.flatMap { $0 }.filter { scope($0.path) }.sorted()
    return comparison
  }
}
