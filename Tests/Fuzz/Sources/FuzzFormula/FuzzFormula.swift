import Foundation
import FuzzDriver
import KeelCore

/// A score's formula (`kinds.<k>.scores`): bytes → a formula, or a syntax error at a character of
/// the input. Whatever parses is evaluated (every field 0, then every field 1), which must give a
/// value, a division by zero or an overflow, never a crash; names are what the grammar allows.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormula(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let text = String(decoding: FuzzDriver.data(start, count), as: UTF8.self)
  let formula: Formula
  do { formula = try Formula.parse(text) } catch {
    precondition(error.offset >= 0 && error.offset <= max(text.count, Formula.maxLength), "offset \(error.offset)")
    precondition(!error.message.isEmpty)
    return 0
  }
  precondition(text.count <= Formula.maxLength)
  for name in formula.fields {
    precondition(name.first.map { $0.isASCII && $0.isLetter } == true, "field '\(name)'")
    precondition(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    precondition(name.last != "-", "field '\(name)' ends with '-'")
  }
  for value in [0.0, 1.0] {
    if case .value(let result) = formula.evaluate(Dictionary(uniqueKeysWithValues: formula.fields.map { ($0, value) }))
    {
      precondition(result.isFinite)
    }
  }
  return 0
}

@_cdecl("FuzzFormula_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzFormula)
}
