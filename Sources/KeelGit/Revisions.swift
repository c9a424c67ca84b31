import CLibgit2
import Foundation
import KeelCore

/// A commit's metadata, copied out of libgit2.
public struct CommitInfo: Sendable, Hashable {
  public var id: String
  /// Parent commit ids, first parent first. Empty for a root commit and for a shallow boundary.
  public var parents: [String]
  public var authorName: String
  public var authorEmail: String
  public var authorDate: Date
  public var committerName: String
  public var committerEmail: String
  public var committerDate: Date
  /// The first paragraph of the message, on one line.
  public var summary: String
  public var message: String
  /// True when this commit is where a shallow clone's history was cut: it has parents that were not fetched.
  public var isShallowBoundary: Bool
}

/// What a revision resolved to: the commit (nil for a bare tree such as `v1^{tree}`) and the tree.
struct ResolvedRevision {
  var commit: ObjectID?
  var tree: ObjectID
  /// The shortest unambiguous abbreviation of the commit (or tree) id.
  var shortID: String
}

extension Repository {
  /// The full commit id a revision names (`main`, `v1.2`, `HEAD~3`, a short SHA, …).
  public func resolveCommitID(_ revision: String) throws(GitError) -> String {
    let resolved = try resolve(revision)
    guard let commit = resolved.commit else {
      throw GitError(.wrongObjectType, "revision '\(revision)' is a tree, not a commit")
    }
    return commit.hex
  }

