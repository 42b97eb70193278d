import Foundation
import Tensor

/// lognormal(mu, sd): exp of a normal(mu, sd).
struct Lognormal: FamilyDefinition {
  var name: String { "lognormal" }
  var parameters: [FamilyParameter] { [FamilyParameter("mu", .finite), FamilyParameter("sd", .positive)] }
  var support: Support { .positive }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    guard x > 0 else { return -.infinity }
    let z = (log(x) - p.a) / p.b
    return -0.5 * z * z - log(p.b) - 0.5 * log(2 * .pi) - log(x)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let z = (log(x) - p.a) / p.b
    return (Params(z / p.b, (z * z - 1) / p.b), (-z / p.b - 1) / x)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { exp(p.a + p.b * rng.normal()) }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { $0.normal() }, draw: { p, e in try (p[0] + p[1] * e).apply(.exp) })
  }

  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let lognormal = Family(Lognormal())
}
