import Foundation
import KeelTestSupport
import Testing

/// Headless Chromium, when installed (Debian package `chromium`).
enum Chromium {
  static let path: String? = {
    var candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    if let configured = ProcessInfo.processInfo.environment["CHROMIUM"] { candidates.insert(configured, at: 0) }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  static let missing =
    "Chromium is not installed (apt-get install -y chromium, or set CHROMIUM=/path); browser tests skipped"

  /// Runs Chromium headless on a local file with a throwaway profile and no network.
  static func run(_ arguments: [String], file: URL) throws -> ProcessResult {
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("keel-chromium-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: profile) }
    let common = [
      "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio",
      "--disable-extensions", "--user-data-dir=\(profile.path)", "--proxy-server=127.0.0.1:9",
      "--proxy-bypass-list=<-loopback>", "--force-device-scale-factor=1",
    ]
    return try runProcess(path!, common + arguments + [file.absoluteString])
  }

  /// The DOM after the page loaded and had time to run anything it would run.
  static func dumpDOM(_ file: URL) throws -> String {
    try run(["--virtual-time-budget=2000", "--dump-dom"], file: file).stdout
  }

  static func screenshot(_ file: URL, to png: URL, width: Int, height: Int) throws {
    _ = try run(["--window-size=\(width),\(height)", "--screenshot=\(png.path)"], file: file)
  }
}

/// Width and height from a PNG's IHDR chunk; nil when the bytes are not a PNG.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
  let bytes = [UInt8](data.prefix(24))
  guard bytes.count == 24, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    bytes[12..<16].elementsEqual(Array("IHDR".utf8))
  else { return nil }
  func big(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 << 8 | Int($1) } }
  return (big(16..<20), big(20..<24))
}

@Suite(
  "HTML exports in headless Chromium", .serialized,
  .enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.missing)))
