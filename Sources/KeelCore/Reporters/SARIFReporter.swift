import Foundation
import JSONSchema

/// SARIF 2.1.0 (what GitHub code scanning and SARIF viewers read): one run of
/// `keel`, one result per finding, paths relative to `%SRCROOT%` (the Git
/// repository root, `ReportPaths.repository`), columns in Unicode code points.
public struct SARIFReporter: Reporter {
  /// Where users learn about keel (`tool.driver.informationUri`).
  public static let defaultInformationURI = "https://github.com/keel-ops/keel"
  /// The `$id` of the SARIF 2.1.0 schema the output is checked against.
  public static let schemaURI =
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
  /// The key of `partialFingerprints`; bump the suffix if the hash input changes.
  /// (v2: digits in the message no longer count, so a finding that says how old
  /// something is keeps its fingerprint from day to day.)
  public static let fingerprintKey = "keel/v2"

  public var informationURI: String

  public init(informationURI: String = SARIFReporter.defaultInformationURI) {
    self.informationURI = informationURI
  }

  public func render(_ report: Report) -> String {
    JSONText.render(log(for: report)) + "\n"
  }

  func log(for report: Report) -> JSONValue {
    let rules = Self.rules(for: report)
    let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
    // The findings that count and the baselined ones, fingerprinted together as `keel baseline` does.
    let baselined = Set(report.baselined)
    let findings = (report.diagnostics + report.baselined).sorted()
    var results: [JSONValue] = zip(findings, Self.fingerprints(for: findings, sourceLines: report.sourceLines)).map {
      diagnostic, fingerprint in
      var result = result(
        for: diagnostic, ruleIndex: ruleIndex[diagnostic.rule] ?? 0, fingerprint: fingerprint, paths: report.paths)
      if report.hasBaseline { result["baselineState"] = .string(baselined.contains(diagnostic) ? "unchanged" : "new") }
      return .object(result)
    }
    let suppressed = report.suppressed.sorted { $0.diagnostic < $1.diagnostic }
    let suppressedPrints = Self.fingerprints(for: suppressed.map(\.diagnostic), sourceLines: report.sourceLines)
    for (entry, fingerprint) in zip(suppressed, suppressedPrints) {
      var result = result(
        for: entry.diagnostic, ruleIndex: ruleIndex[entry.diagnostic.rule] ?? 0, fingerprint: fingerprint,
        paths: report.paths)
      var suppression = JSONObject([("kind", .string("inSource"))])
      if let justification = entry.justification { suppression["justification"] = .string(justification) }
      result["suppressions"] = .array([.object(suppression)])
      results.append(.object(result))
    }

    var driver = JSONObject([
      ("name", .string("keel")),
      ("version", .string(report.toolVersion)),
      ("informationUri", .string(informationURI)),
    ])
    driver["rules"] = .array(
      rules.map { rule in
        let documentation = RuleDocumentation(rule)
        return .object(
          JSONObject([
            ("id", .string(rule.id)),
            ("shortDescription", .object(JSONObject([("text", .string(rule.summary))]))),
            ("fullDescription", .object(JSONObject([("text", .string(documentation.fullDescription))]))),
            (
              "help",
              .object(
                JSONObject([
                  ("text", .string(documentation.helpText)), ("markdown", .string(documentation.helpMarkdown)),
                ]))
            ),
            ("helpUri", .string(documentation.helpURI)),
            ("defaultConfiguration", .object(JSONObject([("level", .string(rule.defaultSeverity.rawValue))]))),
          ]))
      })

    var sourceRoot = JSONObject()
    if let root = report.sourceRoot { sourceRoot["uri"] = .string(root.hasSuffix("/") ? root : root + "/") }
    sourceRoot["description"] = .object(JSONObject([("text", .string("The root of the checked repository."))]))

    let run = JSONObject([
      ("tool", .object(JSONObject([("driver", .object(driver))]))),
      ("originalUriBaseIds", .object(JSONObject([("%SRCROOT%", .object(sourceRoot))]))),
      ("columnKind", .string("unicodeCodePoints")),
      ("results", .array(results)),
    ])
    return .object(
      JSONObject([
        ("$schema", .string(Self.schemaURI)),
        ("version", .string("2.1.0")),
        ("runs", .array([.object(run)])),
      ]))
  }

