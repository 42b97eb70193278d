import Foundation
import PPL
import XCTest

/// Where chains start, and what is said about them afterwards.
final class MCMCStartTests: XCTestCase {
  static let rats = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("data/rats.ppl")

  /// Rats with vague InvGamma(0.001, 0.001) variance priors: a prior draw as the start
  /// overflowed ("normal: parameter sd must be positive and finite, got inf") on 6 of 7
  /// seeds; Stan's start (uniform on (−2, 2) unconstrained) runs on every one of 10.
  func testRatsStartsOnEverySeed() throws {
    for seed in UInt64(0)..<10 {
      let ppl = Interpreter(options: .init(seed: seed, output: { _ in }, warnings: { _ in }))
      try ppl.load(path: MCMCStartTests.rats.path)
      let value = try ppl.eval(#"mean(nuts(rats, (y, x), choicemap {}, warmup: 3, samples: 2), "sigmasq_y")"#)
      guard case .real(let v) = value else { return XCTFail("seed \(seed): \(value)") }
      XCTAssertTrue(v.isFinite && v > 0, "seed \(seed): sigmasq_y \(v)")
    }
  }

  /// An embedder that captures warnings gets each one there, without the prefix, and
  /// nothing on standard error.
  func testWarningsGoToTheEmbeddersSink() throws {
    var warnings: [String] = []
    let ppl = Interpreter(options: .init(seed: 1, output: { _ in }, warnings: { warnings.append($0) }))
    try ppl.load(source: """
      gen ridge() -> Real {
        let a ~ normal(0, 1)
        let b ~ normal(a, 0.0001)
        b
      }
      let s = nuts(ridge, (), choicemap {}, warmup: 50, samples: 50, chains: 2, max_tree_depth: 3)
      """)
    XCTAssertTrue(warnings.contains { $0.hasPrefix("nuts: R-hat above 1.01 for ") }, "\(warnings)")
    XCTAssertTrue(warnings.contains { $0.hasPrefix("nuts: ") && $0.contains("maximum tree depth of 3") }, "\(warnings)")
    XCTAssertFalse(warnings.contains { $0.hasPrefix("warning:") })
  }
}
