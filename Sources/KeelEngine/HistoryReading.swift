import Foundation
import KeelCore
import KeelGit

/// What `history`, `changelog` and `metrics` are asked: where keel runs and how it reads the history.
public struct HistoryRequest: Sendable {
  /// Where keel was started (`-C`).
  public var directory: URL
  /// `--config FILE`.
  public var configurationFile: String?
  /// `--no-cache` turns it off.
  public var useCache = true
  public var output: String?

  public init(directory: URL, configurationFile: String? = nil, useCache: Bool = true, output: String? = nil) {
    self.directory = directory
    self.configurationFile = configurationFile
    self.useCache = useCache
    self.output = output
  }
}

extension Engine {
  /// Without a cache, histories of at least this many commits are read along the path only (what
  /// was found is kept for the next call), and the commit cache is left to the next command that
  /// needs every commit; shorter ones fill the cache at once. `KEEL_PATH_WALK_MINIMUM` sets it (tests).
  static let pathWalkMinimumCommits =
    ProcessInfo.processInfo.environment["KEEL_PATH_WALK_MINIMUM"].flatMap { Int($0) } ?? 2_000

  /// `keel history PATH`: the commits that changed one file (`path`, relative to where keel runs),
  /// from `revision`, with its workflow states, fields and sections.
  /// `since`/`until`: a date or a revision (`HistoryBound`), which stands for its commit's author date.
  public static func history(
    _ request: HistoryRequest, path: String, revision: String, since sinceText: String? = nil,
    until untilText: String? = nil, reverse: Bool, allParents: Bool, format: DocumentHistoryReport.Format
  ) throws {
    let session = try HistorySession(request)
    let since = try sinceText.map { try session.date(of: HistoryBound($0, option: "--since"), option: "--since") }
    let until = try untilText.map { try session.date(of: HistoryBound($0, option: "--until"), option: "--until") }
    let repositoryPath = try session.repositoryPath(of: path)
    let configuration = session.configuration(at: revision)
    // States are read as metrics, changelog and workflow/stale read them (`DocumentStates`), with the
    // workflow of the document asked about, also in the versions it had under other paths.
    // What earlier runs learned of each version (its state, fields and sections) is kept under .git/keel.
    let scalars = session.scalarCache
    let factsCache = session.factsCache
    defer {
      scalars.save()
      factsCache.save()
    }
    let states = DocumentStates(configuration: configuration, prefix: session.workspace.prefix, scalars: scalars)
    let prefix = states.prefix
    func history(of repositoryPath: String, workflow: WorkflowInfo?) throws -> DocumentHistoryReport {
      var versions: PathHistoryWalk.Result?
      if session.useCache,
        let cached = try session.cachedVersions(of: repositoryPath, at: revision, allParents: allParents)
      {
        // The cache is up to date for this revision: read the path's commits straight from it.
        versions = cached
      } else if session.useCache, let tip = try? session.repository.resolveCommitID(revision),
        let kept = PathVersionsCache.versions(
          of: repositoryPath, tip: tip, allParents: allParents, repository: session.repository,
          damaged: HistorySession.noteDamagedCache)
      {
        // An earlier call walked this path from this commit.
        versions = kept
      } else if !(session.useCache && HistoryGraph.hasCache(in: session.repository)) {
        // No cache yet: follow the one path through Git (as git log does), and keep what it found for
        // the next call. On a long history the next changelog, metrics or check fills the commit
        // cache; on a short one, filling it now costs little.
        let walk = try session.pathWalk(of: repositoryPath, at: revision, allParents: allParents)
        if !session.useCache || walk.walkedCommits >= pathWalkMinimumCommits { versions = walk }
        if session.useCache, walk.walkedCommits >= pathWalkMinimumCommits,
          let tip = try? session.repository.resolveCommitID(revision)
        {
          PathVersionsCache.store(
            walk, of: repositoryPath, tip: tip, allParents: allParents, repository: session.repository)
        }
      }
      if let versions {
        let read = { (blob: String) throws -> Data in try versions.readBlob(blob) }
        return DocumentHistory.build(
          path: repositoryPath, versions: versions.versions, truncated: versions.isTruncated, read: read,
          since: since, state: { states.state(ofBlob: $0, at: $1, workflow: workflow, read: read) },
          format: states.format(of:), facts: factsCache)
      }
      let graph = try session.graph(at: revision)
      let read = { (blob: String) throws -> Data in try graph.readBlob(blob) }
      return DocumentHistory.build(
        path: repositoryPath, source: graph, allParents: allParents, since: since,
        state: { states.state(ofBlob: $0, at: $1, workflow: workflow, read: read) }, format: states.format(of:),
        facts: factsCache)
    }
    var report: DocumentHistoryReport
    // A folder document: one timeline of its metadata and body files.
    if repositoryPath.hasPrefix(prefix),
      let files = configuration.folderFiles(of: String(repositoryPath.dropFirst(prefix.count)))
    {
      let workflow = states.kind(ofDocument: prefix + files.metadata)?.workflow
      report = try history(of: prefix + files.metadata, workflow: workflow)
      if let body = files.body { report = report.merged(with: try history(of: prefix + body, workflow: workflow)) }
      report.path = repositoryPath
    } else {
      report = try history(of: repositoryPath, workflow: states.kind(ofDocument: repositoryPath)?.workflow)
    }
    if let until { report.events.removeAll { $0.date > until } }
    if report.events.isEmpty, since == nil, until == nil,
      !FileManager.default.fileExists(atPath: URL(fileURLWithPath: path, relativeTo: request.directory).path),
      !(try session.repository.treeSnapshot(at: revision).contains(repositoryPath))
    {
      // Not in the revision, never changed by a commit, not on disk: a typo, not an empty history.
      throw KeelError("\(path): no such file or folder in \(revision) or its history")
    }
    if reverse { report.events.reverse() }
    session.noteTruncation(report.truncated)
    try Output.emit(report.render(format), to: request.output, relativeTo: request.directory)
  }

