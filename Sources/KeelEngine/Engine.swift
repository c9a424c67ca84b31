/// The use cases of keel's commands. Each `Engine` function runs one command's pipeline from its
/// options to its output: which snapshot and documents it reads (`DocumentSelection`), the check,
/// the history, exports and batch schema validation. KeelCLI maps flags to these calls; tests call
/// them directly. Errors end a command through `Failure.classify`.
public enum Engine {
  /// keel's version, as reports and `--version` show it.
  public static let version = "0.1.0"
}
