/// How a report names files. Findings, fingerprints and the baseline use paths relative to
/// keel.yaml's folder (the keel repository), so that they do not change with where keel runs.
/// What a report shows is one of two others:
/// - `repository(_:)`, for the machine formats (SARIF, GitHub annotations, JUnit, JSON, the
///   Markdown summary and its links): relative to the root of the Git repository, whatever `-C`
///   is and wherever keel.yaml lives (`docs/product/specs/a.md`), so that CI places it;
/// - `local(_:)`, for text: relative to the directory keel runs in (`-C DIR`), as compilers print
///   paths (`../raci/x.yaml` from `specs/`).
public struct ReportPaths: Sendable, Hashable {
  /// keel.yaml's folder relative to the repository root (`["docs", "product"]`); empty when they are one.
  let repositoryPrefix: [String]
  /// The directory keel runs in, below the deepest folder it shares with keel.yaml's.
  let runBelowCommon: [String]
  /// keel.yaml's folder below that shared folder.
  let keelBelowCommon: [String]

  /// Every path shown as it is (keel.yaml's folder is the repository root and keel runs there).
  public init() { self.init(repositoryPrefix: "") }

  /// - Parameters:
  ///   - repositoryPrefix: keel.yaml's folder relative to the repository root (`docs/product`), or empty.
  ///   - keelFolder: keel.yaml's folder, absolute; nil (a bare repository): text shows paths as they are.
  ///   - runDirectory: the directory keel runs in (`-C`), absolute.
  public init(repositoryPrefix: String, keelFolder: String? = nil, runDirectory: String? = nil) {
    self.repositoryPrefix = Self.components(repositoryPrefix)
    guard let keelFolder, let runDirectory else {
      runBelowCommon = []
      keelBelowCommon = []
      return
    }
    let keel = Self.components(keelFolder)
    let run = Self.components(runDirectory)
    let common = zip(keel, run).prefix { $0 == $1 }.count
    runBelowCommon = Array(run[common...])
    keelBelowCommon = Array(keel[common...])
  }

  /// `path` (relative to keel.yaml's folder) relative to the Git repository root.
  public func repository(_ path: String) -> String {
    repositoryPrefix.isEmpty ? path : (repositoryPrefix + Self.components(path)).joined(separator: "/")
  }

  /// `path` (relative to keel.yaml's folder) relative to the directory keel runs in.
  public func local(_ path: String) -> String {
    if runBelowCommon.isEmpty && keelBelowCommon.isEmpty { return path }
    var target = keelBelowCommon + Self.components(path)
    var up = runBelowCommon
    // Running inside keel.yaml's folder: `specs/a.md` from `specs` is `a.md`, not `../specs/a.md`.
    while let first = up.first, first == target.first, target.count > 1 {
      up.removeFirst()
      target.removeFirst()
    }
    return (Array(repeating: "..", count: up.count) + target).joined(separator: "/")
  }

  private static func components(_ path: String) -> [String] {
    path.split(separator: "/").map(String.init).filter { $0 != "." }
  }
}