  /// `keel changelog`: the documents changed in `since..until`, by kind and state transition.
  /// `since`/`until`: a revision (the range `SINCE..UNTIL`, as `git log`) or a date (the commits of
  /// `UNTIL`'s history, or HEAD's, authored on or after / on or before it).
  public static func changelog(
    _ request: HistoryRequest, since: String?, until: String, format: ChangelogReport.Format?
  ) throws {
    let format = try ChangelogReport.Format.resolve(format, output: request.output, default: .markdown)
    let session = try HistorySession(request)
    let end = try HistoryBound(until, option: "--until")
    let tip = if case .revision(let revision) = end { revision } else { "HEAD" }
    let configuration = try session.requiredConfiguration(at: tip)
    let graph = try session.graph(at: tip)
    var records = graph.records
    if let since {
      switch try HistoryBound(since, option: "--since") {
      case .revision(let revision):
        records = graph.records(excludingAncestorsOf: try session.commitID(revision, option: "--since"))
      case .date(let date): records.removeAll { $0.commit.authorDate < date }
      }
    }
    if case .date(let date) = end { records.removeAll { $0.commit.authorDate > date } }
    let scalars = session.scalarCache
    let renames = session.renameCache
    defer {
      scalars.save()
      renames.save()
    }
    let builder = TimelineBuilder(
      configuration: configuration, prefix: session.workspace.prefix, scalars: scalars, renames: renames)
    let timelines = builder.timelines(records: records, source: graph, states: .endpoints)
    let prefix = builder.prefix
    let tipTree =
      timelines.contains { $0.entries.last?.isBodyChange == true } ? try? session.repository.treeSnapshot(at: tip) : nil
    let report = Changelog.build(
      timelines: timelines, kindOrder: configuration.kindNames, since: since, until: until,
      truncated: graph.isTruncated,
      title: { entry in
        let read = { (blob: String) throws -> Data in try graph.readBlob(blob) }
        guard let blob = entry.newBlob ?? entry.oldBlob else {
          // A folder document whose body file alone changed: the title of its metadata file at the tip.
          guard entry.isBodyChange, let id = tipTree?.blobID(prefix + entry.path) else { return nil }
          return builder.states.fields(ofBlob: id, at: prefix + entry.path, read: read)["title"]
        }
        return builder.states.fields(ofBlob: blob, at: prefix + entry.path, read: read)["title"]
      })
    session.noteTruncation(graph)
    try Output.emit(report.render(format), to: request.output, relativeTo: request.directory)
  }

