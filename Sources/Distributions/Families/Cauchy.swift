import Foundation
import Tensor

/// cauchy(loc, scale), drawn by the inverse CDF.
struct Cauchy: FamilyDefinition {
  var name: String { "cauchy" }
  var parameters: [FamilyParameter] { [FamilyParameter("loc", .finite), FamilyParameter("scale", .positive)] }
  var support: Support { .real }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let z = (x - p.a) / p.b
    return -log(.pi * p.b) - log1p(z * z)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let z = (x - p.a) / p.b, q = 1 + z * z
    return (Params(2 * z / (p.b * q), -1 / p.b + 2 * z * z / (p.b * q)), -2 * z / (p.b * q))
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { p.a + p.b * Cauchy.standard(&rng) }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { Cauchy.standard(&$0) }, draw: { p, e in try p[0] + p[1] * e })
  }

  var measureValued: MeasureValuedDerivative? { nil }

  /// A standard Cauchy draw (also half_cauchy's, folded).
  static func standard(_ rng: inout RandomGenerator) -> Double { tan(.pi * (rng.uniform() - 0.5)) }
}

extension Family {
  public static let cauchy = Family(Cauchy())
}
