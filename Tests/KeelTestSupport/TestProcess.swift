import Foundation

/// What a finished program printed and how it exited.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
  /// Standard output as bytes (for binary output).
  public var stdoutData: Data
}

/// Runs programs for the tests. Standard input, output and error are files, not pipes, so a child
/// that writes much to both streams (or reads little of its input) can never block on a full pipe.
public enum TestProcess {
  /// Runs `executable` with `arguments` in `directory` with `environment` (the test's own when nil),
  /// feeding it `input`, and waits for it to exit.
  public static func run(
    _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
    input: Data? = nil
  ) throws -> ProcessResult {
    let streams = FileManager.default.temporaryDirectory.appendingPathComponent("keel-process-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: streams, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: streams) }
    let inURL = streams.appendingPathComponent("stdin")
    let outURL = streams.appendingPathComponent("stdout")
    let errURL = streams.appendingPathComponent("stderr")
    try (input ?? Data()).write(to: inURL)
    for url in [outURL, errURL] { try Data().write(to: url) }
    let inHandle = try FileHandle(forReadingFrom: inURL)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    defer {
      try? inHandle.close()
      try? outHandle.close()
      try? errHandle.close()
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    process.standardInput = inHandle
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    process.waitUntilExit()
    let outData = try Data(contentsOf: outURL)
    return ProcessResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self), stdoutData: outData)
  }
}