  /// `keel metrics`: time in state, lead times, SLA breaches, throughput and flow of `revision`'s history.
  /// `since`/`until`: a date or a revision (`HistoryBound`), which stands for its commit's author date;
  /// with `until`, the report is the one made at that moment: changes authored after it are left out
  /// and ages are measured there (or at `now`, if that is earlier).
  public static func metrics(
    _ request: HistoryRequest, revision: String, since sinceText: String?, until untilText: String? = nil, now: Date,
    format: MetricsReport.Format?
  ) throws {
    let format = try MetricsReport.Format.resolve(format, output: request.output, default: .text)
    let session = try HistorySession(request)
    let since = try sinceText.map { try session.date(of: HistoryBound($0, option: "--since"), option: "--since") }
    let until = try untilText.map { try session.date(of: HistoryBound($0, option: "--until"), option: "--until") }
    let configuration = try session.requiredConfiguration(at: revision)
    let graph = try session.graph(at: revision)
    let scalars = session.scalarCache
    let renames = session.renameCache
    defer {
      scalars.save()
      renames.save()
    }
    let builder = TimelineBuilder(
      configuration: configuration, prefix: session.workspace.prefix, scalars: scalars, renames: renames)
    var timelines = builder.timelines(records: graph.records, source: graph)
    if let until {
      timelines = timelines.compactMap { timeline in
        var kept = timeline
        kept.entries.removeAll { $0.date > until }
        return kept.entries.isEmpty ? nil : kept
      }
    }
    // The RACI matrices of the revision, read only when a waiting document's workflow names a RACI activity.
    var raci: RACIIndex??
    func accountable(activity: String, owner: String?) -> String? {
      if raci == nil { raci = .some(try? session.raci(at: revision)) }
      return raci??.accountable(forActivity: activity, owner: owner)
    }
    let report = Metrics.compute(
      timelines: timelines, now: until.map { min($0, now) } ?? now, since: since, truncated: graph.isTruncated
    ) { timeline in
      // The owner in the document's latest version (a folder document's: its metadata file's).
      let version = timeline.entries.last { $0.newBlob != nil }
      let owner = version.flatMap { version in
        builder.states.fields(
          ofBlob: version.newBlob!, at: builder.prefix + version.path, read: { try graph.readBlob($0) }
        )["owner"]
      }
      return (owner, timeline.workflow.raciActivity.flatMap { accountable(activity: $0, owner: owner) })
    }
    session.noteTruncation(graph)
    if let note = report.outOfRangeNote { Output.warn("note: \(note)") }
    try Output.emit(report.render(format), to: request.output, relativeTo: request.directory)
  }
}

/// What history, changelog and metrics share: the repository, the cached commit graph, progress
/// on a terminal, keel.yaml at the revision being read.
struct HistorySession {
  let directory: URL
  let workspace: Workspace
  let repository: Repository
  let useCache: Bool

  init(_ request: HistoryRequest) throws {
    directory = request.directory
    workspace = try Workspace(directory: request.directory, configurationFile: request.configurationFile)
    repository = try workspace.requireRepository(for: "history")
    useCache = request.useCache
    if repository.isHeadUnborn { throw KeelError("HEAD has no commits yet; there is no history") }
  }

  /// The commits reachable from `revision`, read through the cache, with progress on stderr when
  /// it is a terminal and the walk takes more than a couple of seconds.
  func graph(at revision: String) throws -> HistoryGraph {
    let progress = WalkProgress()
    defer { progress.finish() }
    let graph = try HistoryGraph.load(
      repository: repository, revision: revision, useCache: useCache, progress: progress.report,
      damagedCache: Self.noteDamagedCache)
    KeptUntilExit.keep(graph)  // freeing thousands of records just before exiting only costs time
    return graph
  }

