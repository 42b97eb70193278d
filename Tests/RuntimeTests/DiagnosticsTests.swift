import Foundation
import Inference
import XCTest

/// Bulk and tail ESS, the MCSE of the mean, split R-hat and E-BFMI against ArviZ on fixed draws (Tests/data/reference, written by
/// bench/peers/arviz_reference.py).
final class DiagnosticsTests: XCTestCase {
  struct Case: Decodable {
    var name: String
    var draws: [[Double]]
    var ess_bulk: Double
    var ess_tail: Double
    var mcse_mean: Double
    /// Split R-hat; for one chain, its two halves (Stan's rule; ArviZ reports none).
    var rhat_split: Double
    /// E-BFMI of each chain, the draws read as energies.
    var bfmi: [Double]
  }

  struct Reference: Decodable {
    var cases: [Case]
  }

  func testAgainstArviZ() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("data/reference/arviz_diagnostics.json")
    // Python's json writes NaN, which JSON does not have.
    let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "NaN", with: "null")
    let reference = try JSONDecoder().decode(Reference.self, from: Data(text.utf8))
    XCTAssertEqual(reference.cases.count, 7)
    for c in reference.cases {
      XCTAssertEqual(Diagnostics.bulkESS(c.draws), c.ess_bulk, accuracy: 1e-8 * c.ess_bulk, "\(c.name): bulk ESS")
      XCTAssertEqual(Diagnostics.tailESS(c.draws), c.ess_tail, accuracy: 1e-8 * c.ess_tail, "\(c.name): tail ESS")
      XCTAssertEqual(Diagnostics.mcseMean(c.draws), c.mcse_mean, accuracy: 1e-10 * c.mcse_mean, "\(c.name): MCSE")
      XCTAssertEqual(Diagnostics.splitRhat(c.draws), c.rhat_split, accuracy: 1e-10, "\(c.name): R-hat")
      for (chain, expected) in zip(c.draws, c.bfmi) {
        XCTAssertEqual(Diagnostics.energyBFMI(chain), expected, accuracy: 1e-12 * expected, "\(c.name): E-BFMI")
      }
    }
  }

  /// A chain that never moves has no ESS or R-hat (ArviZ: NaN); it reported N·log10 N.
  func testConstantDrawsHaveNaNDiagnostics() {
    let stuck = [[Double]](repeating: [Double](repeating: 0.25, count: 100), count: 2)
    XCTAssertTrue(Diagnostics.bulkESS(stuck).isNaN, "ESS \(Diagnostics.bulkESS(stuck))")
    XCTAssertTrue(Diagnostics.splitRhat(stuck).isNaN, "R-hat \(Diagnostics.splitRhat(stuck))")
    XCTAssertTrue(Diagnostics.tailESS(stuck).isNaN, "tail ESS \(Diagnostics.tailESS(stuck))")
    XCTAssertTrue(Diagnostics.mcseMean(stuck).isNaN, "MCSE \(Diagnostics.mcseMean(stuck))")
    var moving = stuck
    moving[1][50] = 0.5
    XCTAssertFalse(Diagnostics.bulkESS(moving).isNaN)
  }

  func testNormalQuantileInvertsTheCDF() {
    for p in [1e-300, 1e-12, 0.001, 0.02425, 0.1, 0.5, 0.77, 0.975, 1 - 1e-10] {
      let x = Diagnostics.normalQuantile(p)
      XCTAssertEqual(0.5 * erfc(-x / 2.0.squareRoot()), p, accuracy: 1e-14 * max(p, 1e-300) + 1e-300, "p = \(p)")
    }
    XCTAssertEqual(Diagnostics.normalQuantile(0.975), 1.959963984540054, accuracy: 1e-14)
  }
}
