import Foundation
import Tensor

/// half_cauchy(scale): |X| for X ~ cauchy(0, scale).
struct HalfCauchy: FamilyDefinition {
  var name: String { "half_cauchy" }
  var parameters: [FamilyParameter] { [FamilyParameter("scale", .positive)] }
  var support: Support { .positive }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let z = x / p.a
    return log(2 / (.pi * p.a)) - log1p(z * z)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let z = x / p.a, q = 1 + z * z
    return (Params(-1 / p.a + 2 * z * z / (p.a * q)), -2 * z / (p.a * q))
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { abs(p.a * Cauchy.standard(&rng)) }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { abs(Cauchy.standard(&$0)) }, draw: { p, e in try p[0] * e })
  }

  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let halfCauchy = Family(HalfCauchy())
}
