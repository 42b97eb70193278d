import Foundation
import Tensor

/// bernoulli_logit(logit): true with probability σ(logit), scored in log space so both
/// tails stay exact.
struct BernoulliLogit: FamilyDefinition {
  var name: String { "bernoulli_logit" }
  var parameters: [FamilyParameter] { [FamilyParameter("logit", .notNaN)] }
  var support: Support { .boolean }

  /// log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z).
  func logDensity(_ p: Params, _ x: Double) -> Double {
    x == 1 ? -BernoulliLogit.softplus(-p.a) : -BernoulliLogit.softplus(p.a)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(x - Elementary.sigmoid(p.a)), 0) }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double { rng.uniform() < Elementary.sigmoid(p.a) ? 1 : 0 }

  var reparameterization: Reparameterization? { nil }

  /// bernoulli's parts, times dσ/dlogit = σ(1 − σ).
  var measureValued: MeasureValuedDerivative? {
    MeasureValuedDerivative { p, _, _ in
      let s = Elementary.sigmoid(p.a)
      return [.init(parameter: 0, coefficient: s * (1 - s), plus: 1, minus: 0)]
    }
  }

  func fusedLogDensity(_ params: [Tensor], _ x: Tensor) -> FusedLogDensity? {
    let n = x.count
    var g = [Double](repeating: 0, count: n)
    var total = 0.0
    let logits = params[0].data, single = params[0].count == 1
    for i in 0..<n {
      let l = single ? logits[0] : logits[i], xi = x.data[i]
      let e = exp(-abs(l)), p = l >= 0 ? 1 / (1 + e) : e / (1 + e)
      let softplusNegative = max(-l, 0) + log1p(e)  // −log σ(l)
      if xi == 1 {
        total -= softplusNegative
      } else if xi == 0 {
        total -= max(l, 0) + log1p(e)  // −log σ(−l), finite at l = −inf
      } else {
        total = -.infinity
      }
      g[i] = xi - p
    }
    return FusedLogDensity(value: total, parameters: [g], x: [Double](repeating: 0, count: n))
  }

  static func softplus(_ x: Double) -> Double { x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)) }
}

extension Family {
  public static let bernoulliLogit = Family(BernoulliLogit())
}
