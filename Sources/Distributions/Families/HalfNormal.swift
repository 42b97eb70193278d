import Foundation
import Tensor

/// half_normal(sd): |X| for X ~ normal(0, sd).
struct HalfNormal: FamilyDefinition {
  var name: String { "half_normal" }
  var parameters: [FamilyParameter] { [FamilyParameter("sd", .positive)] }
  var support: Support { .positive }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let z = x / p.a
    return 0.5 * log(2 / .pi) - log(p.a) - 0.5 * z * z
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let z = x / p.a
    return (Params((z * z - 1) / p.a), -z / p.a)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { abs(p.a * rng.normal()) }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { abs($0.normal()) }, draw: { p, e in try p[0] * e })
  }

  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let halfNormal = Family(HalfNormal())
}
