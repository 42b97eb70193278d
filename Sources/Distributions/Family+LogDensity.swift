import Foundation
import Tensor

extension Family {
  /// The normalized log-density (or log-mass) at `x`; `-inf` outside the support.
  /// Discrete draws are passed as their numeric value (bernoulli: 1 for true).
  public func logpdf(_ p: Params, _ x: Double) -> Double {
    switch self {
    case .normal:
      let z = (x - p.a) / p.b
      return -0.5 * z * z - log(p.b) - 0.5 * log(2 * .pi)
    case .lognormal:
      guard x > 0 else { return -.infinity }
      let z = (log(x) - p.a) / p.b
      return -0.5 * z * z - log(p.b) - 0.5 * log(2 * .pi) - log(x)
    case .uniform:
      return x >= p.a && x <= p.b ? -log(p.b - p.a) : -.infinity
    case .beta:
      guard x >= 0 && x <= 1 else { return -.infinity }
      return Special.xlogy(p.a - 1, x) + Special.xlog1py(p.b - 1, -x) - Special.logBeta(p.a, p.b)
    case .gamma:
      guard x >= 0 else { return -.infinity }
      return p.a * log(p.b) + Special.xlogy(p.a - 1, x) - p.b * x - lgamma(p.a)
    case .invGamma:
      guard x > 0 else { return -.infinity }
      return p.a * log(p.b) - (p.a + 1) * log(x) - p.b / x - lgamma(p.a)
    case .exponential:
      return x >= 0 ? log(p.a) - p.a * x : -.infinity
    case .cauchy:
      let z = (x - p.a) / p.b
      return -log(.pi * p.b) - log1p(z * z)
    case .halfNormal:
      guard x >= 0 else { return -.infinity }
      let z = x / p.a
      return 0.5 * log(2 / .pi) - log(p.a) - 0.5 * z * z
    case .halfCauchy:
      guard x >= 0 else { return -.infinity }
      let z = x / p.a
      return log(2 / (.pi * p.a)) - log1p(z * z)
    case .studentT:
      let z = (x - p.b) / p.c
      return lgamma((p.a + 1) / 2) - lgamma(p.a / 2) - 0.5 * log(p.a * .pi) - log(p.c)
        - (p.a + 1) / 2 * log1p(z * z / p.a)
    case .laplace:
      return -log(2 * p.b) - abs(x - p.a) / p.b
    case .bernoulli:
      if x == 1 { return log(p.a) }
      return x == 0 ? log1p(-p.a) : -.infinity
    case .bernoulliLogit:
      // log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z): exact in both tails.
      if x == 1 { return -Family.softplus(-p.a) }
      return x == 0 ? -Family.softplus(p.a) : -.infinity
    case .binomial:
      guard x >= 0 && x <= p.a && x == x.rounded() else { return -.infinity }
      let logChoose = lgamma(p.a + 1) - lgamma(x + 1) - lgamma(p.a - x + 1)
      return logChoose + Special.xlogy(x, p.b) + Special.xlog1py(p.a - x, -p.b)
    case .poisson:
      guard x >= 0 && x == x.rounded() else { return -.infinity }
      return Special.xlogy(x, p.a) - p.a - lgamma(x + 1)
    case .geometric:
      guard x >= 0 && x == x.rounded() else { return -.infinity }
      return log(p.a) + Special.xlog1py(x, -p.a)
    case .uniformDiscrete:
      return x >= p.a && x <= p.b && x == x.rounded() ? -log(p.b - p.a + 1) : -.infinity
    }
  }

  /// ∂logpdf/∂parameters and ∂logpdf/∂x at a point of the support (∂x is 0 for
  /// discrete families; integer parameters get 0).
  public func gradient(_ p: Params, _ x: Double) -> (params: Params, x: Double) {
    switch self {
    case .normal:
      let z = (x - p.a) / p.b
      return (Params(z / p.b, (z * z - 1) / p.b), -z / p.b)
    case .lognormal:
      let z = (log(x) - p.a) / p.b
      return (Params(z / p.b, (z * z - 1) / p.b), (-z / p.b - 1) / x)
    case .uniform:
      let w = p.b - p.a
      return (Params(1 / w, -1 / w), 0)
    case .beta:
      let s = Elementary.digamma(p.a + p.b)
      return (Params(log(x) - Elementary.digamma(p.a) + s, log1p(-x) - Elementary.digamma(p.b) + s),
              (p.a - 1) / x - (p.b - 1) / (1 - x))
    case .gamma:
      return (Params(log(p.b) + log(x) - Elementary.digamma(p.a), p.a / p.b - x), (p.a - 1) / x - p.b)
    case .invGamma:
      return (Params(log(p.b) - log(x) - Elementary.digamma(p.a), p.a / p.b - 1 / x), -(p.a + 1) / x + p.b / (x * x))
    case .exponential:
      return (Params(1 / p.a - x), -p.a)
    case .cauchy:
      let z = (x - p.a) / p.b, q = 1 + z * z
      return (Params(2 * z / (p.b * q), -1 / p.b + 2 * z * z / (p.b * q)), -2 * z / (p.b * q))
    case .halfNormal:
      let z = x / p.a
      return (Params((z * z - 1) / p.a), -z / p.a)
    case .halfCauchy:
      let z = x / p.a, q = 1 + z * z
      return (Params(-1 / p.a + 2 * z * z / (p.a * q)), -2 * z / (p.a * q))
    case .studentT:
      let nu = p.a, z = (x - p.b) / p.c, t = z * z / nu
      let dnu = 0.5 * (Elementary.digamma((nu + 1) / 2) - Elementary.digamma(nu / 2)) - 1 / (2 * nu)
        - 0.5 * log1p(t) + (nu + 1) * t / (2 * nu * (1 + t))
      let dloc = (nu + 1) * z / (nu * p.c * (1 + t))
      return (Params(dnu, dloc, -1 / p.c + (nu + 1) * t / (p.c * (1 + t))), -dloc)
    case .laplace:
      let s: Double = x > p.a ? 1 : x < p.a ? -1 : 0
      return (Params(s / p.b, -1 / p.b + abs(x - p.a) / (p.b * p.b)), -s / p.b)
    case .bernoulli:
      return (Params(x == 1 ? 1 / p.a : -1 / (1 - p.a)), 0)
    case .bernoulliLogit:
      return (Params(x - Elementary.sigmoid(p.a)), 0)
    case .binomial:
      return (Params(0, x / p.b - (p.a - x) / (1 - p.b)), 0)
    case .poisson:
      return (Params(x / p.a - 1), 0)
    case .geometric:
      return (Params(1 / p.a - x / (1 - p.a)), 0)
    case .uniformDiscrete:
      return (Params(0, 0), 0)
    }
  }

  /// Finite supports longer than this are not listed (enumeration could not visit them).
  public static let maxSupport = 1 << 20

  /// The finite support, or nil when it is infinite, continuous or longer than
  /// `maxSupport`.
  public func support(_ p: Params) -> [Double]? {
    switch self {
    case .bernoulli, .bernoulliLogit: return [0, 1]
    case .binomial, .uniformDiscrete:
      let (lo, hi) = self == .binomial ? (0, p.a) : (p.a, p.b)
      guard hi - lo < Double(Family.maxSupport) else { return nil }
      return (Int(lo)...Int(hi)).map(Double.init)
    default: return nil
    }
  }

  static func softplus(_ x: Double) -> Double { x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)) }
}
