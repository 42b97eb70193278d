import Foundation
import Tensor

extension Distribution {
  public func sample(_ rng: inout RandomGenerator) -> Outcome {
    switch self {
    case .scalar(let f, let p):
      return .scalar(f.sample(p, &rng), f.kind)
    case .product(let f, _, let shape):
      var out = [Double](repeating: 0, count: shape.reduce(1, *))
      try? forEachElement { p, i in out[i] = f.sample(p, &rng) }
      return .tensor(Tensor(shape: shape, data: out))
    case .categorical(let lp):
      var u = rng.uniform()
      for (i, l) in lp.enumerated() {
        u -= exp(l)
        if u <= 0 { return .int(i) }
      }
      return .int(lp.lastIndex(where: { $0 > -.infinity }) ?? 0)
    case .mvnormal(let m):
      return .tensor(Tensor(shape: [m.dimension], data: m.sample(&rng)))
    case .dirichlet(let alpha):
      let g = alpha.map { Family.standardGamma($0, &rng) }
      let total = g.reduce(0, +)
      return .tensor(Tensor(shape: [alpha.count], data: g.map { $0 / total }))
    case .iid(let d, let n):
      return .tensor(Tensor(shape: [n], data: (0..<n).map { _ in d.sample(&rng).number ?? .nan }))
    case .mixture(let lw, let cs):
      guard case .int(let k) = Distribution.categorical(logProbs: lw).sample(&rng) else { return cs[0].sample(&rng) }
      return cs[k].sample(&rng)
    case .transformed(let base, let t):
      guard case .tensor(let z) = base.sample(&rng), let x = try? t.forward(z) else { return .tensor(Tensor(shape: [0], data: [])) }
      return .tensor(x)
    case .dirac(let v):
      return v
    }
  }
}
