import Foundation
import Tensor

extension Distribution {
  /// The normalized log-density (or log-mass) at `x`; `-inf` outside the support.
  /// Throws when `x` has the wrong shape for the distribution.
  public func logpdf(_ x: Outcome) throws -> Double {
    switch (self, x) {
    case (.scalar(let f, let p), _):
      guard let v = x.number else { throw DistributionError("\(f.name) scores a number, not a tensor") }
      return f.logpdf(p, v)
    case (.product(let f, let params, let shape), .tensor(let t)):
      guard t.shape == shape else {
        throw DistributionError("\(f.name): the value has shape \(t.shape) but the distribution has shape \(shape)")
      }
      return f.definition.totalLogDensity(try ElementParameters(params, shape: shape), t.data)
    case (.categorical(let lp), _):
      guard let v = x.number, v == v.rounded() else { throw DistributionError("categorical scores an Int") }
      return v >= 0 && v < Double(lp.count) ? lp[Int(v)] : -.infinity
    case (.mvnormal(let m), .tensor(let t)):
      return try rows(t, m.dimension, "mvnormal").reduce(0) { $0 + m.logpdf($1) }
    case (.dirichlet(let alpha), .tensor(let t)):
      return try rows(t, alpha.count, "dirichlet").reduce(0) { $0 + Distribution.dirichletLogpdf(alpha, $1) }
    case (.iid(let d, let n), .tensor(let t)):
      guard t.rank == 1, t.count == n else { throw DistributionError("iid: the value has shape \(t.shape), expected [\(n)]") }
      return try t.data.reduce(0) { $0 + (try d.logpdf(.real($1))) }
    case (.multinomial(let n, let lp), .tensor(let t)):
      guard t.rank == 1, t.count == lp.count else { throw DistributionError("multinomial: the value has shape \(t.shape), expected [\(lp.count)]") }
      return Multinomial.logMass(t.data, n: n, logProbs: lp)
    case (.lkjCholesky(let k, let eta), .tensor(let t)):
      guard t.shape == [k, k] else { throw DistributionError("lkj_cholesky: the value has shape \(t.shape), expected [\(k), \(k)]") }
      return LKJ.logDensity(t, eta: eta)
    case (.ordered(let d, let n), .tensor(let t)):
      guard t.rank == 1, t.count == n else { throw DistributionError("ordered: the value has shape \(t.shape), expected [\(n)]") }
      if t.data.contains(where: \.isNaN) { return .nan }
      guard zip(t.data, t.data.dropFirst()).allSatisfy({ $0 < $1 }) else { return -.infinity }
      return try t.data.reduce(lgamma(Double(n) + 1)) { $0 + (try d.logpdf(.real($1))) }
    case (.mixture(let lw, let cs, _), _):
      return Special.logsumexp(try zip(lw, cs).map { $0 + (try $1.logpdf(x)) })
    case (.transformed(let base, let t), .tensor(let y)):
      let z = try t.inverse(y)
      return try base.rowsBroadcast(to: z.shape).logpdf(.tensor(z)) - t.logDeterminant(z)
    case (.dirac(let v), _):
      return v == x || (v.number != nil && v.number == x.number) ? 0 : -.infinity
    default:
      throw DistributionError("\(name) scores a tensor")
    }
  }

  /// The rows of a vector (one row) or a matrix (one per row), each of length d.
  public func rows(_ t: Tensor, _ d: Int, _ name: String) throws -> [[Double]] {
    if t.rank == 1 && t.count == d { return [t.data] }
    if t.rank == 2 && t.shape[1] == d { return (0..<t.shape[0]).map { Array(t.data[($0 * d)..<(($0 + 1) * d)]) } }
    throw DistributionError("\(name): the value has shape \(t.shape); expected [\(d)] or [n, \(d)]")
  }

  static func dirichletLogpdf(_ alpha: [Double], _ x: [Double]) -> Double {
    guard x.allSatisfy({ $0 >= 0 }), abs(x.reduce(0, +) - 1) < 1e-8 else { return -.infinity }
    let norm = lgamma(alpha.reduce(0, +)) - alpha.reduce(0) { $0 + lgamma($1) }
    return norm + zip(alpha, x).reduce(0) { $0 + Special.xlogy($1.0 - 1, $1.1) }
  }
}

extension Distribution {
  /// A product's log-density at `x` with its gradients in one pass: one gradient per
  /// parameter at the product's full shape, then the value's (0 for discrete families).
  /// The family's vectorized kernel serves where it has one; otherwise its scalar
  /// kernels run per element.
  public func productLogDensityAndGradients(_ x: Tensor) throws -> FusedLogDensity {
    guard case .product(let f, let params, let shape) = self else {
      throw DistributionError("\(name) is not an elementwise product")
    }
    guard x.shape == shape else {
      throw DistributionError("\(f.name): the value has shape \(x.shape) but the distribution has shape \(shape)")
    }
    if params.allSatisfy({ $0.count == x.count || $0.count == 1 }), let fused = f.definition.fusedLogDensity(params, x) {
      return fused
    }
    let n = x.count
    var grads = (0...f.arity).map { _ in [Double](repeating: 0, count: n) }
    var total = 0.0
    let isReal = f.kind == .real
    try forEachElement { p, i in
      let v = x.data[i]
      total += f.logpdf(p, v)
      let (gp, gx) = f.gradient(p, v)
      for k in 0..<f.arity { grads[k][i] = gp[k] }
      grads[f.arity][i] = isReal ? gx : 0
    }
    return FusedLogDensity(value: total, parameters: Array(grads[..<f.arity]), x: grads[f.arity])
  }
}
