import Inference
import PPL
import Runtime
import XCTest

/// Objects an embedder creates over and over must be freed (found by libFuzzer's leak
/// detector: each interpreter's builtin table held itself through one of its bodies).
final class MemoryTests: XCTestCase {
  func testBuiltinRegistriesAreFreed() {
    weak var weakRegistry: BuiltinRegistry?
    do {
      let registry = BuiltinRegistry()
      RuntimeBuiltins.declare(into: registry)
      InferenceBuiltins.declare(into: registry)
      weakRegistry = registry
      XCTAssertNotNil(weakRegistry)
    }
    XCTAssertNil(weakRegistry, "a builtin body keeps its registry alive")
  }

  /// A chain of a million closures, each capturing the one before, is freed without
  /// overflowing the native stack — on reassignment and with its interpreter (it crashed
  /// the host; issue: trust, 1).
  func testLongClosureChainsAreFreedWithoutRecursion() throws {
    let source = """
      var f = |x: Int| x
      for i in 0..<1000000 {
        let g = f
        f = |x: Int| g(x) + 1
      }
      f = |x: Int| x
      for i in 0..<1000000 {
        let g = f
        f = |x: Int| g(x) + 1
      }
      """
    do {
      let ppl = Interpreter(options: .init(seed: 0, output: { _ in }))
      try ppl.load(source: source)
    }
  }
}
