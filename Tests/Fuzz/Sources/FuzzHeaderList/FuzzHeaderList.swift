import Foundation
import FuzzDriver
import KeelCore

/// The `header: list` reader: bytes → the `- Key: value` fields of an RFC-style Markdown file, with
/// their positions, and the body after them; the scalar reader of `history` and `metrics` on the
/// same bytes; and `keel transition`'s byte-preserving edit of every string field, which must read
/// back with only that field changed (or refuse with an error, never crash).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeaderList(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let data = FuzzDriver.data(start, count)
  let path = "text/0000-fuzz.md"
  let document = DocumentParser.parse(path: path, data: data, kind: "rfc", format: .headerList)
  // An upper bound of the line count, whatever ends lines (`\n`, `\r\n` or a lone `\r`).
  let lines = data.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") || $1 == UInt8(ascii: "\r") ? 1 : 0) }
  guard case .object(let fields)? = document.frontMatter?.value else { return 0 }
  for (name, value) in fields {
    // Every field keeps a position inside the file.
    guard let position = document.position(ofField: name) else { fatalError("no position for '\(name)'") }
    precondition(position.line >= 1 && position.line <= lines, "position \(position) outside \(lines) lines")
    guard case .string = value else { continue }
    if let edited = try? FrontMatterEditor.replacingValue(
      of: name, with: "implementable", in: data, path: path, format: .headerList)
    {
      let reread = DocumentParser.parse(path: path, data: edited, kind: "rfc", format: .headerList)
      precondition(reread.field(name) == "implementable", "the edit of '\(name)' did not read back")
    }
  }
  _ = FrontMatterScalars.read(data, path: path, format: .headerList)
  return 0
}

@_cdecl("FuzzHeaderList_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzHeaderList)
}
