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
}
