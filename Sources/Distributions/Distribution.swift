import Foundation
import Tensor

/// A distribution with validated parameters: sampling, normalized log-density
/// (log-space throughout), and finite supports for enumeration.
public indirect enum Distribution: Sendable, Equatable {
  /// A univariate family with scalar parameters.
  case scalar(Family, Params)
  /// An independent product: the family applied to each element of the broadcast
  /// parameter tensors; draws are tensors of that shape and `logpdf` sums.
  case product(Family, [Tensor], shape: [Int])
  /// Over 0..<k, given normalized log-probabilities.
  case categorical(logProbs: [Double])
  case mvnormal(MultivariateNormal)
  case dirichlet(alpha: [Double])
  /// `n` independent draws of a scalar distribution, as a vector.
  case iid(Distribution, Int)
  /// The `n` draws of a continuous scalar family sorted increasingly (its order
  /// statistics): Stan's `ordered[n]` (or `positive_ordered[n]` over a positive family)
  /// with an iid prior, normalized (density n!·Π p(xᵢ) on increasing vectors).
  case ordered(Distribution, Int)
  /// Counts of n categorical draws over normalized log-probabilities (`Multinomial`).
  case multinomial(n: Int, logProbs: [Double])
  /// The Cholesky factor of an LKJ(eta) correlation matrix of the given dimension (`LKJ`).
  case lkjCholesky(dimension: Int, eta: Double)
  /// Picks a component with the given log-weights, then draws from it.
  /// `size`: how deep the mixture nests and how many non-mixture components it reaches
  /// in all, bounded when it is made (log-densities and draws visit each).
  case mixture(logWeights: [Double], components: [Distribution], size: MixtureSize)
  /// Always the same value.
  case dirac(Outcome)
  /// `base` pushed through an invertible map (a normalizing flow).
  case transformed(Distribution, Transform)

  public var name: String {
    switch self {
    case .scalar(let f, _), .product(let f, _, _): return f.name
    case .categorical: return "categorical"
    case .mvnormal: return "mvnormal"
    case .dirichlet: return "dirichlet"
    case .iid: return "iid"
    case .ordered: return "ordered"
    case .lkjCholesky: return "lkj_cholesky"
    case .multinomial: return "multinomial"
    case .mixture: return "mixture"
    case .dirac: return "dirac"
    case .transformed: return "transformed"
    }
  }

  // MARK: Construction

  /// A family with scalar parameters, validated.
  public static func make(_ family: Family, _ p: Params) throws -> Distribution {
    try family.validate(p)
    return .scalar(family, p)
  }

  /// A family with tensor (or scalar, as rank-0 tensor) parameters, broadcast together.
  public static func make(_ family: Family, _ params: [Tensor]) throws -> Distribution {
    var shape: [Int] = []
    for t in params {
      guard let s = Tensor.broadcastShape(shape, t.shape) else {
        throw DistributionError("\(family.name): parameter shapes \(params.map(\.shape)) cannot be broadcast together")
      }
      shape = s
    }
    do { try Tensor.checkSize(shape) } catch let e as TensorError { throw DistributionError("\(family.name): \(e.message)") }
    if shape.isEmpty {
      var p = Params(0)
      for (i, t) in params.enumerated() { p[i] = t.data[0] }
      return try make(family, p)
    }
    let d = Distribution.product(family, params, shape: shape)
    try d.forEachElement { p, _ in try family.validate(p) }
    return d
  }

  /// Builds a categorical from probabilities (normalized here).
  public static func categorical(probs: [Double]) throws -> Distribution {
    .categorical(logProbs: try normalizedLogs(probs, "categorical", "probs"))
  }

  /// log(w / Σw), checking the weights.
  static func normalizedLogs(_ w: [Double], _ name: String, _ parameter: String) throws -> [Double] {
    guard !w.isEmpty else { throw DistributionError("\(name): \(parameter) must not be empty") }
    guard w.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
      throw DistributionError.invalidParameter("\(name): \(parameter) must be finite and non-negative")
    }
    let total = w.reduce(0, +)
    guard total > 0 else { throw DistributionError.invalidParameter("\(name): \(parameter) must not all be zero") }
    return w.map { log($0 / total) }
  }

  /// Builds a categorical from unnormalized log-probabilities.
  public static func categorical(logits: [Double]) throws -> Distribution {
    .categorical(logProbs: try normalizedLogits(logits, "categorical_logit"))
  }

  /// Counts of n draws of a categorical with these probabilities (normalized here).
  public static func multinomial(n: Int, probs: [Double]) throws -> Distribution {
    .multinomial(n: n, logProbs: try normalizedLogs(probs, "multinomial", "probs"))
  }

  /// Counts of n draws of a categorical with these logits.
  public static func multinomial(n: Int, logits: [Double]) throws -> Distribution {
    .multinomial(n: n, logProbs: try normalizedLogits(logits, "multinomial_logit"))
  }

  /// Logits as normalized log-probabilities, validated naming the builtin.
  static func normalizedLogits(_ logits: [Double], _ name: String) throws -> [Double] {
    guard !logits.isEmpty, logits.allSatisfy({ !$0.isNaN && $0 < .infinity }) else {
      throw DistributionError.invalidParameter("\(name): logits must be finite")
    }
    let lse = Special.logsumexp(logits)
    guard lse > -.infinity else { throw DistributionError.invalidParameter("\(name): logits must not all be -inf") }
    return logits.map { $0 - lse }
  }

  public static func dirichlet(_ alpha: [Double]) throws -> Distribution {
    guard alpha.count >= 2, alpha.allSatisfy({ $0 > 0 && $0.isFinite }) else {
      throw DistributionError.invalidParameter("dirichlet: alpha must have at least two positive, finite entries")
    }
    return .dirichlet(alpha: alpha)
  }

  public static func mixture(weights: [Double], _ components: [Distribution]) throws -> Distribution {
    guard weights.count == components.count, !components.isEmpty else {
      throw DistributionError("mixture: \(weights.count) weights for \(components.count) components")
    }
    let size = MixtureSize(components.map(\.mixtureSize))
    guard size.depth <= MixtureSize.maxDepth, size.leaves <= MixtureSize.maxLeaves else {
      throw DistributionError("mixture: mixtures nested \(size.depth) deep over \(size.leaves) components in all; at most \(MixtureSize.maxDepth) levels and \(MixtureSize.maxLeaves) components")
    }
    return .mixture(logWeights: try normalizedLogs(weights, "mixture", "weights"), components: components, size: size)
  }

  /// A mixture's size; a single level of one component for anything else.
  var mixtureSize: MixtureSize {
    if case .mixture(_, _, let size) = self { return size }
    return MixtureSize(depth: 0, leaves: 1)
  }

  /// Calls `body` with the parameters and flat index of each element of a product.
  @inline(__always)
  func forEachElement(_ body: (Params, Int) throws -> Void) throws {
    guard case .product(_, let params, let shape) = self else { return }
    try ElementParameters(params, shape: shape).forEach(body)
  }

  // MARK: Support

  /// Why `support` is nil: "has no finite support", or that it is too long to list.
  public var supportProblem: String {
    if case .scalar(let f, let p) = self { return f.support.listingProblem(p) }
    return "has no finite support"
  }

  /// The finite support, or nil for infinite, continuous or too long supports.
  public var support: [Outcome]? {
    switch self {
    case .scalar(let f, let p): return f.support.values(p)?.map { Outcome.scalar($0, f.kind) }
    case .categorical(let lp): return (0..<lp.count).map { .int($0) }
    case .dirac(let v): return [v]
    case .mixture(_, let cs, _):
      var seen: [Outcome] = []
      for c in cs {
        guard let s = c.support else { return nil }
        for v in s where !seen.contains(v) { seen.append(v) }
      }
      return seen
    default: return nil
    }
  }
}

