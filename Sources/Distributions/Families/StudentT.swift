import Foundation
import Tensor

/// student_t(nu, loc, scale), drawn as loc + scale·Z/√(χ²/ν).
struct StudentT: FamilyDefinition {
  var name: String { "student_t" }
  var parameters: [FamilyParameter] {
    [FamilyParameter("nu", .positive), FamilyParameter("loc", .finite), FamilyParameter("scale", .positive)]
  }
  var support: Support { .real }

  func logDensity(_ p: Params, _ x: Double) -> Double {
    let z = (x - p.b) / p.c
    return lgamma((p.a + 1) / 2) - lgamma(p.a / 2) - 0.5 * log(p.a * .pi) - log(p.c) - (p.a + 1) / 2 * log1p(z * z / p.a)
  }

  func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    let nu = p.a, z = (x - p.b) / p.c, t = z * z / nu
    let dnu = 0.5 * (Elementary.digamma((nu + 1) / 2) - Elementary.digamma(nu / 2)) - 1 / (2 * nu)
      - 0.5 * log1p(t) + (nu + 1) * t / (2 * nu * (1 + t))
    let dloc = (nu + 1) * z / (nu * p.c * (1 + t))
    return (Params(dnu, dloc, -1 / p.c + (nu + 1) * t / (p.c * (1 + t))), -dloc)
  }

  func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    let chi2 = 2 * Gamma.standard(p.a / 2, &rng)
    return p.b + p.c * rng.normal() / (chi2 / p.a).squareRoot()
  }

  /// Implicit in ν: loc + scale·Z/√(2g/ν), g a standard gamma draw of shape ν/2 moving
  /// with it (`ImplicitGamma`); the two noise values are drawn as `sample` draws them.
  var reparameterization: Reparameterization? {
    Reparameterization(noiseCount: 2, noise: { p, k, rng in k == 0 ? Gamma.standard(p.a / 2, &rng) : rng.normal() }, draw: { p, e in
      let g = try ImplicitGamma.draw(try p[0] / .number(2), standard: e[0].value)
      return try p[1] + p[2] * e[1] / (try (.number(2) * g / p[0]).apply(.sqrt))
    })
  }
  var measureValued: MeasureValuedDerivative? { nil }
}

extension Family {
  public static let studentT = Family(StudentT())
}
