import Foundation

extension Distribution {
  public func sample(_ rng: inout RandomGenerator) -> Outcome {
    switch self {
    case .normal(let mu, let sd): return .real(mu + sd * rng.normal())
    case .lognormal(let mu, let sd): return .real(exp(mu + sd * rng.normal()))
    case .uniform(let a, let b): return .real(a + (b - a) * rng.uniform())
    case .beta(let a, let b):
      let x = Distribution.standardGamma(a, &rng), y = Distribution.standardGamma(b, &rng)
      return .real(x / (x + y))
    case .gamma(let k, let rate): return .real(Distribution.standardGamma(k, &rng) / rate)
    case .invGamma(let k, let scale): return .real(scale / Distribution.standardGamma(k, &rng))
    case .exponential(let rate): return .real(-log(rng.uniform()) / rate)
    case .cauchy(let loc, let scale): return .real(loc + scale * tan(.pi * (rng.uniform() - 0.5)))
    case .halfNormal(let sd): return .real(abs(sd * rng.normal()))
    case .halfCauchy(let scale): return .real(abs(scale * tan(.pi * (rng.uniform() - 0.5))))
    case .studentT(let nu, let loc, let scale):
      let chi2 = 2 * Distribution.standardGamma(nu / 2, &rng)
      return .real(loc + scale * rng.normal() / (chi2 / nu).squareRoot())
    case .laplace(let loc, let scale):
      let u = rng.uniform() - 0.5
      return .real(loc - scale * (u < 0 ? -1 : 1) * log(1 - 2 * abs(u)))
    case .bernoulli(let p): return .bool(rng.uniform() < p)
    case .categorical(let lp):
      var u = rng.uniform()
      for (i, l) in lp.enumerated() {
        u -= exp(l)
        if u <= 0 { return .int(i) }
      }
      return .int(lp.lastIndex(where: { $0 > -.infinity }) ?? 0)
    case .binomial(let n, let p):
      var k = 0
      for _ in 0..<n where rng.uniform() < p { k += 1 }
      return .int(k)
    case .poisson(let rate): return .int(Distribution.poisson(rate, &rng))
    case .geometric(let p):
      if p >= 1 { return .int(0) }
      return .int(Int(floor(log(rng.uniform()) / log1p(-p))))
    case .uniformDiscrete(let lo, let hi):
      return .int(lo + Int(rng.uniform() * Double(hi - lo + 1)))
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
      if us >= 0.07 && v <= vr { return Int(k) }
      if k < 0 || (us < 0.013 && v > us) { continue }
      if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -rate + k * loglam - lgamma(k + 1) { return Int(k) }
    }
  }
}
