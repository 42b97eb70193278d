import Foundation
import Tensor

/// laplace(loc, scale), drawn by the inverse CDF.
struct Laplace: FamilyDefinition {
  var name: String { "laplace" }
  var parameters: [FamilyParameter] { [FamilyParameter("loc", .finite), FamilyParameter("scale", .positive)] }
  var support: Support { .real }

  func logDensity(_ p: Params, _ x: Double) -> Double { -log(2 * p.b) - abs(x - p.a) / p.b }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let s: Double = x > p.a ? 1 : x < p.a ? -1 : 0
    return (Params(s / p.b, -1 / p.b + abs(x - p.a) / (p.b * p.b)), -s / p.b)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { p.a + p.b * Laplace.standard(&rng) }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { Laplace.standard(&$0) }, draw: { p, e in try p[0] + p[1] * e })
  }

  var measureValued: MeasureValuedDerivative? { nil }

  static func standard(_ rng: inout RandomGenerator) -> Double {
    let u = rng.uniform() - 0.5
    return -(u < 0 ? -1 : 1) * log(1 - 2 * abs(u))
  }
}

extension Family {
  public static let laplace = Family(Laplace())
}
