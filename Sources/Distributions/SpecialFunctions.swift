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
}