extension Distribution {
  /// Whether draws are a differentiable function of the parameters and noise (`.reparam`):
  /// families that declare a reparameterization (scalar or elementwise), mvnormal,
  /// dirichlet (implicitly, through its gamma draws), dirac (its draw is its point), and
  /// flows over such a base.
  public var isReparameterizable: Bool {
    switch self {
    case .scalar(let f, _), .product(let f, _, _): return f.reparameterization != nil
    case .mvnormal, .dirichlet, .dirac: return true
    case .transformed(let base, _): return base.isReparameterizable
    default: return false
    }
  }

  /// Whether `.mvd` applies: a scalar family that declares a measure-valued derivative,
  /// or a categorical.
  public var hasMeasureValuedDerivative: Bool {
    switch self {
    case .scalar(let f, _): return f.measureValued != nil
    case .categorical: return true
    default: return false
    }
  }

  /// Whether this is a point mass (a deterministic choice).
  public var isDirac: Bool {
    if case .dirac = self { return true }
    return false
  }

  /// Whether draws are single numbers (so `iid` can stack them into a vector).
  public var isScalarValued: Bool {
    switch self {
    case .scalar, .categorical: return true
    case .mixture(_, let cs, _): return cs.allSatisfy(\.isScalarValued)
    case .dirac(let v): return v.number != nil
    default: return false
    }
  }
}

/// The parameters of each element of a product, in flat index order. Parameters of the
/// full shape are read in place and scalars repeated; only other broadcasts are expanded.
public struct ElementParameters {
  let count: Int
  let full: [[Double]]
  let strides: [Int]

  init(_ params: [Tensor], shape: [Int]) throws {
    let n = shape.reduce(1, *)
    count = n
    full = try params.map { t -> [Double] in
      if t.count == n || t.count == 1 { return t.data }
      return try Tensor.zipWith(t, Tensor(shape: shape, repeating: 0)) { a, _ in a }.data
    }
    strides = full.map { $0.count == 1 ? 0 : 1 }
  }

  /// Parameters given as one array each, of one element (shared) or `count`.
  public init(columns: [[Double]], count: Int) {
    self.count = count
    full = columns
    strides = columns.map { $0.count == 1 ? 0 : 1 }
  }

  /// Calls `body` with each element's parameters and flat index.
  @inline(__always)
  public func forEach(_ body: (Params, Int) throws -> Void) rethrows {
    if count == 0 { return }  // an empty product: no elements to visit
    var p = Params(0)
    for (k, d) in full.enumerated() { p[k] = d[0] }
    for i in 0..<count {
      for k in full.indices where strides[k] == 1 { p[k] = full[k][i] }
      try body(p, i)
    }
  }
}

/// How deep a mixture nests and how many non-mixture components it reaches in all.
public struct MixtureSize: Sendable, Equatable {
  public let depth: Int
  public let leaves: Int
  /// Mixtures of mixtures, at most this deep (scoring recurses per level).
  public static let maxDepth = 64
  /// Components reached through every level, at most (a mixture of itself doubles them).
  public static let maxLeaves = 1 << 20

  init(depth: Int, leaves: Int) {
    self.depth = depth
    self.leaves = leaves
  }

  /// The size of a mixture of components of these sizes.
  init(_ components: [MixtureSize]) {
    depth = 1 + (components.map(\.depth).max() ?? 0)
    leaves = components.reduce(0) { min($0 &+ $1.leaves, Int.max / 2) }
  }
}
