#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A whole file mapped read-only into memory; unmapped in `deinit`. Pack files are written once
/// and never changed in place (git writes a new pack and renames it), so the mapping stays valid
/// even if git repacks while we read: the old file lives on until we unmap it.
final class MappedFile: @unchecked Sendable {
  let bytes: UnsafeRawBufferPointer

  /// Nil when the file cannot be opened or mapped, or is not a regular file (the caller then reads
  /// through libgit2).
  init?(path: String) {
    guard let (descriptor, size) = openRegularFile(path) else { return nil }
    defer { close(descriptor) }
    guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
      return nil
    }
    bytes = UnsafeRawBufferPointer(start: address, count: size)
  }

  deinit {
    munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
  }

  var count: Int { bytes.count }

  /// The big-endian 32-bit number at `offset` (the caller checks the bounds).
  func uint32(at offset: Int) -> UInt32 {
    UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  func uint64(at offset: Int) -> UInt64 {
    UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }
}

/// Opens `path` for reading when it is a regular file, with its size; nil otherwise. The open never
/// blocks, so that a FIFO planted in the object store cannot hang a reader. The caller closes it.
func openRegularFile(_ path: String) -> (descriptor: Int32, size: Int)? {
  let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
  guard descriptor >= 0 else { return nil }
  var status = stat()
  guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 else {
    close(descriptor)
    return nil
  }
  return (descriptor, Int(status.st_size))
}
