import Foundation
import Tensor

/// beta(a, b) on [0, 1], drawn as X/(X + Y) from two standard gammas.
struct Beta: FamilyDefinition {
  var name: String { "beta" }
  var parameters: [FamilyParameter] { [FamilyParameter("a", .positive), FamilyParameter("b", .positive)] }
  var support: Support { .unitInterval }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    Special.xlogy(p.a - 1, x) + Special.xlog1py(p.b - 1, -x) - Special.logBeta(p.a, p.b)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let s = Elementary.digamma(p.a + p.b)
    return (Params(log(x) - Elementary.digamma(p.a) + s, log1p(-x) - Elementary.digamma(p.b) + s),
            (p.a - 1) / x - (p.b - 1) / (1 - x))
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    let x = Gamma.standard(p.a, &rng), y = Gamma.standard(p.b, &rng)
    return x / (x + y)
  }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let beta = Family(Beta())
}
