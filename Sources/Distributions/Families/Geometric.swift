import Foundation
import Tensor

/// geometric(p): failures before the first success; negative_binomial(1, p).
struct Geometric: FamilyDefinition {
  var name: String { "geometric" }
  var parameters: [FamilyParameter] { [FamilyParameter("p", .positiveProbability)] }
  var support: Support { .naturals }

  func logDensity(_ p: Params, _ x: Double) -> Double { log(p.a) + Special.xlog1py(x, -p.a) }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(1 / p.a - x / (1 - p.a)), 0) }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    if p.a >= 1 { return 0 }
    return floor(log(rng.uniform()) / log1p(-p.a))
  }

  var reparameterization: Reparameterization? { nil }

  /// ∂p of p(1−p)^k is (1/p)·(Geometric(p) − (1 + NegativeBinomial(2, p))).
  var measureValued: MeasureValuedDerivative? {
    MeasureValuedDerivative { p, x, rng in
      let k1 = sample(p, &rng), k2 = sample(p, &rng)
      return [.init(parameter: 0, coefficient: 1 / p.a, plus: x, minus: 1 + k1 + k2)]
    }
  }
}

extension Family {
  public static let geometric = Family(Geometric())
}