  /// The metadata of the commit `id` names (a full id, or any revision).
  public func commit(id: String) throws(GitError) -> CommitInfo {
    let commitID: ObjectID
    if let direct = ObjectID(hex: id) { commitID = direct } else { commitID = try ObjectID(hex: resolveCommitID(id))! }
    let boundaries = shallowBoundaryIDs
    return try withLock { () throws(GitError) -> CommitInfo in
      var commit: OpaquePointer?
      let code = commitID.withPointer { git_commit_lookup(&commit, handle, $0) }
      guard code == 0, let commit else {
        throw revisionError(id, code: code)
      }
      defer { git_commit_free(commit) }
      let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
        git_commit_parent_id(commit, index).map { ObjectID($0).hex }
      }
      let author = git_commit_author(commit)!.pointee
      let committer = git_commit_committer(commit)!.pointee
      let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
      let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
      return CommitInfo(
        id: commitID.hex, parents: parents,
        authorName: String(cString: author.name), authorEmail: String(cString: author.email),
        authorDate: HistoryDates.date(seconds: author.when.time),
        committerName: String(cString: committer.name), committerEmail: String(cString: committer.email),
        committerDate: HistoryDates.date(seconds: committer.when.time),
        summary: summary, message: message, isShallowBoundary: boundaries.contains(commitID.hex))
    }
  }

  /// The best common ancestor of two revisions (what a pull request is compared against); nil if unrelated.
  public func mergeBase(_ first: String, _ second: String) throws(GitError) -> String? {
    guard let one = ObjectID(hex: try resolveCommitID(first)), let two = ObjectID(hex: try resolveCommitID(second))
    else { return nil }
    return try withLock { () throws(GitError) -> String? in
      var base = git_oid()
      let code = one.withPointer { onePointer in two.withPointer { git_merge_base(&base, handle, onePointer, $0) } }
      if code == GIT_ENOTFOUND.rawValue { return nil }
      if code < 0 {
        // libgit2 1.5 refuses a commit whose time it cannot read (git accepts a 20-digit time): one
        // such commit in the history would stop the check of every pull request. Keel's own commit
        // reader reads it.
        let failure = GitError.fromLastError(
          code: code, operation: "cannot find a merge base of '\(first)' and '\(second)'")
        do { return try paintedMergeBase(one, two)?.hex } catch { throw failure }
      }
      return ObjectID(base).hex
    }
  }

  /// The newest common ancestor, found as git's `paint_down_to_common` finds it: commits are
  /// visited newest first (committer time), painted with the side(s) that reach them; the first
  /// commit both sides reach is the merge base. (With several best merge bases, the newest.)
  /// Call with the lock held.
  private func paintedMergeBase(_ one: ObjectID, _ two: ObjectID) throws(GitError) -> ObjectID? {
    if one == two { return one }
    let objects = TreeComparison(repository: self)
    var commits: [ObjectID: (time: Int64, parents: [ObjectID])] = [:]
    func commit(_ id: ObjectID) throws(GitError) -> (time: Int64, parents: [ObjectID]) {
      if let known = commits[id] { return known }
      let parsed = try objects.withObject(id, what: "commit") { bytes in RawCommit(bytes, details: false) }
      let read = (parsed.commitTime, parsed.parents)
      commits[id] = read
      return read
    }
    let fromOne: UInt8 = 1
    let fromTwo: UInt8 = 2
    var paint: [ObjectID: UInt8] = [one: fromOne, two: fromTwo]
    var queue: [(time: Int64, id: ObjectID)] = [(try commit(one).time, one), (try commit(two).time, two)]
    while let index = queue.indices.max(by: { queue[$0].time < queue[$1].time }) {
      let (_, id) = queue.remove(at: index)
      let colour = paint[id] ?? 0
      if colour == fromOne | fromTwo { return id }
      for parent in try commit(id).parents where (paint[parent] ?? 0) & colour != colour {
        paint[parent, default: 0] |= colour
        queue.append((try commit(parent).time, parent))
      }
    }
    return nil
  }

  /// Resolves any revision git understands (branch, tag, SHA, `HEAD~3`, `v1^{tree}`) to a commit and a tree.
  func resolve(_ revision: String) throws(GitError) -> ResolvedRevision {
    try withLock { () throws(GitError) -> ResolvedRevision in
      var object: OpaquePointer?
      let code = git_revparse_single(&object, handle, revision)
      guard code == 0, let object else { throw revisionError(revision, code: code) }
      defer { git_object_free(object) }

      var commitID: ObjectID?
      var shortSource = object
      var commitObject: OpaquePointer?
      if git_object_peel(&commitObject, object, GIT_OBJECT_COMMIT) == 0, let commitObject {
        commitID = ObjectID(git_object_id(commitObject))
        shortSource = commitObject
      }
      defer { if let commitObject { git_object_free(commitObject) } }

      var treeObject: OpaquePointer?
      let peelCode = git_object_peel(&treeObject, object, GIT_OBJECT_TREE)
      guard peelCode == 0, let treeObject else {
        throw GitError(
          .wrongObjectType, "revision '\(revision)' does not name a commit or a tree", code: peelCode)
      }
      defer { git_object_free(treeObject) }
      if commitID == nil { shortSource = treeObject }

      var buffer = git_buf()
      defer { git_buf_dispose(&buffer) }
      let shortID: String
      if git_object_short_id(&buffer, shortSource) == 0, let pointer = buffer.ptr {
        shortID = String(cString: pointer)
      } else {
        shortID = String(ObjectID(git_object_id(shortSource)).hex.prefix(7))
      }
      return ResolvedRevision(commit: commitID, tree: ObjectID(git_object_id(treeObject)), shortID: shortID)
    }
  }

  /// Turns a failed revision lookup into a clear error. Reads `git_error_last()` first, before
  /// the calls below can overwrite it.
  func revisionError(_ revision: String, code: Int32) -> GitError {
    let underlying = GitError.fromLastError(code: code, operation: "cannot resolve revision '\(revision)'")
    let lookupFailures = [GIT_ENOTFOUND, GIT_EINVALIDSPEC, GIT_EAMBIGUOUS, GIT_EUNBORNBRANCH].map(\.rawValue)
    guard lookupFailures.contains(code) else { return underlying }
    func make(_ kind: GitError.Kind, _ message: String) -> GitError {
      GitError(
        kind, message, code: code, errorClass: underlying.errorClass, libgit2Message: underlying.libgit2Message)
    }
    if code == GIT_EAMBIGUOUS.rawValue { return make(.ambiguousRevision, "ambiguous revision '\(revision)'") }
    if git_repository_head_unborn(handle) == 1 && namesHead(revision) {
      return make(.unbornHead, GitError.unbornHeadMessage)
    }
    if git_repository_is_shallow(handle) == 1 {
      return make(
        .shallowHistory,
        "unknown revision '\(revision)' (this is a shallow clone whose history is truncated; "
          + "run 'git fetch --unshallow')")
    }
    return make(.unknownRevision, "unknown revision '\(revision)'")
  }

  /// Whether `revision` starts from HEAD (`HEAD`, `HEAD~2`, `@`, `@^`) or names the branch HEAD is on.
  private func namesHead(_ revision: String) -> Bool {
    let base = revision.prefix { !"~^:".contains($0) }
    if base == "HEAD" || base == "@" || base.isEmpty { return true }
    var reference: OpaquePointer?
    guard git_reference_lookup(&reference, handle, "HEAD") == 0, let reference else { return false }
    defer { git_reference_free(reference) }
    guard let target = git_reference_symbolic_target(reference) else { return false }
    let branch = String(cString: target)
    return base == branch || "refs/heads/" + base == branch
  }
}
