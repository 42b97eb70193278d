import Foundation
import Tensor

/// bernoulli(p): true with probability p.
struct Bernoulli: FamilyDefinition {
  var name: String { "bernoulli" }
  var parameters: [FamilyParameter] { [FamilyParameter("p", .probability)] }
  var support: Support { .boolean }

  func logDensity(_ p: Params, _ x: Double) -> Double { x == 1 ? log(p.a) : log1p(-p.a) }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    (Params(x == 1 ? 1 / p.a : -1 / (1 - p.a)), 0)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { rng.uniform() < p.a ? 1 : 0 }

  var reparameterization: Reparameterization? { nil }

  /// ∂p E[f] = f(true) − f(false).
  var measureValued: MeasureValuedDerivative? {
    MeasureValuedDerivative { _, _, _ in [.init(parameter: 0, coefficient: 1, plus: 1, minus: 0)] }
  }
}

extension Family {
  public static let bernoulli = Family(Bernoulli())
}
