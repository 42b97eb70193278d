import Distributions
import Tensor

/// How a continuous choice's values map onto the unconstrained coordinates that HMC,
/// MALA and NUTS move in: elementwise onto an interval support (log, logit, …;
/// `Support+Unconstraining.swift`), a Dirichlet's simplex by stick-breaking, with one
/// coordinate fewer per row (`StickBreaking.swift`), or an increasing vector by its
/// first element and the logs of its gaps (`OrderedTransform.swift`), or a correlation
/// matrix's Cholesky factor by canonical partial correlations
/// (`CholeskyCorrelationTransform.swift`).
enum CoordinateMap: Equatable {
  case support(Support)
  case simplex
  /// Increasing vectors, above `lower` where the draws' family is bounded below.
  case ordered(lower: Double?)
  /// Cholesky factors of correlation matrices of this dimension.
  case choleskyCorrelation(Int)

  /// The map for a distribution's draws; nil for discrete ones and those without an
  /// unconstrained form (a mixture of components with different supports).
  init?(_ d: Distribution) {
    switch d {
    case .scalar(let f, _) where f.kind == .real: self = .support(f.support)
    case .product(let f, _, _) where f.kind == .real: self = .support(f.support)
    case .mvnormal: self = .support(.real)
    case .dirichlet: self = .simplex
    case .lkjCholesky(let k, _): self = .choleskyCorrelation(k)
    case .mixture(_, let components, _):
      // Components of one continuous family's support, fixed (not read from parameters).
      guard case .scalar(let f, _)? = components.first, f.kind == .real, !f.support.hasParameterBounds,
            components.allSatisfy({ if case .scalar(let g, _) = $0 { return g.support == f.support } else { return false } }) else { return nil }
      self = .support(f.support)
    case .ordered(.scalar(let f, let p), _):
      let lower = f.support.bounds(p).lower
      self = .ordered(lower: lower.isFinite ? lower : nil)
    default: return nil
    }
  }

  /// The shape of a draw of `d`, a distribution that has a map, without drawing (an
  /// improper prior has no draws).
  static func valueShape(_ d: Distribution) -> [Int] {
    switch d {
    case .product(_, _, let shape): return shape
    case .mvnormal(let m): return [m.dimension]
    case .dirichlet(let alpha): return [alpha.count]
    case .ordered(_, let n): return [n]
    case .lkjCholesky(let k, _): return [k, k]
    default: return []
    }
  }

  /// The coordinates' shape for a value of this shape.
  func unconstrainedShape(_ shape: [Int]) -> [Int] {
    switch self {
    case .support, .ordered: return shape
    case .simplex: return StickBreaking.unconstrainedShape(shape)
    case .choleskyCorrelation(let k): return [CholeskyCorrelationTransform.freeCount(k)]
    }
  }

  /// Whether the map reads bounds from the distribution's parameters.
  var hasParameterBounds: Bool {
    if case .support(let s) = self { return s.hasParameterBounds }
    return false
  }

  /// x = T(u) on the tape, with log |dx/du| (nil for the identity).
  func constrain(_ u: Operand, parameters: [Operand]) throws -> (x: Operand, logJacobian: Operand?) {
    switch self {
    case .support(let s): return try s.constrain(u, parameters: parameters)
    case .simplex:
      let (x, logJ) = try StickBreaking.constrain(u)
      return (x, logJ)
    case .ordered(let lower):
      let (x, logJ) = try OrderedTransform.constrain(u, lower: lower)
      return (x, logJ)
    case .choleskyCorrelation(let k):
      let (x, logJ) = try CholeskyCorrelationTransform.constrain(u, dimension: k)
      return (x, logJ)
    }
  }

  /// u = T⁻¹(x) for plain values.
  func unconstrain(_ x: Tensor, parameters: [Tensor]) throws -> Tensor {
    switch self {
    case .support(let s): return try s.unconstrain(x, parameters: parameters)
    case .simplex: return StickBreaking.unconstrain(x)
    case .ordered(let lower): return OrderedTransform.unconstrain(x, lower: lower)
    case .choleskyCorrelation: return CholeskyCorrelationTransform.unconstrain(x)
    }
  }

  /// The finite bounds at plain parameters, for comparing two runs' maps (none for a
  /// simplex; an ordered map carries its fixed bound).
  func bounds(_ parameters: [Tensor]) throws -> [Tensor?] {
    guard case .support(let s) = self else { return [] }
    let (lower, upper) = try s.bounds(parameters)
    return [lower, upper]
  }
}
