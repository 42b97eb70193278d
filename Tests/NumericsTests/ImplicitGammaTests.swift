import Distributions
import Foundation
import XCTest

/// The implicit reparameterization of gamma draws: dx/da against central finite
/// differences of the regularized incomplete gamma function F(a, x) (summed here from
/// its series, independently of the derivative's code), −∂F/∂a / f, on both sides of
/// the switch between the series and the continued fraction, and across the switch to
/// the Wilson–Hilferty approximation.
final class ImplicitGammaTests: XCTestCase {
  /// F(a, x) = Σₙ exp(−x + (a+n) log x − lgamma(a+n+1)).
  func cdf(_ a: Double, _ x: Double) -> Double {
    var total = 0.0, n = 0.0
    while n < 1e6 {
      let term = exp(-x + (a + n) * log(x) - lgamma(a + n + 1))
      total += term
      if n > x && term < 1e-18 * total { break }
      n += 1
    }
    return total
  }

  func density(_ a: Double, _ x: Double) -> Double { exp((a - 1) * log(x) - x - lgamma(a)) }

  func testShapeDerivativeMatchesFiniteDifferencesOfTheCDF() {
    // Up to shapes of 5·10⁵, where the upper branch's step once was too coarse (its error
    // in dx/da reached 10⁻⁴ past the mean).
    let cases: [(Double, Double)] = [(0.3, 0.05), (0.3, 0.9), (0.3, 2.5), (1, 0.4), (2, 0.5), (2, 3.5), (2, 6),
                                     (10, 8), (10, 12), (10, 20), (50, 45), (50, 65), (400, 410), (400, 440),
                                     (200_000, 199_500), (200_000, 200_600), (500_000, 500_800), (500_000, 502_000)]
    for (a, x) in cases {
      let h = 1e-3 * a.squareRoot()
      let expected = -(cdf(a + h, x) - cdf(a - h, x)) / (2 * h) / density(a, x)
      let got = ImplicitGamma.shapeDerivative(a, x)
      XCTAssertEqual(got, expected, accuracy: 1e-6 * max(1, abs(expected)), "a = \(a), x = \(x)")
    }
  }

  func testLargeShapesAreContinuousAcrossTheApproximation() {
    for z in [-2.0, 0.0, 1.04, 1.5] {
      let below = 999_999.0, above = 1_000_001.0
      let xBelow = below + z * below.squareRoot(), xAbove = above + z * above.squareRoot()
      XCTAssertEqual(ImplicitGamma.shapeDerivative(below, xBelow), ImplicitGamma.shapeDerivative(above, xAbove), accuracy: 3e-6, "z = \(z)")
    }
  }

  func testUnderflowedDrawsDoNotMove() {
    XCTAssertEqual(ImplicitGamma.shapeDerivative(1e-300, 0), 0)
    XCTAssertTrue(ImplicitGamma.shapeDerivative(0.01, 1e-40).isFinite)
  }
}
