import Foundation
import Tensor

extension Distribution {
  /// One draw. Throws where drawing runs code that can fail (a flow's bijector) and for
  /// improper families, which have no draws.
  public func sample(_ rng: inout RandomGenerator) throws -> Outcome {
    switch self {
    case .scalar(let f, let p):
      if f.isImproper { throw f.improperDrawError }
      let x = f.sample(p, &rng)
      try f.checkCount(x)
      return .scalar(x, f.kind)
    case .product(let f, let params, let shape):
      if f.isImproper { throw f.improperDrawError }
      var out = [Double](repeating: 0, count: shape.reduce(1, *))
      f.definition.sampleElements(try ElementParameters(params, shape: shape), &rng, into: &out)
      if f.kind == .int { for x in out { try f.checkCount(x) } }
      return .tensor(Tensor(shape: shape, data: out))
    case .categorical(let lp):
      return .int(Distribution.draw(lp, &rng))
    case .mvnormal(let m):
      return .tensor(Tensor(shape: [m.dimension], data: m.sample(&rng)))
    case .dirichlet(let alpha):
      let g = alpha.map { Gamma.standard($0, &rng) }
      let total = g.reduce(0, +)
      if total > 0 { return .tensor(Tensor(shape: [alpha.count], data: g.map { $0 / total })) }
      // Every draw underflowed (concentrations near 0): redrawn and normalized in log space.
      let logs = alpha.map { Gamma.logStandard($0, &rng) }
      let logTotal = Special.logsumexp(logs)
      return .tensor(Tensor(shape: [alpha.count], data: logs.map { exp($0 - logTotal) }))
    case .iid(let d, let n):
      var draws = [Double](repeating: 0, count: n)
      for i in 0..<n {
        guard let x = try d.sample(&rng).number else { throw DistributionError("iid: \(d.name) does not draw numbers") }
        draws[i] = x
      }
      return .tensor(Tensor(shape: [n], data: draws))
    case .multinomial(let n, let lp):
      return .tensor(Tensor(shape: [lp.count], data: Multinomial.sample(n: n, logProbs: lp, &rng)))
    case .lkjCholesky(let k, let eta):
      return .tensor(LKJ.sample(dimension: k, eta: eta, &rng))
    case .ordered(let d, let n):
      guard case .tensor(let t) = try Distribution.iid(d, n).sample(&rng) else { throw DistributionError("ordered: \(d.name) does not draw numbers") }
      return .tensor(Tensor(shape: [n], data: t.data.sorted()))
    case .mixture(let lw, let cs, _):
      return try cs[Distribution.draw(lw, &rng)].sample(&rng)
    case .transformed(let base, let t):
      guard case .tensor(let z) = try base.sample(&rng) else { throw DistributionError("transformed: the base must draw tensors") }
      return .tensor(try t.forward(z))
    case .dirac(let v):
      return v
    }
  }

  /// An index drawn with normalized log-probabilities `lp` (the last possible one
  /// catches rounding).
  static func draw(_ lp: [Double], _ rng: inout RandomGenerator) -> Int {
    var u = rng.uniform()
    for (i, l) in lp.enumerated() {
      u -= exp(l)
      if u <= 0 { return i }
    }
    return lp.lastIndex(where: { $0 > -.infinity }) ?? 0
  }
}
