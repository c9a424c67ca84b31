/// JUnit XML, which CI systems show as test results: one test suite `keel`,
/// one test case per reported document, named by its path from the repository
/// root (a document without error-severity findings passes), one `<failure>` per error; warnings and notes go to the
/// test case's `<system-out>`.
public struct JUnitReporter: Reporter {
  public init() {}

  public func render(_ report: Report) -> String {
    var findingsByPath: [String: [Diagnostic]] = [:]
    for diagnostic in report.diagnostics { findingsByPath[diagnostic.path, default: []].append(diagnostic) }
    let paths = report.reportedPaths
    let failing = paths.filter { path in findingsByPath[path, default: []].contains { $0.severity == .error } }.count
    let counts = "tests=\"\(paths.count)\" failures=\"\(failing)\" errors=\"0\""

    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml += "<testsuites name=\"keel\" \(counts)>\n"
    xml += "  <testsuite name=\"keel\" \(counts) skipped=\"0\">\n"
    xml += "    <properties>\n"
    xml += "      <property name=\"source\" value=\"\(TextKit.xml(report.source))\"/>\n"
    xml += "      <property name=\"version\" value=\"\(TextKit.xml(report.toolVersion))\"/>\n"
    xml += "    </properties>\n"
    for path in paths {
      let findings = findingsByPath[path, default: []]
      let testCase = "    <testcase classname=\"keel\" name=\"\(TextKit.xml(report.paths.repository(path)))\""
      if findings.isEmpty {
        xml += testCase + "/>\n"
        continue
      }
      xml += testCase + ">\n"
      for error in findings where error.severity == .error {
        xml += "      <failure type=\"\(TextKit.xml(error.rule))\" message=\"\(TextKit.xml(error.message))\">"
        xml += TextKit.xml(Self.line(for: error, paths: report.paths)) + "</failure>\n"
      }
      let others = findings.filter { $0.severity != .error }
      if !others.isEmpty {
        let text = others.map { Self.line(for: $0, paths: report.paths) }.joined(separator: "\n")
        xml += "      <system-out>" + TextKit.xml(text) + "</system-out>\n"
      }
      xml += "    </testcase>\n"
    }
    xml += "  </testsuite>\n</testsuites>\n"
    return xml
  }

  /// The compiler-style line of a finding, with its related locations.
  private static func line(for diagnostic: Diagnostic, paths: ReportPaths) -> String {
    var text =
      "\(paths.repository(diagnostic.path)):\(diagnostic.line):\(diagnostic.column): \(diagnostic.severity.rawValue): "
    text += "\(diagnostic.message) [\(diagnostic.rule)]"
    for related in diagnostic.related {
      text += "\n\(paths.repository(related.path)):\(related.line):\(related.column): note: \(related.message)"
    }
    return text
  }

}
