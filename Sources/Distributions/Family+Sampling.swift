import Foundation
import Tensor

extension Family {
  /// One draw (discrete draws as their numeric value; bernoulli as 0 or 1).
  public func sample(_ p: Params, _ rng: inout RandomGenerator) -> Double {
    switch self {
    case .normal: return p.a + p.b * rng.normal()
    case .lognormal: return exp(p.a + p.b * rng.normal())
    case .uniform: return p.a + (p.b - p.a) * rng.uniform()
    case .beta:
      let x = Family.standardGamma(p.a, &rng), y = Family.standardGamma(p.b, &rng)
      return x / (x + y)
    case .gamma: return Family.standardGamma(p.a, &rng) / p.b
    case .invGamma: return p.b / Family.standardGamma(p.a, &rng)
    case .exponential: return -log(rng.uniform()) / p.a
    case .cauchy: return p.a + p.b * tan(.pi * (rng.uniform() - 0.5))
    case .halfNormal: return abs(p.a * rng.normal())
    case .halfCauchy: return abs(p.a * tan(.pi * (rng.uniform() - 0.5)))
    case .studentT:
      let chi2 = 2 * Family.standardGamma(p.a / 2, &rng)
      return p.b + p.c * rng.normal() / (chi2 / p.a).squareRoot()
    case .laplace:
      let u = rng.uniform() - 0.5
      return p.a - p.b * (u < 0 ? -1 : 1) * log(1 - 2 * abs(u))
    case .bernoulli: return rng.uniform() < p.a ? 1 : 0
    case .bernoulliLogit: return rng.uniform() < Elementary.sigmoid(p.a) ? 1 : 0
    case .binomial: return Double(Family.binomial(Int(p.a), p.b, &rng))
    case .poisson: return Double(Family.poisson(p.a, &rng))
    case .geometric:
      if p.a >= 1 { return 0 }
      return floor(log(rng.uniform()) / log1p(-p.a))
    case .uniformDiscrete:
      return p.a + floor(rng.uniform() * (p.b - p.a + 1))
    }
  }

  /// Gamma(k, 1) by Marsaglia and Tsang (2000), boosted for k < 1.
  static func standardGamma(_ k: Double, _ rng: inout RandomGenerator) -> Double {
    if k < 1 {
      return standardGamma(k + 1, &rng) * pow(rng.uniform(), 1 / k)
    }
    let d = k - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double, v: Double
      repeat {
        x = rng.normal()
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = rng.uniform()
      if u < 1 - 0.0331 * x * x * x * x { return d * v }
      if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
    }
  }

  /// Poisson by multiplication for small rates and Hörmann's PTRS (1993) otherwise.
  static func poisson(_ rate: Double, _ rng: inout RandomGenerator) -> Int {
    if rate == 0 { return 0 }
    if rate < 10 {
      let limit = exp(-rate)
      var k = 0
      var p = rng.uniform()
      while p > limit {
        k += 1
        p *= rng.uniform()
      }
      return k
    }
    let slam = rate.squareRoot(), loglam = log(rate)
    let b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b
    let invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = rng.uniform() - 0.5, v = rng.uniform()
      let us = 0.5 - abs(u)
      let k = floor((2 * a / us + b) * u + rate + 0.43)
      if us >= 0.07 && v <= vr { return Int(saturating: k) }
      if k < 0 || (us < 0.013 && v > us) { continue }
      if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -rate + k * loglam - lgamma(k + 1) { return Int(saturating: k) }
    }
  }

  /// Binomial by counting successes for small n, else by summing geometric waiting
  /// times between successes (O(np) expected work, p ≤ 1/2 by symmetry).
  static func binomial(_ n: Int, _ p: Double, _ rng: inout RandomGenerator) -> Int {
    if p <= 0 || n == 0 { return 0 }
    if p >= 1 { return n }
    if p > 0.5 { return n - binomial(n, 1 - p, &rng) }
    if n <= 64 {
      var k = 0
      for _ in 0..<n where rng.uniform() < p { k += 1 }
      return k
    }
    // Waiting times: the number of successes whose geometric gaps fit in n trials.
    let logq = log1p(-p)
    var k = 0, position = 0
    while true {
      let gap = floor(log(rng.uniform()) / logq) + 1
      if gap > Double(n - position) { return k }
      position += Int(gap)
      k += 1
    }
  }
}
