import Foundation
import Tensor

/// binomial_logit(n, logit): binomial(n, σ(logit)), Stan's `binomial_logit`, scored in
/// log space (log σ(z) = −softplus(−z)) so both tails stay exact.
struct BinomialLogit: FamilyDefinition {
  var name: String { "binomial_logit" }
  var parameters: [FamilyParameter] { [FamilyParameter("n", .nonNegativeInteger), FamilyParameter("logit", .notNaN)] }
  var support: Support { .integers(.value(0), .parameter(0)) }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let (n, z) = (p.a, p.b)
    let logChoose = lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1)
    let successes = x == 0 ? 0 : -x * BernoulliLogit.softplus(-z)
    let failures = n - x == 0 ? 0 : -(n - x) * BernoulliLogit.softplus(z)
    return logChoose + successes + failures
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    (Params(0, x - p.a * Elementary.sigmoid(p.b)), 0)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    Double(Binomial.draw(Int(p.a), Elementary.sigmoid(p.b), &rng))
  }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let binomialLogit = Family(BinomialLogit())
}
