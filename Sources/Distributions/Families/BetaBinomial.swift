import Foundation
import Tensor

/// beta_binomial(n, alpha, beta), SciPy's `betabinom(n, a, b)`: successes in n trials
/// whose success probability is drawn once from beta(alpha, beta),
/// P(k) = C(n, k) B(k + α, n − k + β) / B(α, β). Drawn that way: p, then k.
struct BetaBinomial: FamilyDefinition {
  var name: String { "beta_binomial" }
  var parameters: [FamilyParameter] {
    [FamilyParameter("n", .nonNegativeInteger), FamilyParameter("alpha", .positive), FamilyParameter("beta", .positive)]
  }
  var support: Support { .integers(.value(0), .parameter(0)) }

  /// B(k + α, n − k + β)/B(α, β) as the product Πᵢ(α + i) Πⱼ(β + j) / Πₗ(α + β + l) for
  /// n up to 10⁴ (no cancellation between log-beta terms when α and β are large), by
  /// log-gamma functions beyond.
  func logDensity(_ p: Params, _ x: Double) -> Double {
    let (n, a, b) = (p.a, p.b, p.c)
    let logChoose = lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1)
    guard n <= 10_000 else { return logChoose + Special.logBeta(x + a, n - x + b) - Special.logBeta(a, b) }
    var ratio = 0.0
    for i in 0..<Int(x) { ratio += log((a + Double(i)) / (a + b + Double(i))) }
    for j in 0..<Int(n - x) { ratio += log((b + Double(j)) / (a + b + x + Double(j))) }
    return logChoose + ratio
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let (n, a, b) = (p.a, p.b, p.c)
    let psi = Elementary.digamma, common = psi(a + b) - psi(n + a + b)
    return (Params(0, psi(x + a) - psi(a) + common, psi(n - x + b) - psi(b) + common), 0)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    let success = Family.beta.sample(Params(p.b, p.c), &rng)
    return Double(Binomial.draw(Int(p.a), success, &rng))
  }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let betaBinomial = Family(BetaBinomial())
}
