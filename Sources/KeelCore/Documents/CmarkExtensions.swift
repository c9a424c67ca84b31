import CCmarkGFM
import Foundation

/// The cmark-gfm extensions a body is parsed with, attached only when the body may use them.
///
/// The autolink extension is the costliest: its special characters `w` and `:` cut a text node at
/// every `w` of the prose (cmark joins them again later). A body without `www.`, `://` or `@`
/// cannot hold an autolink (a URL autolink needs `://`, a www one `www.`, an email one `@`), and is
/// parsed without it: the same tree, in two thirds of cmark's time. Likewise a body without `~`
/// has no strikethrough.
///
/// cmark-gfm keeps the special characters in one table for the whole process, and each parse adds
/// its extensions' characters when its inline parsing starts and takes them out when it ends: a
/// parse that ended took `~`, `:` and `w` away from one still running on another core, which then
/// read `~~a~~` or a bare URL as text. So the autolink extension keeps no characters of its own
/// (`:` and `w` are on while at least one parse that attached it runs), and bodies with a `~` end
/// their parses one at a time (cmark finds the extension of a `~~` delimiter through the
/// extension's characters, so strikethrough keeps its own).
enum CmarkExtensions {
  private struct Registered: @unchecked Sendable {
    let table: OpaquePointer?
    let strikethrough: OpaquePointer?
    let autolink: OpaquePointer?
    let tasklist: OpaquePointer?
    /// A parser that is never fed: its one extension holds `:` and `w`, and adding or removing
    /// its characters turns the autolink characters on or off for every parser.
    let autolinkCharacters: OpaquePointer?
  }

  private static let registered: Registered = {
    cmark_gfm_core_extensions_ensure_registered()
    let autolink = cmark_find_syntax_extension("autolink")
    // `:` and `w` move to an extension of their own, which no parse attaches.
    var holder: OpaquePointer?
    if let autolink, let characters = cmark_syntax_extension_new("keel-autolink-characters") {
      cmark_syntax_extension_set_special_inline_chars(autolink, nil)
      // An extension needs an inline matcher to have characters; this one matches nothing.
      cmark_syntax_extension_set_match_inline_func(characters) { _, _, _, _, _ in nil }
      let memory = cmark_get_default_mem_allocator()
      var list: UnsafeMutablePointer<cmark_llist>?
      for character in ":w".utf8 {
        list = cmark_llist_append(memory, list, UnsafeMutableRawPointer(bitPattern: Int(character)))
      }
      cmark_syntax_extension_set_special_inline_chars(characters, list)
      holder = cmark_parser_new(CMARK_OPT_DEFAULT)
      if let holder { cmark_parser_attach_syntax_extension(holder, characters) }
    }
    return Registered(
      table: cmark_find_syntax_extension("table"), strikethrough: cmark_find_syntax_extension("strikethrough"),
      autolink: autolink,
      tasklist: cmark_find_syntax_extension("tasklist"), autolinkCharacters: holder)
  }()

  private static let autolinkLock = NSLock()
  /// Parses that attached the autolink extension and have not finished.
  private nonisolated(unsafe) static var autolinkParses = 0
  /// Held by a parse with strikethrough while it finishes (while its `~` is in cmark's table).
  private static let strikethroughLock = NSLock()

  /// Parses `body` with `parser`: attaches the extensions the body may use, feeds it and finishes.
  /// `tables: false` leaves tables out; `allExtensions: true` attaches strikethrough and autolink
  /// whatever the body.
  static func parse(
    _ parser: OpaquePointer, body: UnsafeBufferPointer<UInt8>, tables: Bool, allExtensions: Bool = false
  ) -> OpaquePointer? {
    let extensions = registered
    let autolink = allExtensions || mayHoldAutolink(body)
    let strikethrough =
      allExtensions || body.baseAddress.map { memchr($0, Int32(UInt8(ascii: "~")), body.count) != nil } ?? false
    for extensionPointer in [
      tables ? extensions.table : nil, strikethrough ? extensions.strikethrough : nil,
      autolink ? extensions.autolink : nil, extensions.tasklist,
    ] {
      if let extensionPointer { cmark_parser_attach_syntax_extension(parser, extensionPointer) }
    }
    body.withMemoryRebound(to: CChar.self) { chars in
      if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
    }
    let characters = autolink ? extensions.autolinkCharacters : nil
    if let characters {
      autolinkLock.withLock {
        if autolinkParses == 0 { cmark_manage_extensions_special_characters(characters, 1) }
        autolinkParses += 1
      }
    }
    defer {
      if let characters {
        autolinkLock.withLock {
          autolinkParses -= 1
          if autolinkParses == 0 { cmark_manage_extensions_special_characters(characters, 0) }
        }
      }
    }
    return strikethrough ? strikethroughLock.withLock { cmark_parser_finish(parser) } : cmark_parser_finish(parser)
  }

  /// Whether the autolink extension could find anything in `body`: a `www.`, a `://` or an `@`.
  static func mayHoldAutolink(_ body: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = body.baseAddress, !body.isEmpty else { return false }
    if memchr(base, Int32(UInt8(ascii: "@")), body.count) != nil { return true }
    /// Whether `byte` occurs at an offset where `matches` holds (memchr skips the other bytes).
    func occurs(_ byte: UInt8, where matches: (Int) -> Bool) -> Bool {
      var offset = 0
      while offset < body.count, let found = memchr(base + offset, Int32(byte), body.count - offset) {
        let index = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        if matches(index) { return true }
        offset = index + 1
      }
      return false
    }
    let slash = UInt8(ascii: "/")
    let w = UInt8(ascii: "w")
    return occurs(UInt8(ascii: ":")) { $0 + 2 < body.count && body[$0 + 1] == slash && body[$0 + 2] == slash }
      || occurs(UInt8(ascii: ".")) { $0 >= 3 && body[$0 - 1] == w && body[$0 - 2] == w && body[$0 - 3] == w }
  }
}