  /// The versions of one path from a cache written for `revision`; nil when there is none.
  func cachedVersions(of path: String, at revision: String, allParents: Bool) throws -> PathHistoryWalk.Result? {
    try HistoryGraph.cachedVersions(
      of: path, repository: repository, revision: revision, allParents: allParents,
      damagedCache: Self.noteDamagedCache)
  }

  /// The versions of one path, read from Git along that path only (no cache).
  func pathWalk(of path: String, at revision: String, allParents: Bool) throws -> PathHistoryWalk.Result {
    let progress = WalkProgress()
    defer { progress.finish() }
    return try PathHistoryWalk.versions(
      of: path, repository: repository, revision: revision, allParents: allParents, progress: progress.report)
  }

  /// keel.yaml and its workflows at `revision` (keel.yaml's folder in the working tree decides which
  /// folder of the repository is the keel repository), or `--config`'s, or, for a revision from
  /// before keel.yaml was added, HEAD's (`Workspace.configuration(for:)`). No keel.yaml anywhere: no
  /// kinds and no states.
  func configuration(at revision: String) -> HistoryConfiguration {
    guard let snapshot = try? workspace.revision(revision) else { return .none }
    let keelFiles: Snapshot
    do { keelFiles = try workspace.configuration(for: snapshot) ?? snapshot } catch { return .none }
    do { return try HistoryConfiguration.load(from: keelFiles) } catch {
      Output.warn("warning: ignoring keel.yaml at \(revision): \(error)")
      return .none
    }
  }

  /// Like `configuration(at:)`, but a missing or broken keel.yaml is an error (changelog, metrics).
  /// The one configuration is applied to the whole range, also to commits from before keel.yaml.
  func requiredConfiguration(at revision: String) throws -> HistoryConfiguration {
    let snapshot = try workspace.revision(revision)
    return try HistoryConfiguration.load(from: try workspace.configuration(for: snapshot) ?? snapshot)
  }

  /// The RACI matrices of `revision` (keel.yaml's `raci:` globs as for `requiredConfiguration`), not validated.
  func raci(at revision: String) throws -> RACIIndex {
    let snapshot = try workspace.revision(revision)
    let config = try KeelConfig.load(from: try workspace.configuration(for: snapshot) ?? snapshot)
    return try RACIIndex.load(config: config, snapshot: snapshot, allPaths: try snapshot.paths(), validate: false).0
  }

  /// Where the scalar cache lives (next to the commit cache).
  var scalarCache: ScalarCache { Self.scalarCache(repository: repository, useCache: useCache) }

  /// Where the facts of the versions `keel history` showed live (next to the commit cache).
  var factsCache: FactsCache {
    FactsCache(
      file: useCache ? repository.commonDirectory.appendingPathComponent("keel/history-facts.bin") : nil,
      damaged: Self.noteDamagedCache)
  }

  /// Where the renames found in earlier runs are kept (next to the commit cache).
  var renameCache: RenameCache { Self.renameCache(repository: repository, useCache: useCache) }

  static func renameCache(repository: Repository, useCache: Bool) -> RenameCache {
    RenameCache(repository: useCache ? repository : nil, damaged: noteDamagedCache)
  }

  static func scalarCache(repository: Repository, useCache: Bool) -> ScalarCache {
    ScalarCache(
      file: useCache ? repository.commonDirectory.appendingPathComponent("keel/history-scalars.bin") : nil,
      damaged: noteDamagedCache)
  }

  /// A cache file whose checksum or content was wrong: it has been discarded, and the answer comes
  /// from Git (the cache is rebuilt).
  @Sendable static func noteDamagedCache(_ file: URL) {
    Output.warn("note: the history cache \(file.path) was damaged; it was discarded and is rebuilt from Git")
  }

