#if canImport(Glibc)
  import Glibc
  private let systemRead = Glibc.read
  private let systemWrite = Glibc.write
#elseif canImport(Darwin)
  import Darwin
  private let systemRead = Darwin.read
  private let systemWrite = Darwin.write
#endif

/// The read and write loops on an open file descriptor that every reader and writer of keel's
/// files shares: a short transfer is continued, an interrupted one (`EINTR`) retried.
enum FileDescriptorIO {
  /// Reads into `buffer` until it is full or the file ends. The number of bytes read (fewer than
  /// `buffer.count` when the file ended first); nil on a read error.
  static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
    guard let base = buffer.baseAddress else { return 0 }
    var filled = 0
    while filled < buffer.count {
      let count = systemRead(descriptor, base + filled, buffer.count - filled)
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return count == 0 ? filled : nil }
      filled += count
    }
    return filled
  }

  /// Writes all of `buffer`; false on a write error.
  static func write(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
    guard let base = buffer.baseAddress else { return true }
    var offset = 0
    while offset < buffer.count {
      let written = systemWrite(descriptor, base + offset, buffer.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += written
    }
    return true
  }
}
