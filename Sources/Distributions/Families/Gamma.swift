import Foundation
import Tensor

/// gamma(shape, rate).
struct Gamma: FamilyDefinition {
  var name: String { "gamma" }
  var parameters: [FamilyParameter] { [FamilyParameter("shape", .positive), FamilyParameter("rate", .positive)] }
  var support: Support { .positive }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    p.a * log(p.b) + Special.xlogy(p.a - 1, x) - p.b * x - lgamma(p.a)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    (Params(log(p.b) + log(x) - Elementary.digamma(p.a), p.a / p.b - x), (p.a - 1) / x - p.b)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { Gamma.standard(p.a, &rng) / p.b }

  /// Implicit: the noise is the standard draw itself, which moves with the shape as
  /// `ImplicitGamma` says, and x = g / rate.
  var reparameterization: Reparameterization? {
    Reparameterization(noiseCount: 1, noise: { p, _, rng in Gamma.standard(p.a, &rng) },
                       draw: { p, g in try ImplicitGamma.draw(p[0], standard: g[0].value) / p[1] })
  }
  var measureValued: MeasureValuedDerivative? { nil }

  /// Gamma(k, 1) by Marsaglia and Tsang (2000), boosted for k < 1 (also used by beta,
  /// inv_gamma, student_t, negative_binomial and dirichlet).
  /// log of a standard gamma draw, finite for shapes so small that the draw itself
  /// underflows to 0 (for k < 1, log G(k + 1) + log(U)/k).
  static func logStandard(_ k: Double, _ rng: inout RandomGenerator) -> Double {
    k < 1 ? log(standard(k + 1, &rng)) + log(rng.uniform()) / k : log(standard(k, &rng))
  }

  static func standard(_ k: Double, _ rng: inout RandomGenerator) -> Double {
    if k < 1 {
      return standard(k + 1, &rng) * pow(rng.uniform(), 1 / k)
    }
    let d = k - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double, v: Double
      repeat {
        x = rng.normal()
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = rng.uniform()
      if u < 1 - 0.0331 * x * x * x * x { return d * v }
      if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
    }
  }
}

extension Family {
  public static let gamma = Family(Gamma())
}
