import Foundation
import Tensor

/// uniform(a, b): constant density on [a, b].
struct Uniform: FamilyDefinition {
  var name: String { "uniform" }
  var parameters: [FamilyParameter] { [FamilyParameter("a", .finite), FamilyParameter("b", .finite)] }
  var support: Support { .interval(.parameter(0), .parameter(1)) }

  func logDensity(_ p: Params, _ x: Double) -> Double { -log(p.b - p.a) }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let w = p.b - p.a
    return (Params(1 / w, -1 / w), 0)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { p.a + (p.b - p.a) * rng.uniform() }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { $0.uniform() }, draw: { p, u in try p[0] + (p[1] - p[0]) * u })
  }

  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let uniform = Family(Uniform())
}
