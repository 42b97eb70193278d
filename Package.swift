// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "PPL",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "PPL", targets: ["PPL"]),
    .executable(name: "ppl", targets: ["ppl"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // MARK: C libraries
    .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
    .systemLibrary(name: "CMalloc"),
    .systemLibrary(name: "CStack"),

    // MARK: Front end
    .target(name: "Syntax"),
    .target(name: "IR", dependencies: ["Syntax"]),
    .target(name: "Types", dependencies: ["Syntax", "IR"]),

    // MARK: Numerics
    // OpenBLAS (libopenblas-dev) is opened on first use: see BLASKernel.swift.
    .target(name: "Tensor"),
    .target(name: "Distributions", dependencies: ["Tensor"]),

    // MARK: Execution
    .target(
      name: "Runtime",
      dependencies: ["Syntax", "Types", "IR", "Tensor", "Distributions", "CStack"],
      // One interpreter is used by one thread at a time, so the machine's loop skips
      // dynamic exclusivity checks on its state.
      swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
    .target(name: "Inference", dependencies: ["Runtime", "Distributions"]),

    // MARK: Public API and tools
    .executableTarget(name: "StdlibEmbedder", path: "Sources/StdlibEmbedder"),
    .plugin(name: "EmbedStdlib", capability: .buildTool(), dependencies: ["StdlibEmbedder"]),
    .executableTarget(name: "GoldenCaseLister", path: "Sources/GoldenCaseLister"),
    .plugin(name: "ListGoldenCases", capability: .buildTool(), dependencies: ["GoldenCaseLister"]),
    .target(
      name: "PPL",
      dependencies: ["Syntax", "Types", "IR", "Tensor", "Distributions", "Runtime", "Inference"],
      plugins: ["EmbedStdlib"]),
    .executableTarget(
      name: "ppl",
      dependencies: ["PPL", "CReadline", "CMalloc",
                     .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    // MARK: Tests
    .testTarget(name: "FrontEndTests", dependencies: ["Syntax", "Types", "IR"]),
    .testTarget(name: "NumericsTests", dependencies: ["Distributions", "Tensor"]),
    .testTarget(name: "RuntimeTests", dependencies: ["PPL", "Runtime", "Inference"]),
    .testTarget(name: "EmbeddingTests", dependencies: ["PPL"]),
    .testTarget(name: "GoldenTests", dependencies: ["PPL"], plugins: ["ListGoldenCases"]),
    .testTarget(name: "CLITests", dependencies: ["ppl"]),
  ],
  swiftLanguageModes: [.v5]
)
