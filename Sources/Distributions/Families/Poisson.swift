import Foundation
import Tensor

/// poisson(rate).
struct Poisson: FamilyDefinition {
  var name: String { "poisson" }
  var parameters: [FamilyParameter] { [FamilyParameter("rate", .nonNegative)] }
  var support: Support { .naturals }

  func logDensity(_ p: Params, _ x: Double) -> Double { Special.xlogy(x, p.a) - p.a - lgamma(x + 1) }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(x / p.a - 1), 0) }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { Double(Poisson.draw(p.a, &rng)) }

  var reparameterization: Reparameterization? { nil }

  /// ∂λ of Poisson(λ) is Poisson(λ) shifted by one minus Poisson(λ): the rest runs at x + 1 and x.
  var measureValued: MeasureValuedDerivative? {
    MeasureValuedDerivative { _, x, _ in [.init(parameter: 0, coefficient: 1, plus: x + 1, minus: x)] }
  }

  /// By multiplication for small rates and Hörmann's PTRS (1993) otherwise.
  static func draw(_ rate: Double, _ rng: inout RandomGenerator) -> Int {
    if rate == 0 { return 0 }
    if rate < 10 {
      let limit = exp(-rate)
      var k = 0
      var p = rng.uniform()
      while p > limit {
        k += 1
        p *= rng.uniform()
      }
      return k
    }
    let slam = rate.squareRoot(), loglam = log(rate)
    let b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b
    let invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = rng.uniform() - 0.5, v = rng.uniform()
      let us = 0.5 - abs(u)
      let k = floor((2 * a / us + b) * u + rate + 0.43)
      if us >= 0.07 && v <= vr { return Int(saturating: k) }
      if k < 0 || (us < 0.013 && v > us) { continue }
      if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -rate + k * loglam - lgamma(k + 1) { return Int(saturating: k) }
    }
  }
}

extension Family {
  public static let poisson = Family(Poisson())
}
