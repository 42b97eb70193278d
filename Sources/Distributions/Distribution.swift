import Foundation

/// A value a distribution produces or scores.
public enum Outcome: Sendable, Equatable {
  case real(Double)
  case int(Int)
  case bool(Bool)
}

/// Invalid parameters are reported naming the distribution and the parameter.
public struct DistributionError: Error, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// A primitive distribution with validated parameters: sampling, normalized
/// log-density (log-space throughout), and finite supports for enumeration.
public enum Distribution: Sendable, Equatable {
  case normal(mu: Double, sd: Double)
  case lognormal(mu: Double, sd: Double)
  case uniform(a: Double, b: Double)
  case beta(a: Double, b: Double)
  case gamma(shape: Double, rate: Double)
  case invGamma(shape: Double, scale: Double)
  case exponential(rate: Double)
  case cauchy(loc: Double, scale: Double)
  case halfNormal(sd: Double)
  case halfCauchy(scale: Double)
  case studentT(nu: Double, loc: Double, scale: Double)
  case laplace(loc: Double, scale: Double)
  case bernoulli(p: Double)
  case categorical(logProbs: [Double])
  case binomial(n: Int, p: Double)
  case poisson(rate: Double)
  case geometric(p: Double)
  case uniformDiscrete(lo: Int, hi: Int)

  public var name: String {
    switch self {
    case .normal: return "normal"
    case .lognormal: return "lognormal"
    case .uniform: return "uniform"
    case .beta: return "beta"
    case .gamma: return "gamma"
    case .invGamma: return "inv_gamma"
    case .exponential: return "exponential"
    case .cauchy: return "cauchy"
    case .halfNormal: return "half_normal"
    case .halfCauchy: return "half_cauchy"
    case .studentT: return "student_t"
    case .laplace: return "laplace"
    case .bernoulli: return "bernoulli"
    case .categorical: return "categorical"
    case .binomial: return "binomial"
    case .poisson: return "poisson"
    case .geometric: return "geometric"
    case .uniformDiscrete: return "uniform_discrete"
    }
  }

  /// Checks parameters, throwing a message that names the distribution and parameter.
  public func validated() throws -> Distribution {
    func positive(_ v: Double, _ p: String) throws {
      guard v > 0 && v.isFinite else { throw DistributionError("\(name): parameter \(p) must be positive and finite, got \(v)") }
    }
    func finite(_ v: Double, _ p: String) throws {
      guard v.isFinite else { throw DistributionError("\(name): parameter \(p) must be finite, got \(v)") }
    }
    func probability(_ v: Double, _ p: String) throws {
      guard v >= 0 && v <= 1 else { throw DistributionError("\(name): parameter \(p) must lie in [0, 1], got \(v)") }
    }
    switch self {
    case .normal(let mu, let sd), .lognormal(let mu, let sd):
      try finite(mu, "mu"); try positive(sd, "sd")
    case .uniform(let a, let b):
      try finite(a, "a"); try finite(b, "b")
      guard a < b else { throw DistributionError("uniform: parameter a must be less than b, got a = \(a), b = \(b)") }
    case .beta(let a, let b): try positive(a, "a"); try positive(b, "b")
    case .gamma(let k, let r): try positive(k, "shape"); try positive(r, "rate")
    case .invGamma(let k, let s): try positive(k, "shape"); try positive(s, "scale")
    case .exponential(let r): try positive(r, "rate")
    case .cauchy(let l, let s), .laplace(let l, let s): try finite(l, "loc"); try positive(s, "scale")
    case .halfNormal(let sd): try positive(sd, "sd")
    case .halfCauchy(let s): try positive(s, "scale")
    case .studentT(let nu, let l, let s): try positive(nu, "nu"); try finite(l, "loc"); try positive(s, "scale")
    case .bernoulli(let p): try probability(p, "p")
    case .categorical(let lp):
      guard !lp.isEmpty else { throw DistributionError("categorical: probs must not be empty") }
      guard lp.allSatisfy({ !$0.isNaN && $0 < .infinity }) else { throw DistributionError("categorical: probs must be finite and non-negative") }
    case .binomial(let n, let p):
      guard n >= 0 else { throw DistributionError("binomial: parameter n must be non-negative, got \(n)") }
      try probability(p, "p")
    case .poisson(let r):
      guard r >= 0 && r.isFinite else { throw DistributionError("poisson: parameter rate must be non-negative and finite, got \(r)") }
    case .geometric(let p):
      guard p > 0 && p <= 1 else { throw DistributionError("geometric: parameter p must lie in (0, 1], got \(p)") }
    case .uniformDiscrete(let lo, let hi):
      guard lo <= hi else { throw DistributionError("uniform_discrete: lo must not exceed hi, got \(lo) and \(hi)") }
    }
    return self
  }

  /// Builds a categorical from probabilities (normalized here).
  public static func categorical(probs: [Double]) throws -> Distribution {
    guard probs.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
      throw DistributionError("categorical: probs must be finite and non-negative")
    }
    let total = probs.reduce(0, +)
    guard total > 0 else { throw DistributionError("categorical: probs must not all be zero") }
    return .categorical(logProbs: probs.map { log($0 / total) })
  }

  /// Builds a categorical from unnormalized log-probabilities.
  public static func categorical(logits: [Double]) throws -> Distribution {
    guard !logits.isEmpty, logits.allSatisfy({ !$0.isNaN && $0 < .infinity }) else {
      throw DistributionError("categorical_logit: logits must be finite")
    }
    let m = logits.max() ?? 0
    let lse = m + log(logits.reduce(0) { $0 + exp($1 - m) })
    return .categorical(logProbs: logits.map { $0 - lse })
  }

  /// The finite support, or nil for infinite or continuous supports.
  public var support: [Outcome]? {
    switch self {
    case .bernoulli: return [.bool(false), .bool(true)]
    case .categorical(let lp): return (0..<lp.count).map { .int($0) }
    case .binomial(let n, _): return (0...n).map { .int($0) }
    case .uniformDiscrete(let lo, let hi): return (lo...hi).map { .int($0) }
    default: return nil
    }
  }
}
