/// Who may approve under `approvers: accountable`: the names that are the `A`
/// of at least one RACI activity.
///
/// The full RACI model (validation, people, exports) belongs to the RACI
/// rules; the workflow requirement needs only this set, so it is read here
/// straight from the matrices keel.yaml lists. Unreadable matrices contribute
/// nothing (the RACI rules report them).
public enum Accountability {
  /// nil when keel.yaml lists no RACI matrix: the requirement cannot be
  /// checked and is skipped.
  public static func accountableNames(config: KeelConfig, snapshot: Snapshot, allPaths: [String]) -> Set<String>? {
    guard !config.raci.isEmpty else { return nil }
    var names = Set<String>()
    for path in allPaths where config.raci.contains(where: { $0.matches(path) }) {
      guard let data = try? snapshot.read(path) else { continue }
      let (parsed, _) = StructuredFile.read(data, path: path)
      for activity in parsed?.value.objectValue?["activities"]?.arrayValue ?? [] {
        if let accountable = activity.objectValue?["A"]?.stringValue { names.insert(accountable) }
      }
    }
    return names
  }
}
