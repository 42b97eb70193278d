import Foundation
import Tensor

extension Distribution {
  /// The normalized log-density (or log-mass) at `x`; `-inf` outside the support.
  /// Throws when `x` has the wrong shape for the distribution.
  public func logpdf(_ x: Outcome) throws -> Double {
    switch (self, x) {
    case (.scalar(let f, let p), _):
      guard let v = x.number else { throw DistributionError("\(f.rawValue) scores a number, not a tensor") }
      return f.logpdf(p, v)
    case (.product(let f, _, let shape), .tensor(let t)):
      guard t.shape == shape else {
        throw DistributionError("\(f.rawValue): the value has shape \(t.shape) but the distribution has shape \(shape)")
      }
      var total = 0.0
      try forEachElement { p, i in total += f.logpdf(p, t.data[i]) }
      return total
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
    case (.mixture(let lw, let cs), _):
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
