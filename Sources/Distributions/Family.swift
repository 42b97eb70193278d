/// A univariate family with up to three real parameters. Scalar kernels (log-density,
/// its gradient, sampling) are written once per family; tensor parameters apply them
/// elementwise (`Distribution.product`).
public enum Family: String, CaseIterable, Sendable {
  case normal, lognormal, uniform, beta, gamma
  case invGamma = "inv_gamma"
  case exponential, cauchy
  case halfNormal = "half_normal"
  case halfCauchy = "half_cauchy"
  case studentT = "student_t"
  case laplace, bernoulli
  case bernoulliLogit = "bernoulli_logit"
  case binomial, poisson, geometric
  case uniformDiscrete = "uniform_discrete"

  /// What a draw is.
  public enum Kind: Sendable { case real, int, bool }

  public var kind: Kind {
    switch self {
    case .bernoulli, .bernoulliLogit: return .bool
    case .binomial, .poisson, .geometric, .uniformDiscrete: return .int
    default: return .real
    }
  }

  public var parameterNames: [String] {
    switch self {
    case .normal, .lognormal: return ["mu", "sd"]
    case .uniform, .beta: return ["a", "b"]
    case .gamma: return ["shape", "rate"]
    case .invGamma: return ["shape", "scale"]
    case .exponential: return ["rate"]
    case .cauchy, .laplace: return ["loc", "scale"]
    case .halfNormal: return ["sd"]
    case .halfCauchy: return ["scale"]
    case .studentT: return ["nu", "loc", "scale"]
    case .bernoulli, .geometric: return ["p"]
    case .bernoulliLogit: return ["logit"]
    case .binomial: return ["n", "p"]
    case .poisson: return ["rate"]
    case .uniformDiscrete: return ["lo", "hi"]
    }
  }

  public var arity: Int { parameterNames.count }

  /// Whether draws can be written as a differentiable function of the parameters and
  /// parameter-free noise (used by the reparameterization estimator).
  public var isReparameterizable: Bool {
    switch self {
    case .normal, .lognormal, .uniform, .exponential, .cauchy, .halfNormal, .halfCauchy, .laplace: return true
    default: return false
    }
  }

  /// Checks one set of parameters, naming the family and parameter in the error.
  public func validate(_ p: Params) throws {
    func positive(_ i: Int) throws {
      guard p[i] > 0 && p[i].isFinite else {
        throw DistributionError("\(rawValue): parameter \(parameterNames[i]) must be positive and finite, got \(p[i])")
      }
    }
    func finite(_ i: Int) throws {
      guard p[i].isFinite else { throw DistributionError("\(rawValue): parameter \(parameterNames[i]) must be finite, got \(p[i])") }
    }
    func probability(_ i: Int) throws {
      guard p[i] >= 0 && p[i] <= 1 else { throw DistributionError("\(rawValue): parameter \(parameterNames[i]) must lie in [0, 1], got \(p[i])") }
    }
    func integer(_ i: Int) throws {
      guard p[i] == p[i].rounded(), abs(p[i]) < 1e15 else {
        throw DistributionError("\(rawValue): parameter \(parameterNames[i]) must be an integer, got \(p[i])")
      }
    }
    switch self {
    case .normal, .lognormal: try finite(0); try positive(1)
    case .uniform:
      try finite(0); try finite(1)
      guard p.a < p.b else { throw DistributionError("uniform: parameter a must be less than b, got a = \(p.a), b = \(p.b)") }
    case .beta, .gamma, .invGamma: try positive(0); try positive(1)
    case .exponential, .halfNormal, .halfCauchy: try positive(0)
    case .cauchy, .laplace: try finite(0); try positive(1)
    case .studentT: try positive(0); try finite(1); try positive(2)
    case .bernoulli: try probability(0)
    case .bernoulliLogit:
      guard !p.a.isNaN else { throw DistributionError("bernoulli_logit: parameter logit must not be NaN") }
    case .binomial:
      try integer(0)
      guard p.a >= 0 else { throw DistributionError("binomial: parameter n must be non-negative, got \(Int(p.a))") }
      try probability(1)
    case .poisson:
      guard p.a >= 0 && p.a.isFinite else { throw DistributionError("poisson: parameter rate must be non-negative and finite, got \(p.a)") }
    case .geometric:
      guard p.a > 0 && p.a <= 1 else { throw DistributionError("geometric: parameter p must lie in (0, 1], got \(p.a)") }
    case .uniformDiscrete:
      try integer(0); try integer(1)
      guard p.a <= p.b else { throw DistributionError("uniform_discrete: lo must not exceed hi, got \(Int(p.a)) and \(Int(p.b))") }
    }
  }
}

/// Up to three real parameters, stored inline (no allocation per distribution).
public struct Params: Sendable, Equatable {
  public var a: Double
  public var b: Double
  public var c: Double

  public init(_ a: Double, _ b: Double = 0, _ c: Double = 0) {
    self.a = a
    self.b = b
    self.c = c
  }

  public subscript(i: Int) -> Double {
    get { i == 0 ? a : i == 1 ? b : c }
    set {
      switch i {
      case 0: a = newValue
      case 1: b = newValue
      default: c = newValue
      }
    }
  }
}

/// Invalid parameters are reported naming the distribution and the parameter.
public struct DistributionError: Error, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}
