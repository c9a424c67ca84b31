import KeelTestSupport
import Testing

@testable import KeelCore

@Suite("Line table")
struct LineTableTests {
  /// The table of a body cut from a file's table (from a line start to a line start or the end)
  /// is the one built from the body's bytes.
  @Test func aBodyCutFromTheFileTableIsTheTableOfTheBody() {
    var random = SeededGenerator(state: 3)
    let pieces = ["a", "word ", "é", "\n", "\r\n", "\r", "\t", "  ", "---", "→", ""]
    var texts = ["", "\n", "\r\n", "a", "a\n", "a\r", "a\r\nb", "é\n\nb\r"]
    for _ in 0..<300 {
      texts.append(
        (0..<Int(random.next() % 40)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined())
    }
    for text in texts {
      let file = LineTable(Array(text.utf8))
      let boundaries = file.lineStarts + [file.bytes.count]
      for start in file.lineStarts {
        for end in boundaries where end >= start {
          let cut = LineTable(start..<end, of: file)
          let built = LineTable(Array(file.bytes[start..<end]))
          #expect(cut.bytes == built.bytes)
          #expect(cut.lineStarts == built.lineStarts, "\(text.debugDescription) \(start)..<\(end)")
          for line in 0...(built.lineCount + 1) {
            #expect(cut.contentRange(ofLine: line) == built.contentRange(ofLine: line))
            for offset in 0...4 {
              #expect(
                cut.scalarColumn(line: line, byteOffsetInLine: offset)
                  == built.scalarColumn(line: line, byteOffsetInLine: offset))
            }
          }
        }
      }
    }
  }
}
