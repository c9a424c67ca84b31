import Foundation
import FuzzDriver
import JSONSchema

/// The JSON Schema compiler and validator: the input is a schema, optionally followed by a NUL byte
/// and an instance; without one, a few small instances are validated. The fast path (`isValid`) and
/// the one that records errors (`validate`) must agree.
let fixedInstances: [JSONValue] = ["null", "0", "-1.5", "\"a\"", "[1, \"b\", null]", #"{"a": 1, "b": [true]}"#].map {
  try! JSONParser.parse($0).value
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let data = FuzzDriver.data(start, count)
  let separator = data.firstIndex(of: 0)
  guard let schemaJSON = try? JSONParser.parse(Data(data[..<(separator ?? data.endIndex)])) else { return 0 }
  var instances = fixedInstances
  if let separator {
    guard let instance = try? JSONParser.parse(Data(data[(separator + 1)...])) else { return 0 }
    instances = [instance.value]
  }
  for draft in [JSONSchemaDraft.draft202012, .draft7] {
    guard let schema = try? SchemaCompiler(defaultDraft: draft, assertFormat: true).compile(schemaJSON) else {
      continue
    }
    for instance in instances {
      let valid = schema.isValid(instance)
      let errors = schema.validate(instance)
      precondition(valid == errors.isEmpty, "isValid says \(valid), validate found \(errors.count) errors")
    }
  }
  return 0
}

@_cdecl("FuzzSchema_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzSchema)
}
