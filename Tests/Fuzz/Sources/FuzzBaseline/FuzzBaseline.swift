import Foundation
import FuzzDriver
import KeelCore

/// The baseline decoder (`.keel-baseline.json`). What it accepts, written back with `rendered()`,
/// must read back as the same baseline, and a check that finds exactly the recorded findings must
/// match every entry: none new, none gone.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBaseline(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let baseline = try? Baseline.parse(FuzzDriver.data(start, count)) else { return 0 }
  let text = baseline.rendered()
  guard let again = try? Baseline.parse(Data(text.utf8)) else {
    preconditionFailure("rendered() wrote a baseline that does not read back: \(text)")
  }
  precondition(again == baseline, "a round trip changed the baseline into \(text)")
  let findings = baseline.entries.map { entry in
    RuleDescriptor(id: entry.rule, summary: "").finding(entry.message, path: entry.path, line: max(1, entry.line))
  }
  let comparison = baseline.compare(findings, fingerprints: baseline.entries.map(\.fingerprint))
  precondition(
    comparison.new.isEmpty && comparison.gone.isEmpty && comparison.kept.count == baseline.entries.count,
    "the recorded findings did not all match their own entries")
  return 0
}

@_cdecl("FuzzBaseline_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzBaseline)
}
