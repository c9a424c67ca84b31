// swift-tools-version: 6.0
// libFuzzer targets, one per parser entry point of Keel. Not part of the main package, so that
// `swift build` and `swift test` never see them; `make fuzz` builds them with
// `-sanitize=fuzzer,address` into `.build-fuzz` and runs each for a bounded time.
import PackageDescription

let targets = [
  "FuzzDocument", "FuzzMarkdown", "FuzzJSON", "FuzzSchema", "FuzzHistoryCache", "FuzzPack", "FuzzBaseline",
  "FuzzHeaderList", "FuzzFormula",
]

let package = Package(
  name: "KeelFuzz",
  platforms: [.macOS(.v13)],
  dependencies: [.package(name: "Keel", path: "../..")],
  targets: [.target(name: "FuzzDriver")]
    + targets.map { name in
      .executableTarget(
        name: name,
        dependencies: [
          "FuzzDriver", .product(name: "KeelCore", package: "Keel"), .product(name: "JSONSchema", package: "Keel"),
          .product(name: "KeelGit", package: "Keel"),
        ])
    },
  swiftLanguageModes: [.v6]
)
