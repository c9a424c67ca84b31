import Foundation
import FuzzDriver
import JSONSchema

/// The JSON parser. What it accepts, written back with `jsonText()`, must parse again and write the
/// same text (numbers beyond `Double`'s range become infinities, which are written as `null`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  guard let parsed = try? JSONParser.parse(FuzzDriver.data(start, count)) else { return 0 }
  let text = parsed.value.jsonText()
  guard let again = try? JSONParser.parse(text) else {
    preconditionFailure("jsonText() wrote unparsable JSON: \(text)")
  }
  precondition(again.value.jsonText() == text, "a round trip changed \(text) into \(again.value.jsonText())")
  return 0
}

@_cdecl("FuzzJSON_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzJSON)
}
