import Foundation
import Tensor

/// Implicit reparameterization of gamma draws (Figurnov, Mohamed and Mnih 2018,
/// "Implicit reparameterization gradients"): a draw x ~ Gamma(a, 1), made by any
/// sampler, moves with its shape as
///
///     dx/da = −(∂F/∂a)(a, x) / f(x; a),
///
/// the change that keeps its quantile F(x; a) fixed. Gamma, beta and Dirichlet draws
/// (which are made of standard gamma draws) follow their path on the tape with it, as
/// in Pyro and PyTorch.
///
/// ∂F/∂a comes from the series of the regularized lower incomplete gamma function
/// below x ≤ a + 1, where its terms share one sign, and from Lentz's continued fraction
/// of the upper one above (differentiated numerically in a with a step on the scale of
/// √a, which the fraction tolerates: it converges to machine precision). Shapes above 10^6 use the
/// Wilson–Hilferty approximation, whose relative error is O(1/a).
public enum ImplicitGamma {
  /// dx/da of a standard gamma draw x at shape a (0 where x underflowed to 0).
  public static func shapeDerivative(_ a: Double, _ x: Double) -> Double {
    guard x > 0, x.isFinite, a > 0 else { return 0 }
    if a > 1e6 { return wilsonHilferty(a, x) }
    return x <= a + 1 ? lowerSeries(a, x) : upperFraction(a, x)
  }

  /// Standard gamma draws `g` as a differentiable function of their shapes `a`
  /// (broadcast to g's shape): the pullback multiplies by dx/da elementwise.
  public static func draw(_ a: Operand, standard g: Tensor) throws -> Operand {
    let shapes = try a + .constant(Tensor(shape: g.shape, repeating: 0))
    guard case .tracked = shapes else { return .constant(g) }
    let derivative = zip(shapes.value.data, g.data).map { shapeDerivative($0, $1) }
    return try Differentiable.custom(g, [shapes]) { grad in
      [Tensor(shape: g.shape, data: zip(grad.data, derivative).map(*))]
    }
  }

  /// F = e^(−x) x^a Σₙ xⁿ/Γ(a+n+1), so ∂F/∂a = Σₙ tₙ (log x − ψ(a+n+1)), and with
  /// t₀/f(x; a) = x/a: dx/da = −(x/a) Σₙ rₙ (log x − ψ(a+n+1)), rₙ = Πₖ≤ₙ x/(a+k).
  static func lowerSeries(_ a: Double, _ x: Double) -> Double {
    let logX = log(x)
    var r = 1.0, psi = Elementary.digamma(a + 1), total = logX - psi, size = 1.0
    var n = 1.0
    while n < 1e7 {
      r *= x / (a + n)
      psi += 1 / (a + n)
      total += r * (logX - psi)
      size += r
      if r < 1e-17 * size { break }
      n += 1
    }
    return -(x / a) * total
  }

  /// With Γ(a, x) = e^(−x) x^a h(a, x) (h the continued fraction) and Q = Γ(a, x)/Γ(a):
  /// dx/da = ∂Q/∂a / f = x·h·∂(log Q)/∂a, ∂(log Q)/∂a = log x + ∂(log h)/∂a − ψ(a).
  static func upperFraction(_ a: Double, _ x: Double) -> Double {
    // log h varies with a on the scale of √a (the draw's spread), so the step follows it.
    let step = min(1e-3 * max(a.squareRoot(), 0.1), a / 2)
    let dLogH = (log(continuedFraction(a + step, x)) - log(continuedFraction(a - step, x))) / (2 * step)
    return x * continuedFraction(a, x) * (log(x) + dLogH - Elementary.digamma(a))
  }

  /// h(a, x) of Γ(a, x) = e^(−x) x^a h(a, x), by the modified Lentz method (x > a + 1).
  static func continuedFraction(_ a: Double, _ x: Double) -> Double {
    let tiny = 1e-300
    var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
    var i = 1.0
    while i < 1e7 {
      let an = -i * (i - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
      i += 1
    }
    return h
  }

  /// x ≈ a·(1 − 1/(9a) + z/(3√a))³ with z standard normal held fixed.
  static func wilsonHilferty(_ a: Double, _ x: Double) -> Double {
    let c = cbrt(x / a), z = (c - 1 + 1 / (9 * a)) * 3 * a.squareRoot()
    return c * c * c + 3 * a * c * c * (1 / (9 * a * a) - z / (6 * pow(a, 1.5)))
  }
}
