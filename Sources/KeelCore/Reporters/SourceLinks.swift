/// Links from a report to the lines of the checked commit on a forge, for the
/// Markdown summary: `SERVER/OWNER/REPO/blob/SHA/PATH#L12`. Made from the
/// GitHub Actions environment in one place (`init?(environment:)`),
/// so that reporters and their tests take the values as they are given.
public struct SourceLinks: Sendable, Hashable {
  /// `https://github.com` (no trailing `/`).
  public var serverURL: String
  /// `owner/name`.
  public var repository: String
  /// The commit the links point into.
  public var commit: String

  /// Nil unless every part is well formed: an `http(s)` server URL without spaces, quotes or
  /// angle brackets, an `owner/name` of letters, digits, `-`, `_` and `.`, and a hexadecimal
  /// commit id. A link is never made from a value that could break out of it.
  public init?(serverURL: String, repository: String, commit: String) {
    var server = serverURL
    while server.hasSuffix("/") { server.removeLast() }
    guard server.hasPrefix("https://") || server.hasPrefix("http://"),
      server.unicodeScalars.allSatisfy({
        $0.value > 0x20 && $0.value < 0x7F && !"\"'<>()[]\\`{}|^".unicodeScalars.contains($0)
      }),
      server.count > "https://".count
    else { return nil }
    let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
    let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    guard parts.count == 2,
      parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy(nameCharacters.contains) })
    else { return nil }
    guard (7...64).contains(commit.count), commit.allSatisfy(\.isHexDigit) else { return nil }
    self.serverURL = server
    self.repository = repository
    self.commit = commit.lowercased()
  }

  /// From `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA` (as GitHub Actions sets them);
  /// nil when one is missing or malformed.
  public init?(environment: [String: String]) {
    guard let server = environment["GITHUB_SERVER_URL"], let repository = environment["GITHUB_REPOSITORY"],
      let commit = environment["GITHUB_SHA"]
    else { return nil }
    self.init(serverURL: server, repository: repository, commit: commit)
  }

  /// The file at the commit, or a line of it (`#L12`); `path` is relative to the repository root
  /// (`ReportPaths.repository`), percent-encoded here.
  public func url(path: String, line: Int? = nil) -> String {
    var url = "\(serverURL)/\(repository)/blob/\(commit)/" + SARIFReporter.uriReference(forPath: path)
    if let line, line > 0 { url += "#L\(line)" }
    return url
  }
}
