import Foundation
import Tensor

/// skew_normal(loc, scale, alpha), SciPy's `skewnorm(a = alpha, loc, scale)` and Stan's
/// `skew_normal`: density (2/ω) φ(z) Φ(αz) with z = (x − ξ)/ω; alpha = 0 is the normal.
/// Drawn as ξ + ω(δ|U| + √(1 − δ²) V) with δ = α/√(1 + α²) and U, V standard normal
/// (Azzalini 1985), which is also its reparameterization.
struct SkewNormal: FamilyDefinition {
  var name: String { "skew_normal" }
  var parameters: [FamilyParameter] {
    [FamilyParameter("loc", .finite), FamilyParameter("scale", .positive), FamilyParameter("alpha", .finite)]
  }
  var support: Support { .real }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let z = (x - p.a) / p.b
    return log(2) - log(p.b) - 0.5 * z * z - 0.5 * log(2 * .pi) + Special.logNormalCDF(p.c * z)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let (omega, alpha) = (p.b, p.c)
    let z = (x - p.a) / omega, mills = Special.normalHazard(alpha * z)
    let dz = -z + alpha * mills
    return (Params(-dz / omega, (-1 - dz * z) / omega, z * mills), dz / omega)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    let (delta, rest) = SkewNormal.mixing(p.c)
    let u = rng.normal(), v = rng.normal()
    return p.a + p.b * (delta * abs(u) + rest * v)
  }

  /// δ = α/√(1 + α²) and √(1 − δ²) = 1/√(1 + α²), without overflow or cancellation at
  /// any α.
  static func mixing(_ alpha: Double) -> (delta: Double, rest: Double) {
    let r = 1 / hypot(1, alpha)
    return (alpha * r, r)
  }

  /// δ and √(1 − δ²) of a tensor of α on the tape: dδ/dα = r³, dr/dα = −δr².
  static func mixing(_ alpha: Operand) throws -> (delta: Operand, rest: Operand) {
    let a = alpha.value, parts = a.data.map(mixing)
    let delta = try Differentiable.custom(Tensor(shape: a.shape, data: parts.map(\.delta)), [alpha]) { g in
      [Tensor(shape: a.shape, data: zip(parts, g.data).map { $0.rest * $0.rest * $0.rest * $1 })]
    }
    let rest = try Differentiable.custom(Tensor(shape: a.shape, data: parts.map(\.rest)), [alpha]) { g in
      [Tensor(shape: a.shape, data: zip(parts, g.data).map { -$0.delta * $0.rest * $0.rest * $1 })]
    }
    return (delta, rest)
  }

  var reparameterization: Reparameterization? {
    Reparameterization(noiseCount: 2, noise: { _, _, rng in rng.normal() }, draw: { p, e in
      let (delta, rest) = try SkewNormal.mixing(p[2])
      let standard = try delta * e[0].apply(.abs) + rest * e[1]
      return try p[0] + p[1] * standard
    })
  }

  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let skewNormal = Family(SkewNormal())
}
