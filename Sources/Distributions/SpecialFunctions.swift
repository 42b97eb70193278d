import Foundation

/// Special functions the log-densities and their gradients need.
public enum Special {
  /// ψ(x), the digamma function: recurrence up to x ≥ 10, then the asymptotic series
  /// (error < 1e-15); reflection for negative x.
  public static func digamma(_ x: Double) -> Double {
    if x.isNaN || x == -.infinity { return .nan }
    if x <= 0 && x == x.rounded() { return .nan }
    if x < 0 { return digamma(1 - x) - .pi / tan(.pi * x) }
    var x = x, result = 0.0
    while x < 10 {
      result -= 1 / x
      x += 1
    }
    let f = 1 / (x * x)
    return result + log(x) - 0.5 / x
      - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f / 12))))))
  }

  public static func logBeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }

  /// x·log(y) with 0·log(0) = 0.
  public static func xlogy(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * log(y) }

  /// x·log1p(y) with 0·log1p(-1) = 0.
  public static func xlog1py(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * log1p(y) }

  /// log Σ exp(x), with the maximum factored out.
  public static func logsumexp<C: Collection>(_ xs: C) -> Double where C.Element == Double {
    guard let m = xs.max(), m.isFinite else { return xs.max() ?? -.infinity }
    return m + log(xs.reduce(0) { $0 + exp($1 - m) })
  }
}