  /// The moment a `--since`/`--until` stands for: the date, or the revision's commit's author date.
  func date(of bound: HistoryBound, option: String) throws -> Date {
    switch bound {
    case .date(let date): date
    case .revision(let revision): try repository.commit(id: commitID(revision, option: option)).authorDate
    }
  }

  /// The commit a `--since`/`--until` revision names; one that names none is neither a date nor a revision.
  func commitID(_ revision: String, option: String) throws -> String {
    do { return try repository.resolveCommitID(revision) } catch {
      throw KeelError(
        "\(option): '\(revision)' is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS+HH:MM) "
          + "nor a revision (\(error))")
    }
  }

  /// A PATH argument (relative to where keel runs) as a repository path.
  func repositoryPath(of argument: String) throws -> String {
    guard let top = repository.workingDirectory?.resolvingSymlinksInPath().standardizedFileURL.path else {
      return argument.split(separator: "/").joined(separator: "/")
    }
    let absolute = URL(fileURLWithPath: argument, relativeTo: directory).standardizedFileURL
    var resolved = absolute.path
    // Resolve symbolic links in the folders (e.g. /tmp on macOS), but not in the file itself, which may be gone.
    let folder = absolute.deletingLastPathComponent().resolvingSymlinksInPath().standardizedFileURL.path
    resolved = folder + "/" + absolute.lastPathComponent
    guard resolved.hasPrefix(top + "/") else {
      throw UsageError("\(argument) is outside the repository at \(top)")
    }
    return String(resolved.dropFirst(top.count + 1))
  }

  func noteTruncation(_ graph: HistoryGraph) { noteTruncation(graph.isTruncated) }

  func noteTruncation(_ truncated: Bool) {
    if truncated {
      Output.warn(
        "note: this is a shallow clone; the history stops at its boundary ('git fetch --unshallow' to see it all)")
    }
  }
}

/// Progress of a long walk on stderr: only when stderr is a terminal, and only once the walk has
/// taken more than two seconds (`KEEL_PROGRESS_AFTER` seconds, for tests).
final class WalkProgress: @unchecked Sendable {
  private let start = Date()
  private let enabled: Bool
  private let delay: TimeInterval
  private var shown = false

  init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    enabled = Output.stderrIsTerminal
    delay = environment["KEEL_PROGRESS_AFTER"].flatMap(Double.init) ?? 2
  }

  func report(_ commits: Int) {
    guard enabled, Date().timeIntervalSince(start) >= delay else { return }
    shown = true
    FileHandle.standardError.write(Data("\rkeel: reading history: \(commits) commits".utf8))
  }

  func finish() {
    if shown { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
  }
}

extension HistorySession {
  /// The author date of the commit `revision` names; nil when it names none.
  static func authorDate(of revision: String, in workspace: Workspace) -> Date? {
    guard let repository = workspace.repository, let id = try? repository.resolveCommitID(revision) else { return nil }
    return try? repository.commit(id: id).authorDate
  }

