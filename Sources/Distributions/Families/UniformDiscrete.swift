import Foundation
import Tensor

/// uniform_discrete(lo, hi): each integer in lo...hi equally likely.
struct UniformDiscrete: FamilyDefinition {
  var name: String { "uniform_discrete" }
  var parameters: [FamilyParameter] { [FamilyParameter("lo", .integer), FamilyParameter("hi", .integer)] }
  var support: Support { .integers(.parameter(0), .parameter(1)) }

  func logDensity(_ p: Params, _ x: Double) -> Double { -log(p.b - p.a + 1) }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(0, 0), 0) }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { p.a + floor(rng.uniform() * (p.b - p.a + 1)) }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let uniformDiscrete = Family(UniformDiscrete())
}
