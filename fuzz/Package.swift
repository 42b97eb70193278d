// swift-tools-version:6.0
// libFuzzer harness for PPL, kept out of the main package so normal builds and CI do
// not need the fuzzer runtime. See docs/robustness.md:
//   cd fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   .build/release/PPLFuzz corpus/ -max_total_time=600
import PackageDescription

let package = Package(
  name: "PPLFuzz",
  dependencies: [.package(path: "..")],
  targets: [
    .executableTarget(name: "PPLFuzz", dependencies: [.product(name: "PPL", package: "main")],
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
  ],
  swiftLanguageModes: [.v5]
)
