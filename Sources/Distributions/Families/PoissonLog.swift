import Foundation
import Tensor

/// poisson_log(log_rate): poisson(exp(log_rate)), Stan's `poisson_log`, scored without
/// forming the rate's logarithm (k·α − e^α − log k!), as GLMs with a log link need.
struct PoissonLog: FamilyDefinition {
  var name: String { "poisson_log" }
  var parameters: [FamilyParameter] { [FamilyParameter("log_rate", .finite)] }
  var support: Support { .naturals }

  func logDensity(_ p: Params, _ x: Double) -> Double { x * p.a - exp(p.a) - lgamma(x + 1) }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) { (Params(x - exp(p.a)), 0) }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    let rate = exp(p.a)
    // A rate beyond the Doubles draws beyond every Int, as negative_binomial does.
    guard rate.isFinite else { return .infinity }
    return Double(Poisson.draw(rate, &rng))
  }

  var reparameterization: Reparameterization? { nil }

  /// poisson's parts, times dλ/dα = λ.
  var measureValued: MeasureValuedDerivative? {
    MeasureValuedDerivative { p, x, _ in [.init(parameter: 0, coefficient: exp(p.a), plus: x + 1, minus: x)] }
  }
}

extension Family {
  public static let poissonLog = Family(PoissonLog())
}
