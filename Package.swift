// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Keel",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "keel", targets: ["keel"]),
    .library(name: "JSONSchema", targets: ["JSONSchema"]),
    .library(name: "KeelCore", targets: ["KeelCore"]),
    // For the fuzz targets (Tests/Fuzz), which read packs and history caches through it.
    .library(name: "KeelGit", targets: ["KeelGit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibgit2",
      pkgConfig: "libgit2",
      providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
    ),
    // zlib comes with libgit2 (libgit2-dev depends on zlib1g-dev): KeelGit inflates pack objects itself.
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
    ),
    .systemLibrary(
      name: "CCmarkGFM",
      pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]), .brew(["cmark-gfm"])]
    ),
    .target(name: "JSONSchema", exclude: ["metaschemas"]),
    .target(
      name: "KeelCore",
      dependencies: ["JSONSchema", "CCmarkGFM", .product(name: "Yams", package: "Yams")]
    ),
    .target(
      name: "KeelGit",
      dependencies: ["CLibgit2", "CZlib", "KeelCore", .product(name: "Crypto", package: "swift-crypto")]
    ),
    // The use cases: which snapshot and documents a command reads, the check, history, exports and
    // batch validation pipelines, and the errors they end with. KeelCLI maps flags to it.
    .target(name: "KeelEngine", dependencies: ["KeelCore", "KeelGit", "JSONSchema"]),
    .target(
      name: "KeelCLI",
      dependencies: [
        "KeelEngine", "KeelCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "keel", dependencies: ["KeelCLI"]),
    // What the test targets share: where the external test data is, a seeded generator, a process runner.
    .target(name: "KeelTestSupport", path: "Tests/KeelTestSupport"),
    .testTarget(
      name: "JSONSchemaTests", dependencies: ["JSONSchema", "KeelTestSupport"], exclude: ["KNOWN_FORMAT_FAILURES.md"]),
    .testTarget(name: "KeelCoreTests", dependencies: ["KeelCore", "JSONSchema", "KeelTestSupport"]),
    .testTarget(name: "KeelGitTests", dependencies: ["KeelGit", "KeelCore", "KeelTestSupport"]),
    .testTarget(name: "KeelEngineTests", dependencies: ["KeelEngine", "KeelCore", "KeelGit", "KeelTestSupport"]),
    .testTarget(name: "KeelCLITests", dependencies: ["KeelCLI", "KeelCore", "JSONSchema", "KeelTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
