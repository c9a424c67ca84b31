import Foundation

/// What every fuzz target shares: libFuzzer's driver and a scratch folder for inputs that must be files.
///
/// SwiftPM links an executable target with `main` renamed to `<Module>_main`, so each target defines
/// that symbol and hands its callback to libFuzzer's `LLVMFuzzerRunDriver`; the fuzzer's own
/// `main` is then not needed.
public enum FuzzDriver {
  public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

  /// Runs libFuzzer with the command line (`-max_total_time=60 corpus/`, …) and `callback`.
  public static func run(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ callback: Callback
  ) -> CInt {
    var argc = argc
    var argv = argv
    return llvmFuzzerRunDriver(&argc, &argv, callback)
  }

  /// A folder of this process's own under the temporary directory (removed when the process exits
  /// normally; libFuzzer exits through `exit`).
  public static let scratch: URL = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: FuzzDriver.scratch) }
    return folder
  }()

  /// The input as bytes.
  public static func data(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    start.map { Data(bytes: $0, count: count) } ?? Data()
  }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: FuzzDriver.Callback
) -> CInt