  private func result(for diagnostic: Diagnostic, ruleIndex: Int, fingerprint: String, paths: ReportPaths)
    -> JSONObject
  {
    let primary = Self.location(
      path: paths.repository(diagnostic.path), line: diagnostic.line, column: diagnostic.column)
    var result = JSONObject([
      ("ruleId", .string(diagnostic.rule)),
      ("ruleIndex", .integer(ruleIndex)),
      ("level", .string(diagnostic.severity.rawValue)),
      ("message", Self.message(diagnostic.message)),
      ("locations", .array([.object(primary)])),
    ])
    if !diagnostic.related.isEmpty {
      result["relatedLocations"] = .array(
        diagnostic.related.enumerated().map { index, related in
          var location = Self.location(path: paths.repository(related.path), line: related.line, column: related.column)
          location["id"] = .integer(index + 1)
          location["message"] = Self.message(related.message)
          return .object(location)
        })
    }
    result["partialFingerprints"] = .object(JSONObject([(Self.fingerprintKey, .string(fingerprint))]))
    return result
  }

  /// The `partialFingerprints` value of each finding of a sorted list: the
  /// finding's hash, and GitHub's convention that the nth identical hash in a
  /// run gets the suffix `:n`. `.keel-baseline.json` records the same values.
  public static func fingerprints(for diagnostics: [Diagnostic], sourceLines: SourceLines) -> [String] {
    var occurrences: [String: Int] = [:]
    return diagnostics.map { diagnostic in
      let hash = fingerprint(of: diagnostic, lineText: sourceLines.text(path: diagnostic.path, line: diagnostic.line))
      occurrences[hash, default: 0] += 1
      return "\(hash):\(occurrences[hash, default: 1])"
    }
  }

  /// Every descriptor of the report (first one wins for a repeated id), then a
  /// bare descriptor for any rule a finding uses that the report did not list,
  /// so that every `ruleIndex` is valid.
  static func rules(for report: Report) -> [RuleDescriptor] {
    var seen = Set<String>()
    var rules: [RuleDescriptor] = []
    for rule in report.rules where seen.insert(rule.id).inserted { rules.append(rule) }
    let missing = Set(report.diagnostics.map(\.rule)).subtracting(seen).sorted()
    for id in missing {
      let severity = report.diagnostics.first { $0.rule == id }?.severity ?? .error
      rules.append(RuleDescriptor(id: id, summary: id, defaultSeverity: severity))
    }
    return rules
  }

  private static func location(path: String, line: Int, column: Int) -> JSONObject {
    let artifact = JSONObject([("uri", .string(uriReference(forPath: path))), ("uriBaseId", .string("%SRCROOT%"))])
    let region = JSONObject([("startLine", .integer(line)), ("startColumn", .integer(column))])
    let physical = JSONObject([("artifactLocation", .object(artifact)), ("region", .object(region))])
    return JSONObject([("physicalLocation", .object(physical))])
  }

  /// SARIF reads `[text](target)` in message text as an embedded link; literal
  /// brackets must be escaped with a backslash (SARIF 2.1.0 §3.11.6).
  private static func message(_ text: String) -> JSONValue {
    var escaped = ""
    for character in text {
      if character == "[" || character == "]" { escaped.append("\\") }
      escaped.append(character)
    }
    return .object(JSONObject([("text", .string(escaped))]))
  }

  /// A relative URI reference for a repository path: every byte outside the
  /// RFC 3986 unreserved set (and `/`) percent-encoded, so spaces, `%`, `#`,
  /// `?`, `:` and non-ASCII names survive.
  static func uriReference(forPath path: String) -> String {
    var output = ""
    for byte in path.utf8 {
      let unreserved =
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
        || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E || byte == 0x2F
      if unreserved {
        output.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        output += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return output
  }

  /// A stable identity for a finding that does not change when the finding's
  /// line moves: FNV-1a (64 bits) of the rule id, the path, the message (every
  /// run of digits read as one `0`) and the content of the line with surrounding
  /// whitespace trimmed.
  static func fingerprint(of diagnostic: Diagnostic, lineText: String?) -> String {
    let trimmedLine = (lineText ?? "").trimmingCharacters(in: .whitespaces)
    var message = ""
    var previousWasDigit = false
    for scalar in diagnostic.message.unicodeScalars {
      let isDigit = scalar.value >= 0x30 && scalar.value <= 0x39
      if !(isDigit && previousWasDigit) { message.unicodeScalars.append(isDigit ? "0" : scalar) }
      previousWasDigit = isDigit
    }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for part in [diagnostic.rule, diagnostic.path, message, trimmedLine] {
      for byte in part.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
      }
      // A separator no UTF-8 text contains, so that ("ab","c") and ("a","bc") differ.
      hash ^= 0xFF
      hash = hash &* 0x0000_0100_0000_01B3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
