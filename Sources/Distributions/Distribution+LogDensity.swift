import Foundation

extension Distribution {
  /// The normalized log-density (or log-mass) at `x`; `-inf` outside the support.
  public func logpdf(_ x: Outcome) -> Double {
    switch (self, x) {
    case (.normal(let mu, let sd), .real(let v)):
      let z = (v - mu) / sd
      return -0.5 * z * z - log(sd) - 0.5 * log(2 * .pi)
    case (.lognormal(let mu, let sd), .real(let v)):
      guard v > 0 else { return -.infinity }
      let z = (log(v) - mu) / sd
      return -0.5 * z * z - log(sd) - 0.5 * log(2 * .pi) - log(v)
    case (.uniform(let a, let b), .real(let v)):
      return v >= a && v <= b ? -log(b - a) : -.infinity
    case (.beta(let a, let b), .real(let v)):
      guard v >= 0 && v <= 1 else { return -.infinity }
      return (a - 1) * log(v) + (b - 1) * log1p(-v) - Distribution.logBeta(a, b)
    case (.gamma(let k, let rate), .real(let v)):
      guard v >= 0 else { return -.infinity }
      return k * log(rate) + (k - 1) * log(v) - rate * v - lgamma(k)
    case (.invGamma(let k, let scale), .real(let v)):
      guard v > 0 else { return -.infinity }
      return k * log(scale) - (k + 1) * log(v) - scale / v - lgamma(k)
    case (.exponential(let rate), .real(let v)):
      return v >= 0 ? log(rate) - rate * v : -.infinity
    case (.cauchy(let loc, let scale), .real(let v)):
      let z = (v - loc) / scale
      return -log(.pi * scale) - log1p(z * z)
    case (.halfNormal(let sd), .real(let v)):
      guard v >= 0 else { return -.infinity }
      let z = v / sd
      return 0.5 * log(2 / .pi) - log(sd) - 0.5 * z * z
    case (.halfCauchy(let scale), .real(let v)):
      guard v >= 0 else { return -.infinity }
      let z = v / scale
      return log(2 / (.pi * scale)) - log1p(z * z)
    case (.studentT(let nu, let loc, let scale), .real(let v)):
      let z = (v - loc) / scale
      return lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * log(nu * .pi) - log(scale)
        - (nu + 1) / 2 * log1p(z * z / nu)
    case (.laplace(let loc, let scale), .real(let v)):
      return -log(2 * scale) - abs(v - loc) / scale
    case (.bernoulli(let p), .bool(let b)):
      return b ? log(p) : log1p(-p)
    case (.categorical(let lp), .int(let k)):
      return k >= 0 && k < lp.count ? lp[k] : -.infinity
    case (.binomial(let n, let p), .int(let k)):
      guard k >= 0 && k <= n else { return -.infinity }
      let logChoose = lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
      return logChoose + Distribution.xlogy(Double(k), p) + Distribution.xlog1py(Double(n - k), -p)
    case (.poisson(let rate), .int(let k)):
      guard k >= 0 else { return -.infinity }
      return Distribution.xlogy(Double(k), rate) - rate - lgamma(Double(k) + 1)
    case (.geometric(let p), .int(let k)):
      guard k >= 0 else { return -.infinity }
      return log(p) + Distribution.xlog1py(Double(k), -p)
    case (.uniformDiscrete(let lo, let hi), .int(let k)):
      return k >= lo && k <= hi ? -log(Double(hi - lo + 1)) : -.infinity
    default:
      return -.infinity
    }
  }

  static func logBeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
  /// x·log(y) with 0·log(0) = 0.
  static func xlogy(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * log(y) }
  /// x·log1p(y) with 0·log1p(-1) = 0.
  static func xlog1py(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * log1p(y) }
}
