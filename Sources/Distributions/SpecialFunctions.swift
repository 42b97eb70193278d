import Foundation

/// Special functions the log-densities and their gradients need.
public enum Special {
  public static func logBeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }

  /// x·log(y) with 0·log(0) = 0.
  public static func xlogy(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * log(y) }

  /// x·log1p(y) with 0·log1p(-1) = 0.
  public static func xlog1py(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * log1p(y) }

  /// log Σ exp(x), with the maximum factored out.
  @inlinable
  public static func logsumexp<C: Collection>(_ xs: C) -> Double where C.Element == Double {
    guard let m = xs.max(), m.isFinite else { return xs.max() ?? -.infinity }
    return m + log(xs.reduce(0) { $0 + exp($1 - m) })
  }

  /// log Φ(z), the standard normal's log-CDF, accurate in both tails.
  public static func logNormalCDF(_ z: Double) -> Double {
    if z > 0 { return log1p(-0.5 * erfc(z / 2.0.squareRoot())) }
    if z > -30 { return log(0.5 * erfc(-z / 2.0.squareRoot())) }
    return -0.5 * z * z - log(-z) - 0.5 * log(2 * .pi) + log(millsSeries(z))
  }

  /// φ(z)/Φ(z), the derivative of log Φ, accurate in both tails.
  public static func normalHazard(_ z: Double) -> Double {
    if z > -30 { return exp(-0.5 * z * z - 0.5 * log(2 * .pi) - logNormalCDF(z)) }
    return -z / millsSeries(z)
  }

  /// 1 − 1/z² + 3/z⁴ − 15/z⁶ + …, with Φ(z) = φ(z)/(−z) times it for z → −∞ (the terms
  /// fall while (2k − 1) < z², so at z < −30 the truncation is far below rounding).
  private static func millsSeries(_ z: Double) -> Double {
    var term = 1.0, sum = 1.0
    for k in 1...12 {
      term *= -Double(2 * k - 1) / (z * z)
      sum += term
    }
    return sum
  }

  /// log(I₀(κ)·e^(−κ)), the log of the exponentially scaled modified Bessel function of
  /// the first kind of order 0, for κ ≥ 0 (finite however large κ is).
  public static func logBesselI0Scaled(_ kappa: Double) -> Double {
    if kappa <= 30 { return log(besselSeries(kappa, order: 0)) - kappa }
    return -0.5 * log(2 * .pi * kappa) + log(besselAsymptotic(kappa, order: 0))
  }

  /// I₁(κ)/I₀(κ), the derivative of log I₀, for κ ≥ 0.
  public static func besselI1OverI0(_ kappa: Double) -> Double {
    if kappa <= 30 { return besselSeries(kappa, order: 1) / besselSeries(kappa, order: 0) }
    return besselAsymptotic(kappa, order: 1) / besselAsymptotic(kappa, order: 0)
  }

  /// Iᵥ(κ) = Σₖ (κ/2)^(2k+ν) / (k!(k+ν)!) for ν = 0 or 1, summed until the terms stop
  /// mattering (all positive; at κ ≤ 30 the largest is below e^30).
  private static func besselSeries(_ kappa: Double, order nu: Int) -> Double {
    let q = kappa * kappa / 4
    var term = nu == 0 ? 1 : kappa / 2, sum = term, k = 0.0
    while true {
      k += 1
      term *= q / (k * (k + Double(nu)))
      sum += term
      if term <= 1e-17 * sum && k * k > q { return sum }
    }
  }

  /// Iᵥ(κ)·√(2πκ)·e^(−κ) by Hankel's asymptotic series, Σₖ Πⱼ₌₁..ₖ ((2j − 1)² − 4ν²)/(8jκ),
  /// for κ > 30, where its terms fall below rounding long before they diverge.
  private static func besselAsymptotic(_ kappa: Double, order nu: Int) -> Double {
    let mu = Double(4 * nu * nu)
    var term = 1.0, sum = 1.0
    for j in 1...30 {
      let odd = Double(2 * j - 1)
      term *= (odd * odd - mu) / (Double(j) * 8 * kappa)
      sum += term
      if abs(term) <= 1e-17 * abs(sum) { break }
    }
    return sum
  }
}
