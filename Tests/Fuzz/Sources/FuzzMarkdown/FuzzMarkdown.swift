import Foundation
import FuzzDriver
import KeelCore

/// The Markdown body parser (cmark-gfm with tables, task lists, strikethrough, autolinks), alone and
/// in a whole document whose body is cut at `limits.max-markdown-nodes`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkdown(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let bytes = start.map { UnsafeBufferPointer(start: $0, count: count) } ?? UnsafeBufferPointer(start: nil, count: 0)
  let tree = MarkdownParser.parse(String(decoding: bytes, as: UTF8.self), firstLine: 5)
  // A section starts on the line after its heading and may be empty (it then ends on the heading's line).
  for section in tree.sections {
    precondition(section.startLine <= section.endLine + 1, "section \(section.startLine)-\(section.endLine)")
  }
  for heading in tree.headings { precondition(heading.line >= 5, "heading on line \(heading.line), before the body") }
  // A whole document with a small node budget: the body is cut where the estimate passes it.
  var limits = ParseLimits.default
  limits.maxMarkdownNodes = 64
  let document = DocumentParser.parse(path: "specs/a.md", data: Data(bytes), limits: limits)
  for section in document.body.sections {
    precondition(section.startLine <= section.endLine + 1, "section \(section.startLine)-\(section.endLine)")
  }
  if let cut = document.diagnostics.first(where: { $0.message.contains("max-markdown-nodes") })?.line {
    for heading in document.body.headings {
      precondition(heading.line < cut, "heading on line \(heading.line) ≥ \(cut)")
    }
  }
  return 0
}

@_cdecl("FuzzMarkdown_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzMarkdown)
}
