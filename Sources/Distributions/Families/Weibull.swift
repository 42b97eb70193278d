import Foundation
import Tensor

/// weibull(shape, scale), SciPy's `weibull_min(c = shape, scale = scale)`: density
/// (k/λ)(x/λ)^(k−1) exp(−(x/λ)^k) on x ≥ 0. Drawn by the inverse CDF,
/// x = λ·E^(1/k) with E standard exponential, which is also its reparameterization.
struct Weibull: FamilyDefinition {
  var name: String { "weibull" }
  var parameters: [FamilyParameter] { [FamilyParameter("shape", .positive), FamilyParameter("scale", .positive)] }
  var support: Support { .positive }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let (k, lambda) = (p.a, p.b)
    let z = x / lambda
    return log(k / lambda) + Special.xlogy(k - 1, z) - pow(z, k)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let (k, lambda) = (p.a, p.b)
    let z = x / lambda, zk = pow(z, k), logZ = log(z)
    return (Params(1 / k + logZ - zk * logZ, k * (zk - 1) / lambda), (k - 1 - k * zk) / x)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    p.b * exp(log(-log(rng.uniform())) / p.a)
  }

  var reparameterization: Reparameterization? {
    Reparameterization(noise: { -log($0.uniform()) }, draw: { p, e in try p[1] * (try e.apply(.log) / p[0]).apply(.exp) })
  }

  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let weibull = Family(Weibull())
}