struct ExportBrowserTests {
  /// Definitions, names and titles that would run script if anything were not escaped. The
  /// `alert` ones are the classic probes; the others change the page, which `--dump-dom` shows.
  static let payloads = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "<script>document.title='PWNED-script'</script>",
    "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
    "'><svg onload=\"document.title='PWNED-svg'\"></svg>",
    "</textarea></title><script>document.title='PWNED-close'</script>",
    "<a href=\"javascript:document.title='PWNED-link'\">x</a>",
  ]

  static func hostileRepository() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("keel.yaml", ExportRepositoryFixtures.keelYAML)
    try repo.write(
      "people.yaml",
      ExportRepositoryFixtures.people + "\n  - {id: evil, name: \(yamlString(payloads[3])), members: [alice]}\n")
    var glossary = "terms:\n"
    for (index, payload) in payloads.enumerated() {
      glossary += "  - term: \(yamlString("Term \(index) " + payload))\n"
      glossary += "    definition: \(yamlString(payload))\n"
      glossary += "    aliases: [\(yamlString(payload))]\n"
      glossary += "    avoid: [\(yamlString(payload))]\n"
      glossary += "    see: [\(yamlString(payload)), \(yamlString("Term 0 " + payloads[0]))]\n"
    }
    try repo.write("glossary.yaml", glossary)
    var raci = "title: \(yamlString(payloads[2]))\ndescription: \(yamlString(payloads[1]))\nactivities:\n"
    for (index, payload) in payloads.enumerated() {
      raci += "  - id: \(yamlString("a\(index)" + payload))\n    name: \(yamlString(payload))\n"
      raci += "    R: [\(yamlString(payload)), evil]\n    A: alice\n"
    }
    try repo.write("raci/evil.yaml", raci)
    try repo.commitAll("hostile content")
    return repo
  }

  static func yamlString(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// Checks a loaded page ran nothing: no element a payload would create, no title or body change.
  static func expectNothingRan(_ dom: String, title: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
      dom.contains("<title>\(title)</title>"), "the title changed: \(dom.prefix(400))", sourceLocation: sourceLocation)
    #expect(!dom.contains("<title>PWNED"), sourceLocation: sourceLocation)
    for element in ["<script", "<img", "<svg", "<textarea", "<a href=\"javascript:"] {
      #expect(!dom.lowercased().contains(element), "\(element) in the DOM", sourceLocation: sourceLocation)
    }
    #expect(!dom.contains("data-pwned="), sourceLocation: sourceLocation)
    #expect(
      dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the payload is shown as text",
      sourceLocation: sourceLocation)
  }

  @Test("the harness sees script that does run (control)")
  func control() throws {
    let folder = try TestRepository(plainFolder: ())
    let page = folder.url.appendingPathComponent("control.html")
    try Data(
      "<!DOCTYPE html><title>Before</title><body><script>document.title='PWNED-control';document.body.setAttribute('data-pwned','1')</script>"
        .utf8
    ).write(to: page)
    let dom = try Chromium.dumpDOM(page)
    #expect(dom.contains("<title>PWNED-control</title>"), "\(dom)")
    #expect(dom.contains("data-pwned=\"1\""))
  }

  @Test("a glossary with <script> and onerror payloads runs no script", arguments: ["glossary", "raci"])
  func noScript(_ what: String) throws {
    let repo = try Self.hostileRepository()
    let page = repo.url.appendingPathComponent("\(what).html")
    let export = try repo.keel(["export", what, "--at", "HEAD", "--format", "html", "--output", page.path])
    #expect(export.status == 0, "\(export.stderr)")
    let html = try String(contentsOf: page, encoding: .utf8)
    Self.expectNothingRan(try Chromium.dumpDOM(page), title: what == "raci" ? "RACI matrices" : "Glossary")

    // Escaping alone is enough: without the Content-Security-Policy, still nothing runs.
    let unprotected = repo.url.appendingPathComponent("\(what)-no-csp.html")
    let stripped = html.split(separator: "\n").filter { !$0.contains("Content-Security-Policy") }.joined(
      separator: "\n")
    #expect(stripped != html)
    try Data(stripped.utf8).write(to: unprotected)
    Self.expectNothingRan(try Chromium.dumpDOM(unprotected), title: what == "raci" ? "RACI matrices" : "Glossary")
  }

  @Test("--by-person and --diff pages run no script either")
  func otherPages() throws {
    let repo = try Self.hostileRepository()
    try repo.write(
      "raci/evil.yaml", try repo.read("raci/evil.yaml").replacingOccurrences(of: "A: alice", with: "A: bob"))
    try repo.commitAll("change")
    for (name, arguments) in [("by-person", ["--at", "HEAD", "--by-person"]), ("diff", ["--diff", "HEAD~1..HEAD"])] {
      let page = repo.url.appendingPathComponent("\(name).html")
      let export = try repo.keel(["export", "raci", "--format", "html", "--output", page.path] + arguments)
      #expect(export.status == 0, "\(export.stderr)")
      let dom = try Chromium.dumpDOM(page)
      #expect(!dom.contains("<script") && !dom.contains("<img") && !dom.contains("data-pwned="), "\(name)")
      #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(name)")
    }
  }

  @Test("screenshots of the example repository's RACI and glossary pages, on a laptop and a phone")
  func screenshots() throws {
    let example = packageRoot.appendingPathComponent("examples/product-ops")
    let folder = try TestRepository(plainFolder: ())
    let blank = folder.url.appendingPathComponent("blank.html")
    try Data("<!DOCTYPE html><title>blank</title>".utf8).write(to: blank)
    let blankPNG = folder.url.appendingPathComponent("blank.png")
    try Chromium.screenshot(blank, to: blankPNG, width: 1280, height: 1000)
    let blankSize = try Data(contentsOf: blankPNG).count

    let update = ProcessInfo.processInfo.environment["KEEL_UPDATE_SCREENSHOTS"] == "1"
    for what in ["raci", "glossary"] {
      let page = folder.url.appendingPathComponent("\(what).html")
      // A fixed date keeps the page (and docs/*.png) the same from run to run.
      let export = try keel(
        ["export", what, "--format", "html", "--output", page.path], in: example,
        environment: ["SOURCE_DATE_EPOCH": "1775900000"])
      #expect(export.status == 0, "\(export.stderr)")
      for (device, width, height) in [("laptop", 1280, 1000), ("phone", 390, 844)] {
        let png = folder.url.appendingPathComponent("\(what)-\(device).png")
        try Chromium.screenshot(page, to: png, width: width, height: height)
        let data = try Data(contentsOf: png)
        let size = try #require(pngSize(data), "\(what) \(device): not a PNG")
        #expect(size.width == width && size.height == height, "\(what) \(device): \(size)")
        #expect(data.count > blankSize * 3, "\(what) \(device): the page looks blank (\(data.count) bytes)")
        if update && device == "laptop" {
          try data.write(to: packageRoot.appendingPathComponent("docs/\(what).png"))
        }
      }
      let committed = try Data(contentsOf: packageRoot.appendingPathComponent("docs/\(what).png"))
      #expect(pngSize(committed).map { $0.width == 1280 } == true, "docs/\(what).png is a 1280-wide screenshot")
    }
  }
}
