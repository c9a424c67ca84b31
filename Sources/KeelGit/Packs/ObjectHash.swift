import CLibgit2
import Crypto

/// The SHA-1 object id of an object's content, as git computes it: SHA-1 of `<type> <size>\0` followed
/// by the content. Used to check every object the pack reader reads before it is used.
///
/// The SHA-1 is swift-crypto's (BoringSSL's assembly, with the CPU's SHA instructions where there
/// are some): a pure-Swift SHA-1 cost 4–5× more per byte and made a cold history walk over half as
/// slow again. libgit2's `git_odb_hash` is slower still (its collision-detecting SHA-1 and per-call
/// set-up), and a history walk hashes tens of thousands of small objects.
enum ObjectHash {
  /// The id of `content` as an object of type `kind`.
  static func id(kind: PackedObject.Kind, content: UnsafeRawBufferPointer) -> ObjectID {
    // `<type> <size>\0`: at most `commit ` (7), 20 digits and the NUL.
    withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { header in
      let name: StaticString
      switch kind {
      case .commit: name = "commit "
      case .tree: name = "tree "
      case .blob: name = "blob "
      case .tag: name = "tag "
      }
      var used = name.utf8CodeUnitCount
      header.baseAddress!.copyMemory(from: name.utf8Start, byteCount: used)
      var digits = 1
      var rest = content.count / 10
      while rest > 0 {
        digits += 1
        rest /= 10
      }
      var value = content.count
      for index in stride(from: used + digits - 1, through: used, by: -1) {
        header[index] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
        value /= 10
      }
      used += digits
      header[used] = 0
      var hasher = Insecure.SHA1()
      hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: header[..<(used + 1)]))
      hasher.update(bufferPointer: content)
      var oid = git_oid()
      hasher.finalize().withUnsafeBytes { digest in
        withUnsafeMutableBytes(of: &oid) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: digest.prefix(20))) }
      }
      return ObjectID(oid)
    }
  }
}
