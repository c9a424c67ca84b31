import Foundation
import Testing

@testable import KeelCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct AtomicFileTests {
  private func mode(_ path: String) -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else { return -1 }
    return Int(info.st_mode & 0o7777)
  }

  private func inode(_ path: String) -> UInt64 {
    var info = stat()
    guard lstat(path, &info) == 0 else { return 0 }
    return UInt64(info.st_ino)
  }

  private func isSymbolicLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
  }

  private func contents(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  @Test func createsANewFileWithTheUsualPermissions() throws {
    let directory = try ReporterFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("new.txt")
    try AtomicFile.write(Data("hello\n".utf8), to: url)
    #expect(try Data(contentsOf: url) == Data("hello\n".utf8))

    // The same mode as any file created with 0666 under the current umask.
    let reference = directory.appendingPathComponent("reference")
    let descriptor = open(reference.path, O_WRONLY | O_CREAT | O_EXCL, 0o666)
    try #require(descriptor >= 0)
    close(descriptor)
    #expect(mode(url.path) == mode(reference.path))
    #expect(try contents(directory) == ["new.txt", "reference"], "no temporary file is left behind")
  }

  @Test func replacingKeepsTheOriginalPermissionsAndSwapsTheWholeFile() throws {
    let directory = try ReporterFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("doc.md")
    try Data("old contents".utf8).write(to: url)
    chmod(url.path, 0o640)
    // A second name for the old file shows it is never modified in place.
    let oldLink = directory.appendingPathComponent("old-link")
    try #require(link(url.path, oldLink.path) == 0)
    let oldInode = inode(url.path)

    try AtomicFile.write(Data("new".utf8), to: url)
    #expect(try Data(contentsOf: url) == Data("new".utf8))
    #expect(mode(url.path) == 0o640)
    #expect(inode(url.path) != oldInode)
    #expect(try Data(contentsOf: oldLink) == Data("old contents".utf8))
    #expect(try contents(directory) == ["doc.md", "old-link"])
  }

  @Test func explicitPermissionsWin() throws {
    let directory = try ReporterFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("hook")
    try Data("x".utf8).write(to: url)
    chmod(url.path, 0o600)
    try AtomicFile.write(Data("#!/bin/sh\n".utf8), to: url, permissions: 0o755)
    #expect(mode(url.path) == 0o755)
    let fresh = directory.appendingPathComponent("fresh")
    try AtomicFile.write(Data(), to: fresh, permissions: 0o700)
    #expect(mode(fresh.path) == 0o700)
    #expect(try Data(contentsOf: fresh).isEmpty)
  }

  @Test func writesThroughASymbolicLinkOrReplacesTheLinkWhenTold() throws {
    let directory = try ReporterFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("target.txt")
    let link = directory.appendingPathComponent("link.txt")
    try Data("target".utf8).write(to: target)
    chmod(target.path, 0o604)
    try #require(symlink("target.txt", link.path) == 0)

    try AtomicFile.write(Data("through".utf8), to: link)
    #expect(isSymbolicLink(link.path))
    #expect(try Data(contentsOf: target) == Data("through".utf8))
    #expect(mode(target.path) == 0o604)

    try AtomicFile.write(Data("replaced".utf8), to: link, permissions: nil, followingSymbolicLinks: false)
    #expect(!isSymbolicLink(link.path))
    #expect(try Data(contentsOf: link) == Data("replaced".utf8))
    #expect(try Data(contentsOf: target) == Data("through".utf8))
    #expect(mode(link.path) == 0o604, "a replaced link's file keeps the mode of what it pointed to")
    #expect(try contents(directory) == ["link.txt", "target.txt"])
  }

  @Test func failuresThrowAndLeaveEverythingAsItWas() throws {
    let directory = try ReporterFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let subdirectory = directory.appendingPathComponent("dir")
    try FileManager.default.createDirectory(at: subdirectory, withIntermediateDirectories: false)
    #expect(throws: KeelError.self) { try AtomicFile.write(Data("x".utf8), to: subdirectory) }
    #expect(throws: KeelError.self) {
      try AtomicFile.write(Data("x".utf8), to: directory.appendingPathComponent("missing/file.txt"))
    }
    let loop = directory.appendingPathComponent("loop")
    try #require(symlink("loop", loop.path) == 0)
    #expect(throws: KeelError.self) { try AtomicFile.write(Data("x".utf8), to: loop) }
    #expect(try contents(directory) == ["dir", "loop"])
    #expect(try contents(subdirectory).isEmpty)
  }

  @Test(.enabled(if: getuid() != 0, "root ignores directory permissions"))
  func anUnwritableDirectoryKeepsTheOriginal() throws {
    let directory = try ReporterFixtures.temporaryDirectory()
    defer {
      chmod(directory.path, 0o755)
      try? FileManager.default.removeItem(at: directory)
    }
    let url = directory.appendingPathComponent("doc.md")
    try Data("original".utf8).write(to: url)
    chmod(directory.path, 0o555)
    #expect(throws: KeelError.self) { try AtomicFile.write(Data("new".utf8), to: url) }
    #expect(try Data(contentsOf: url) == Data("original".utf8))
    #expect(try contents(directory) == ["doc.md"])
  }
}