  /// For `keel check`: when each document entered its state, from the history of `revision` (through
  /// the cache), with ages measured at `now`; nil when there is no history or no workflow has an SLA, so nothing can be stale.
  /// `snapshot`: the revision's (`Workspace.revision`), when the caller has read it already.
  /// `keelFiles`: where the check read its configuration (nil: the revision's own).
  /// `states: false` (`--staged`, review mode, `transition`): only when documents were first
  /// committed, for a kind's `template-since:`, and only for `documents` (nil: every document); no
  /// states, so nothing is stale.
  static func stateHistory(
    workspace: Workspace, revision: String, snapshot read: Snapshot? = nil, configuration keelFiles: Snapshot?,
    now: Date, states: Bool = true, documents: Set<String>? = nil
  ) -> StateHistory? {
    guard let repository = workspace.repository, !repository.isHeadUnborn,
      let snapshot = read ?? (try? workspace.revision(revision)),
      let configuration = try? HistoryConfiguration.load(from: keelFiles ?? snapshot)
    else { return nil }
    // A state that locks (`workflow/changed-after-approval`, `ref/suspect`) needs the commit that
    // entered it and the versions' bytes.
    let locks = states && configuration.hasLockingStates
    guard
      configuration.hasTemplateSince || locks
        || (states
          && ((try? snapshot.paths()) ?? []).contains(where: {
            configuration.kind(for: $0)?.workflow.sla.isEmpty == false
          }))
    else { return nil }
    // Without states no field is read: the scalar cache is not needed (its file is large), and the
    // renames earlier runs found come from the rename cache; only the commits that made the
    // documents asked about are looked at.
    let scalars = scalarCache(repository: repository, useCache: states)
    let renames = renameCache(repository: repository, useCache: true)
    defer {
      scalars.save()
      renames.save()
    }
    let builder = TimelineBuilder(
      configuration: configuration, prefix: workspace.prefix, scalars: scalars, renames: renames)
    // Some documents, from a cache written for this commit: only the records of the commits that
    // changed them are decoded.
    if !states, let documents,
      let commits = try? HistoryGraph.cachedCommits(
        repository: repository, revision: revision, damagedCache: noteDamagedCache),
      let timelines = try? builder.timelines(of: documents, in: commits, source: commits, states: .none)
    {
      return StateHistory(timelines: timelines, now: now)
    }
    let progress = WalkProgress()
    defer { progress.finish() }
    guard
      let graph = try? HistoryGraph.load(
        repository: repository, revision: revision, progress: progress.report, damagedCache: noteDamagedCache)
    else { return nil }
    let timelines = builder.timelines(
      records: graph.records, source: graph, states: states ? .all : .none, documents: states ? nil : documents)
    guard locks else { return StateHistory(timelines: timelines, now: now) }
    // Parents before children: the walk's order, reversed.
    var order: [String: Int] = [:]
    order.reserveCapacity(graph.records.count)
    for (offset, record) in graph.records.reversed().enumerated() { order[record.commit.id] = offset }
    var history = StateHistory(timelines: timelines, now: now, commitOrder: order)
    // The versions documents in a locking state are compared with: read in one batch, on every core.
    let approved = history.entries.compactMap { path, entry -> String? in
      guard let order = entry.order, configuration.kind(for: path)?.workflow.lockingStates.contains(entry.state) == true
      else { return nil }
      return history.version(of: path, at: order)?.blob
    }
    let lock = NSLock()
    var read: [String: Data] = [:]
    graph.readBlobs(approved) { index, bytes in
      guard let bytes else { return }
      let copy = Data(Array(bytes))  // the bytes are valid only during the call
      lock.lock()
      read[approved[index]] = copy
      lock.unlock()
    }
    history.files = GitHistoryFiles(graph: graph, workspace: workspace, read: read)
    return history
  }
}

/// The versions `workflow/changed-after-approval` and `ref/suspect` compare with, read from Git:
/// blobs through the history's own reader, a folder document's body file from a commit's tree.
struct GitHistoryFiles: HistoryFiles {
  let graph: HistoryGraph
  let workspace: Workspace
  /// Blobs read ahead (the versions approved documents are compared with).
  let read: [String: Data]

  func blob(_ id: String) -> Data? { read[id] ?? (try? graph.readBlob(id)) }

  func file(_ path: String, at commit: String) -> Data? { try? workspace.revision(commit).read(path) }
}

/// What `--since`/`--until` of `history`, `changelog` and `metrics` name: a date or a revision.
public enum HistoryBound: Sendable, Equatable {
  case date(Date)
  case revision(String)

  /// Text that starts as a date does (four or more digits and a dash: `2026-01-01`, `2026-01-01T10:00:00Z`) is a
  /// date and must be a valid one (`HistoryDates.parseArgument`); anything else is a revision (a tag,
  /// a branch, a SHA, `HEAD~3`), resolved when it is used.
  public init(_ text: String, option: String) throws {
    let digits = text.utf8.prefix { (0x30...0x39).contains($0) }.count
    if digits >= 4, text.utf8.dropFirst(digits).first == UInt8(ascii: "-") {
      self = .date(try HistoryDates.parseArgument(text, option: option))
    } else {
      self = .revision(text)
    }
  }
}
