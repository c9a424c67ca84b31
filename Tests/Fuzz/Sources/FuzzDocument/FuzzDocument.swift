import Foundation
import FuzzDriver
import KeelCore

/// The document parser entry: bytes → front matter (YAML) and Markdown body, with every diagnostic;
/// the same bytes as a whole YAML file (keel.yaml, RACI, glossary, people, workflows) and through
/// the front-matter scalar reader of `history` and `metrics`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocument(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let data = FuzzDriver.data(start, count)
  let document = DocumentParser.parse(path: "specs/fuzz.md", data: data, kind: "prd")
  for name in ["title", "status", "owner"] {
    _ = document.field(name)
    _ = document.position(ofField: name)
  }
  _ = YAMLReader.read(data: data, path: "keel.yaml")
  // The fast reader of front-matter scalars that history and metrics use for every version of a file.
  _ = FrontMatterScalars.read(data, path: "specs/fuzz.md")
  return 0
}

@_cdecl("FuzzDocument_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzDocument)
}
