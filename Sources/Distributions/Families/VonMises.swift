import Foundation
import Tensor

/// von_mises(mu, kappa), Stan's `von_mises` and SciPy's `vonmises(kappa, loc = mu)`: an
/// angle on [−π, π] with density exp(κ cos(x − μ)) / (2π I₀(κ)); kappa = 0 is uniform on
/// the circle. Drawn by Best and Fisher's (1979) rejection sampler, wrapped into [−π, π].
struct VonMises: FamilyDefinition {
  var name: String { "von_mises" }
  var parameters: [FamilyParameter] { [FamilyParameter("mu", .finite), FamilyParameter("kappa", .nonNegative)] }
  var support: Support { .interval(.value(-.pi), .value(.pi)) }

  /// κ(cos(x − μ) − 1) − log(2π I₀(κ)e^(−κ)), with cos − 1 = −2 sin²(·/2): no
  /// cancellation of κ against log I₀(κ) at large κ.
  func logDensity(_ p: Params, _ x: Double) -> Double {
    let s = sin((x - p.a) / 2)
    return -2 * p.b * s * s - log(2 * .pi) - Special.logBesselI0Scaled(p.b)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let (mu, kappa) = (p.a, p.b)
    let s = kappa * sin(x - mu)
    return (Params(s, cos(x - mu) - Special.besselI1OverI0(kappa)), -s)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    let (mu, kappa) = (p.a, p.b)
    if kappa < 1e-8 { return .pi * (2 * rng.uniform() - 1) }
    // Beyond this the envelope's constants cancel; the von Mises is normal to within
    // O(1/κ²) there.
    if kappa > 1e6 { return VonMises.wrap(mu + rng.normal() / kappa.squareRoot()) }
    let s: Double
    if kappa < 1e-5 {
      s = 1 / kappa + kappa
    } else {
      let r = 1 + (1 + 4 * kappa * kappa).squareRoot(), rho = (r - (2 * r).squareRoot()) / (2 * kappa)
      s = (1 + rho * rho) / (2 * rho)
    }
    var w: Double
    while true {
      let z = cos(.pi * rng.uniform())
      w = (1 + s * z) / (s + z)
      let y = kappa * (s - w), v = rng.uniform()
      if y * (2 - y) - v >= 0 || log(y / v) + 1 - y >= 0 { break }
    }
    let angle = acos(max(-1, min(1, w)))
    return VonMises.wrap(mu + (rng.uniform() < 0.5 ? -angle : angle))
  }

  /// The angle in [−π, π] equal to x modulo 2π.
  static func wrap(_ x: Double) -> Double {
    let y = x - 2 * .pi * (x / (2 * .pi)).rounded()
    return min(.pi, max(-.pi, y))
  }

  var reparameterization: Reparameterization? { nil }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let vonMises = Family(VonMises())
}
