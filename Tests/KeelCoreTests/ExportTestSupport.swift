import Foundation
import KeelCore
import KeelTestSupport
import Testing

enum ExportFixtures {
  static let source = ExportSource(
    label: "v1 (abc1234)", revision: "abc1234def5678abc1234def5678abc1234def56",
    date: Date(timeIntervalSince1970: 1_775_900_000))

  static let config = SharedFixtures.exportKeelYAML

  /// Names with commas, quotes and non-ASCII letters, on purpose.
  static let people = """
    people:
      - {id: ana, name: "Ana María Núñez"}
      - {id: bo, name: "Bo \\"The Boss\\" Li"}
      - {id: chen, name: "Chen, Wei"}
      - {id: zoë, name: Zoë Müller}
    teams:
      - {id: data, name: "Data, Analytics", members: [chen, zoë]}
    """

  static let checkout = """
    title: Checkout, "web" & app
    activities:
      - id: approve
        name: Approve a PRD, then "ship" it
        R: [ana]
        A: bo
        C: [data]
        I: [zoë]
      - id: release
        name: Release
        R: [ana, bo]
        A: ana
    """

  static let growth = """
    title: Growth
    activities:
      - id: test
        name: Run an A/B test
        R: zoë
        A: ana
        I: [data, ghost]
    """

  static let glossary = """
    terms:
      - term: checkout
        definition: From basket to order.
        aliases: [checkout flow]
        avoid: [purchase funnel]
        see: [Basket]
      - term: Basket
        definition: Items, "kept" across sessions; see also <Checkout>.
        avoid: [cart, trolley]
        see: [Checkout, Funnel]
      - term: Äpfel
        definition: Non-ASCII sorts after Z by code point, before nothing else.
      - term: Basket!
        definition: A term whose anchor would collide with Basket's.
    """

  static func files(checkout: String = checkout, growth: String = growth) -> [String: String] {
    [
      "keel.yaml": config, "people.yaml": people, "glossary.yaml": glossary, "raci/checkout.yaml": checkout,
      "raci/growth.yaml": growth,
    ]
  }

  static func raci(_ files: [String: String] = files(), source: ExportSource = source) throws -> RACIExport {
    let (export, problems) = try RACIExport.load(from: MemorySnapshot(texts: files), source: source)
    #expect(problems.isEmpty, "\(problems)")
    return export
  }

  static func glossary(_ files: [String: String] = files()) throws -> GlossaryExport {
    try GlossaryExport.load(from: MemorySnapshot(texts: files), source: source).0
  }
}

/// Runs Python's `csv` module over `text` and returns the rows it reads.
func readCSVWithPython(_ text: String) throws -> [[String]] {
  let script = """
    import csv, io, json, sys
    data = sys.stdin.buffer.read().decode("utf-8")
    print(json.dumps(list(csv.reader(io.StringIO(data, newline="")))))
    """
  let result = try TestProcess.run("/usr/bin/env", ["python3", "-c", script], input: Data(text.utf8))
  guard result.status == 0 else { throw ExportTestError("python3 csv failed: \(result.stderr)") }
  return try JSONDecoder().decode([[String]].self, from: result.stdoutData)
}

/// True when `python3` can be started (the CSV tests need it).
let pythonAvailable: Bool = {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", "import csv"]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}()

struct ExportTestError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
