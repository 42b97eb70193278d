import Distributions
import Foundation
import Tensor
import XCTest

/// Every family's analytic gradient against central finite differences of its
/// log-density (STYLE habit 7).
final class GradientTests: XCTestCase {
  /// Points inside the support, with parameters away from boundaries.
  static let cases: [(Family, Params, Double)] = [
    (.normal, Params(0.3, 1.7), -0.8), (.lognormal, Params(0.2, 0.6), 1.9), (.uniform, Params(-1, 2.5), 0.4),
    (.beta, Params(2.5, 1.5), 0.3), (.gamma, Params(2.2, 1.3), 1.1), (.invGamma, Params(3.1, 2.0), 0.7),
    (.exponential, Params(1.7), 0.9), (.cauchy, Params(0.5, 1.2), -1.3), (.halfNormal, Params(1.4), 0.8),
    (.halfCauchy, Params(2.0), 1.5), (.studentT, Params(4.5, 0.2, 1.3), 1.4), (.laplace, Params(0.4, 0.9), -0.6),
    (.bernoulli, Params(0.3), 1), (.bernoulli, Params(0.3), 0), (.bernoulliLogit, Params(-0.8), 1),
    (.bernoulliLogit, Params(2.5), 0), (.binomial, Params(12, 0.35), 5),
    (.poisson, Params(3.3), 2), (.geometric, Params(0.25), 3), (.weibull, Params(1.7, 2.3), 1.4),
    (.weibull, Params(0.6, 0.8), 2.1), (.negativeBinomial, Params(3.4, 0.35), 4), (.negativeBinomial, Params(0.7, 0.8), 0),
    (.skewNormal, Params(0.5, 1.3, 2.2), -0.4), (.skewNormal, Params(0, 1, -6), 2.0), (.vonMises, Params(0.4, 2.5), -1.1),
    (.vonMises, Params(-1, 45), -0.9), (.betaBinomial, Params(10, 2.5, 1.5), 3), (.poissonLog, Params(1.1), 4),
    (.binomialLogit, Params(12, -0.6), 5), (.flat, Params(0), 0.3), (.halfFlat, Params(0), 1.2),
  ]

  func testGradientsMatchFiniteDifferences() {
    for (family, p, x) in GradientTests.cases {
      let (g, gx) = family.gradient(p, x)
      for i in 0..<family.arity where !family.parameters[i].isInteger {
        let h = 1e-6 * max(1, abs(p[i]))
        var up = p, down = p
        up[i] += h
        down[i] -= h
        let numeric = (family.logpdf(up, x) - family.logpdf(down, x)) / (2 * h)
        XCTAssertEqual(g[i], numeric, accuracy: 1e-6 * max(1, abs(numeric)), "\(family.name) ∂\(family.parameters[i].name)")
      }
      if family.kind == .real {
        let h = 1e-6 * max(1, abs(x))
        let numeric = (family.logpdf(p, x + h) - family.logpdf(p, x - h)) / (2 * h)
        XCTAssertEqual(gx, numeric, accuracy: 1e-6 * max(1, abs(numeric)), "\(family.name) ∂x")
      }
    }
    let families = Set(GradientTests.cases.map { $0.0.name })
    XCTAssertEqual(families.count, Family.all.count - 1, "all but uniform_discrete (no parameters to differentiate)")
  }

  /// The fused elementwise kernel agrees with the scalar log-density, infinite logits
  /// included (logit −inf at false scores 0, not NaN).
  func testFusedBernoulliLogitMatchesTheScalarKernel() throws {
    let logits = [-Double.infinity, -3, 0, 2.5, Double.infinity], xs: [Double] = [0, 1, 0, 1, 1]
    let d = try Distribution.make(.bernoulliLogit, [Tensor(shape: [5], data: logits)])
    let fused = try d.productLogDensityAndGradients(Tensor(shape: [5], data: xs))
    let scalar = zip(logits, xs).reduce(0.0) { $0 + Family.bernoulliLogit.logpdf(Params($1.0), $1.1) }
    XCTAssertFalse(fused.value.isNaN, "fused log-density is NaN")
    XCTAssertEqual(fused.value, scalar, accuracy: 1e-12, "fused \(fused.value), scalar \(scalar)")
  }

  func testMultivariateNormalGradient() throws {
    let mean = [0.5, -0.2, 1.0], cov = [2.0, 0.3, 0.1, 0.3, 1.5, -0.2, 0.1, -0.2, 0.9], x = [0.1, 0.4, 1.7]
    func logpdf(_ m: [Double], _ c: [Double], _ x: [Double]) throws -> Double {
      try MultivariateNormal(mean: Tensor(shape: [3], data: m), cov: Tensor(shape: [3, 3], data: c)).logpdf(x)
    }
    let g = try MultivariateNormal(mean: Tensor(shape: [3], data: mean), cov: Tensor(shape: [3, 3], data: cov)).gradient(x)
    let h = 1e-6
    for i in 0..<3 {
      var up = mean, down = mean
      up[i] += h
      down[i] -= h
      XCTAssertEqual(g.mean[i], (try logpdf(up, cov, x) - logpdf(down, cov, x)) / (2 * h), accuracy: 1e-6)
      var xu = x, xd = x
      xu[i] += h
      xd[i] -= h
      XCTAssertEqual(g.x[i], (try logpdf(mean, cov, xu) - logpdf(mean, cov, xd)) / (2 * h), accuracy: 1e-6)
    }
    // A symmetric perturbation of entries (i, j) and (j, i) moves the log-density by
    // the sum of both gradient entries.
    for (i, j) in [(0, 0), (0, 1), (1, 2), (2, 2)] {
      var up = cov, down = cov
      up[i * 3 + j] += h
      down[i * 3 + j] -= h
      if i != j {
        up[j * 3 + i] += h
        down[j * 3 + i] -= h
      }
      let numeric = (try logpdf(mean, up, x) - logpdf(mean, down, x)) / (2 * h)
      let analytic = i == j ? g.cov[i * 3 + i] : g.cov[i * 3 + j] + g.cov[j * 3 + i]
      XCTAssertEqual(analytic, numeric, accuracy: 1e-6, "cov (\(i), \(j))")
    }
  }
}

final class SpecialFunctionTests: XCTestCase {
  func testFastTanhMatchesTheLibrary() {
    var worst = 0.0
    for i in -40000...40000 {
      let x = Double(i) / 1000  // -40 … 40, dense near 0 and across the 0.625 switch
      let exact = Foundation.tanh(x)
      worst = max(worst, abs(Elementary.tanh(x) - exact) / max(abs(exact), 1e-300))
    }
    XCTAssertLessThan(worst, 4e-16)
    XCTAssertEqual(Elementary.tanh(1e-300), 1e-300)
    XCTAssertEqual(Elementary.tanh(-0.0).sign, .minus)
    XCTAssertTrue(Elementary.tanh(.nan).isNaN)
  }
}
