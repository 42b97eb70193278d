import Foundation
import Tensor

/// exponential(rate).
struct Exponential: FamilyDefinition {
  var name: String { "exponential" }
  var parameters: [FamilyParameter] { [FamilyParameter("rate", .positive)] }
  var support: Support { .positive }

  func logDensity(_ p: Params, _ x: Double) -> Double { log(p.a) - p.a * x }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(1 / p.a - x), -p.a) }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { -log(rng.uniform()) / p.a }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { -log($0.uniform()) }, draw: { p, e in try e / p[0] })
  }

  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let exponential = Family(Exponential())
}
