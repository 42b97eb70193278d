import Foundation
import Tensor

/// inv_gamma(shape, scale): 1/X for X ~ gamma(shape, rate: scale).
struct InvGamma: FamilyDefinition {
  var name: String { "inv_gamma" }
  var parameters: [FamilyParameter] { [FamilyParameter("shape", .positive), FamilyParameter("scale", .positive)] }
  var support: Support { .positive }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    guard x > 0 else { return -.infinity }
    return p.a * log(p.b) - (p.a + 1) * log(x) - p.b / x - lgamma(p.a)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    (Params(log(p.b) - log(x) - Elementary.digamma(p.a), p.a / p.b - 1 / x), -(p.a + 1) / x + p.b / (x * x))
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { p.b / Gamma.standard(p.a, &rng) }

  /// Implicit: scale / g with g a standard gamma draw moving with the shape (`ImplicitGamma`).
  var reparameterization: Reparameterization? {
    Reparameterization(noiseCount: 1, noise: { p, _, rng in Gamma.standard(p.a, &rng) },
                       draw: { p, g in try p[1] / ImplicitGamma.draw(p[0], standard: g[0].value) })
  }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let invGamma = Family(InvGamma())
}
