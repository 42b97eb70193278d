import Foundation
import Tensor

/// beta(a, b) on [0, 1], drawn as X/(X + Y) from two standard gammas.
struct Beta: FamilyDefinition {
  var name: String { "beta" }
  var parameters: [FamilyParameter] { [FamilyParameter("a", .positive), FamilyParameter("b", .positive)] }
  var support: Support { .unitInterval }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    Special.xlogy(p.a - 1, x) + Special.xlog1py(p.b - 1, -x) - Special.logBeta(p.a, p.b)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let s = Elementary.digamma(p.a + p.b)
    return (Params(log(x) - Elementary.digamma(p.a) + s, log1p(-x) - Elementary.digamma(p.b) + s),
            (p.a - 1) / x - (p.b - 1) / (1 - x))
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    let x = Gamma.standard(p.a, &rng), y = Gamma.standard(p.b, &rng)
    if x + y > 0 { return x / (x + y) }
    // Both draws underflowed (shapes near 0, e.g. 1e-300): redrawn in log space.
    let lx = Gamma.logStandard(p.a, &rng), ly = Gamma.logStandard(p.b, &rng)
    return 1 / (1 + exp(ly - lx))
  }

  /// Implicit: X/(X + Y) of two standard gamma draws, each moving with its shape
  /// (`ImplicitGamma`). Draws that underflow (shapes near 0) cannot be followed.
  var reparameterization: Reparameterization? {
    Reparameterization(noiseCount: 2, noise: { p, k, rng in Gamma.standard(k == 0 ? p.a : p.b, &rng) }, draw: { p, g in
      guard zip(g[0].value.data, g[1].value.data).allSatisfy({ $0 + $1 > 0 }) else {
        throw DistributionError("beta: a reparameterized draw underflowed (shapes near 0); use .reinforce")
      }
      let x = try ImplicitGamma.draw(p[0], standard: g[0].value), y = try ImplicitGamma.draw(p[1], standard: g[1].value)
      return try x / (x + y)
    })
  }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let beta = Family(Beta())
}
