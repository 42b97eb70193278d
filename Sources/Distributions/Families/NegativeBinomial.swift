import Foundation
import Tensor

/// negative_binomial(r, p), SciPy's `nbinom(r, p)`: the failures before the r-th success
/// in trials that succeed with probability p, P(k) = C(k + r − 1, k) p^r (1 − p)^k; r
/// may be any positive real. geometric(p) is r = 1. Drawn as a gamma–Poisson mixture:
/// k ~ poisson(λ) with λ ~ gamma(r, rate: p / (1 − p)).
struct NegativeBinomial: FamilyDefinition {
  var name: String { "negative_binomial" }
  var parameters: [FamilyParameter] { [FamilyParameter("r", .positive), FamilyParameter("p", .positiveProbability)] }
  var support: Support { .naturals }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let (r, q) = (p.a, p.b)
    return lgamma(x + r) - lgamma(r) - lgamma(x + 1) + r * log(q) + Special.xlog1py(x, -q)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let (r, q) = (p.a, p.b)
    let dq = x == 0 ? r / q : r / q - x / (1 - q)
    return (Params(Elementary.digamma(x + r) - Elementary.digamma(r) + log(q), dq), 0)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    if p.b >= 1 { return 0 }
    let rate = Gamma.standard(p.a, &rng) * (1 - p.b) / p.b
    // A rate beyond the Doubles (p near 0) draws beyond every Int, as poisson(inf) would.
    guard rate.isFinite else { return .infinity }
    return Double(Poisson.draw(rate, &rng))
  }

  var reparameterization: Reparameterization? { nil }

  /// ∂p of NB(r, p) at k is (r/p)·(NB(r, p)(k) − NB(r + 1, p)(k − 1)): the rest runs at
  /// the draw itself and at one plus a draw of NB(r + 1, p). There is no part for r.
  var measureValued: MeasureValuedDerivative? {
    MeasureValuedDerivative { p, x, rng in
      let shifted = 1 + sample(Params(p.a + 1, p.b), &rng)
      return [.init(parameter: 1, coefficient: p.a / p.b, plus: x, minus: shifted)]
    }
  }
}

extension Family {
  public static let negativeBinomial = Family(NegativeBinomial())
}
