import Foundation
import FuzzDriver
import KeelCore

/// The Markdown body parser (cmark-gfm with tables, task lists, strikethrough, autolinks).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkdown(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let bytes = start.map { UnsafeBufferPointer(start: $0, count: count) } ?? UnsafeBufferPointer(start: nil, count: 0)
  let tree = MarkdownParser.parse(String(decoding: bytes, as: UTF8.self), firstLine: 5)
  // A section starts on the line after its heading and may be empty (it then ends on the heading's line).
  for section in tree.sections {
    precondition(section.startLine <= section.endLine + 1, "section \(section.startLine)-\(section.endLine)")
  }
  for heading in tree.headings { precondition(heading.line >= 5, "heading on line \(heading.line), before the body") }
  return 0
}

@_cdecl("FuzzMarkdown_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run(argc, argv, fuzzMarkdown)
}
