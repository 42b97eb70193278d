import Foundation
import Inference
import XCTest

/// Bulk ESS and R-hat against ArviZ on fixed draws (Tests/data/reference, written by
/// bench/peers/arviz_reference.py).
final class DiagnosticsTests: XCTestCase {
  struct Case: Decodable {
    var name: String
    var draws: [[Double]]
    var ess_bulk: Double
    var rhat: Double?
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
      let rhat = Diagnostics.splitRhat(c.draws)
      if let expected = c.rhat {
        XCTAssertEqual(rhat, expected, accuracy: 1e-10, "\(c.name): R-hat")
      } else {
        XCTAssertTrue(rhat.isNaN, "\(c.name): R-hat of one chain")
      }
    }
  }

  /// A chain that never moves has no ESS or R-hat (ArviZ: NaN); it reported N·log10 N.
  func testConstantDrawsHaveNaNDiagnostics() {
    let stuck = [[Double]](repeating: [Double](repeating: 0.25, count: 100), count: 2)
    XCTAssertTrue(Diagnostics.bulkESS(stuck).isNaN, "ESS \(Diagnostics.bulkESS(stuck))")
    XCTAssertTrue(Diagnostics.splitRhat(stuck).isNaN, "R-hat \(Diagnostics.splitRhat(stuck))")
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
