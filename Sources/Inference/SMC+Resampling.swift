import Distributions

extension SMC {
  enum Resampling: String {
    case multinomial, systematic, stratified, residual
  }

  /// Ancestor indices for normalized weights `w` (n of them).
  static func ancestors(_ w: [Double], _ scheme: Resampling, _ rng: inout RandomGenerator) -> [Int] {
    let n = w.count
    func fromSorted(_ us: [Double]) -> [Int] {
      var out: [Int] = [], cumulative = w[0], i = 0
      out.reserveCapacity(us.count)
      for u in us {
        while u > cumulative && i < n - 1 {
          i += 1
          cumulative += w[i]
        }
        out.append(i)
      }
      return out
    }
    switch scheme {
    case .multinomial:
      return fromSorted((0..<n).map { _ in rng.uniform() }.sorted())
    case .systematic:
      let u = rng.uniform()
      return fromSorted((0..<n).map { (Double($0) + u) / Double(n) })
    case .stratified:
      return fromSorted((0..<n).map { (Double($0) + rng.uniform()) / Double(n) })
    case .residual:
      var out: [Int] = []
      var residual = w.map { $0 * Double(n) }
      for (i, r) in residual.enumerated() {
        let copies = Int(r.rounded(.down))
        out += Array(repeating: i, count: copies)
        residual[i] = r - Double(copies)
      }
      let rest = n - out.count
      guard rest > 0 else { return out }
      let total = residual.reduce(0, +)
      let normalized = residual.map { $0 / total }
      var cumulative = 0.0
      let cdf = normalized.map { cumulative += $0; return cumulative }
      for _ in 0..<rest {
        // The first index whose cumulative weight reaches u (the cdf is nondecreasing).
        let u = rng.uniform()
        var low = 0, high = n
        while low < high {
          let mid = (low + high) / 2
          if u <= cdf[mid] { high = mid } else { low = mid + 1 }
        }
        out.append(min(low, n - 1))
      }
      return out
    }
  }
}
