import Foundation
import Tensor

/// The LKJ distribution over correlation matrices (Lewandowski, Kurowicka and Joe 2009),
/// density ∝ det(R)^(η−1), expressed over R's Cholesky factor L as Stan's
/// `lkj_corr_cholesky(eta)`: log p(L) = Σᵢ (K − i − 1 + 2η − 2) log Lᵢᵢ − log c_K(η) over
/// the below-diagonal entries, with LKJ's normalizing constant
/// c_K(η) = 2^(Σₖ (2η − 2 + K − k)(K − k)) Πₖ B(η + (K − k − 1)/2, η + (K − k − 1)/2)^(K − k),
/// k = 1 … K − 1. Drawn by the onion method.
public enum LKJ {
  /// The log-density of a K×K Cholesky factor; −inf unless L is lower triangular with a
  /// positive diagonal and rows of unit length (to 1e-8).
  public static func logDensity(_ l: Tensor, eta: Double) -> Double {
    let k = l.shape[0]
    for i in 0..<k {
      var norm = 0.0
      for j in 0..<k {
        let v = l.data[i * k + j]
        if v.isNaN { return .nan }
        if j > i && v != 0 { return -.infinity }
        norm += v * v
      }
      guard l.data[i * k + i] > 0, abs(norm - 1) <= 1e-8 else { return -.infinity }
    }
    var total = -logNormalizer(k, eta)
    for i in 1..<max(k, 1) { total += exponent(i, k, eta) * log(l.data[i * k + i]) }
    return total
  }

  /// The power of Lᵢᵢ in the density (0-based row i ≥ 1).
  public static func exponent(_ i: Int, _ k: Int, _ eta: Double) -> Double { Double(k - i - 1) + 2 * eta - 2 }

  /// log c_K(η).
  static func logNormalizer(_ dimension: Int, _ eta: Double) -> Double {
    var total = 0.0
    for k in stride(from: 1, to: dimension, by: 1) {
      let power = Double(dimension - k), shape = eta + (power - 1) / 2
      total += (2 * eta - 2 + power) * power * log(2) + power * Special.logBeta(shape, shape)
    }
    return total
  }

  /// A draw by the onion method: row m of L is (√y·u, √(1 − y)) with y ~ beta(m/2, β)
  /// and u uniform on the unit sphere, β starting at η + (K − 2)/2 and falling by 1/2 a row.
  public static func sample(dimension k: Int, eta: Double, _ rng: inout RandomGenerator) -> Tensor {
    var l = [Double](repeating: 0, count: k * k)
    guard k > 0 else { return Tensor(shape: [0, 0], data: []) }
    l[0] = 1
    var beta = eta + Double(k - 2) / 2
    for m in 1..<k {
      let y: Double
      if m == 1 {
        let r = 2 * Family.beta.sample(Params(beta, beta), &rng) - 1
        y = r * r
        l[k] = r
      } else {
        beta -= 0.5
        y = Family.beta.sample(Params(Double(m) / 2, beta), &rng)
        let u = (0..<m).map { _ in rng.normal() }
        let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in 0..<m { l[m * k + j] = y.squareRoot() * u[j] / norm }
      }
      l[m * k + m] = max(1 - y, 0).squareRoot()
    }
    return Tensor(shape: [k, k], data: l)
  }
}
