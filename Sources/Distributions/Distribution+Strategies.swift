/// Which gradient estimators apply to a distribution (SPEC §7).
extension Distribution {
  /// Whether draws are a differentiable function of the parameters and noise:
  /// the location–scale and inverse-CDF families, elementwise or scalar, and mvnormal.
  public var isReparameterizable: Bool {
    switch self {
    case .scalar(let f, _), .product(let f, _, _): return f.isReparameterizable
    case .mvnormal: return true
    case .transformed(let base, _): return base.isReparameterizable
    default: return false
    }
  }

  /// Whether `.mvd` applies: a scalar bernoulli, categorical, normal, poisson or geometric.
  public var hasMeasureValuedDerivative: Bool {
    switch self {
    case .scalar(let f, _): return [.bernoulli, .bernoulliLogit, .normal, .poisson, .geometric].contains(f)
    case .categorical: return true
    default: return false
    }
  }
}
