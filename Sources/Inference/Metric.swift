import Distributions
import Foundation
import Tensor

/// NUTS's Euclidean metric: the inverse mass matrix M⁻¹, diagonal or dense, estimated
/// in warmup as Stan does from the regularized (co)variance of a window's draws. Dense
/// metrics keep M⁻¹'s Cholesky factor L, so a momentum p = L⁻ᵀz has covariance M.
enum Metric {
  case diagonal([Double])
  /// M⁻¹ row-major, and its lower Cholesky factor.
  case dense(inverse: [Double], factor: Tensor)

  /// The identity of dimension n.
  static func unit(_ n: Int, dense: Bool) throws -> Metric {
    guard dense else { return .diagonal(Array(repeating: 1, count: n)) }
    var identity = [Double](repeating: 0, count: n * n)
    for i in 0..<n { identity[i * n + i] = 1 }
    return try .dense(identity, n)
  }

  private static func dense(_ inverse: [Double], _ n: Int) throws -> Metric {
    .dense(inverse: inverse, factor: try Cholesky.factor(Tensor(shape: [n, n], data: inverse)))
  }

  /// Stan's estimate from warmup draws: (n/(n + 5))·S + 1e-3·(5/(n + 5))·I, with S the
  /// sample variance (diagonal) or covariance (dense).
  static func estimate(_ draws: [[Double]], dense: Bool) throws -> Metric {
    let n = Double(draws.count), d = draws[0].count
    let mean = (0..<d).map { k in draws.reduce(0) { $0 + $1[k] } / n }
    let (shrink, jitter) = (n / (n + 5), 1e-3 * (5 / (n + 5)))
    guard dense else {
      return .diagonal((0..<d).map { k in
        shrink * (draws.reduce(0) { $0 + ($1[k] - mean[k]) * ($1[k] - mean[k]) } / (n - 1)) + jitter
      })
    }
    var covariance = [Double](repeating: 0, count: d * d)
    for x in draws {
      for i in 0..<d {
        let di = x[i] - mean[i]
        for j in 0...i { covariance[i * d + j] += di * (x[j] - mean[j]) }
      }
    }
    for i in 0..<d {
      for j in 0...i {
        let v = shrink * (covariance[i * d + j] / (n - 1)) + (i == j ? jitter : 0)
        covariance[i * d + j] = v
        covariance[j * d + i] = v
      }
    }
    return try .dense(covariance, d)
  }

  /// M⁻¹p.
  func sharp(_ p: [Double]) -> [Double] {
    switch self {
    case .diagonal(let m): return zip(p, m).map { $0 * $1 }
    case .dense(let m, _):
      let d = p.count
      var out = [Double](repeating: 0, count: d)
      m.withUnsafeBufferPointer { m in
        p.withUnsafeBufferPointer { p in
          for i in 0..<d {
            var s = 0.0
            for j in 0..<d { s += m[i * d + j] * p[j] }
            out[i] = s
          }
        }
      }
      return out
    }
  }

  /// u += ε·M⁻¹p, the leapfrog's position step.
  func drift(_ u: inout [Double], _ p: [Double], _ eps: Double) {
    switch self {
    case .diagonal(let m): for i in u.indices { u[i] += eps * m[i] * p[i] }
    case .dense:
      let v = sharp(p)
      for i in u.indices { u[i] += eps * v[i] }
    }
  }

  /// ½ pᵀM⁻¹p.
  func kinetic(_ p: [Double]) -> Double {
    switch self {
    case .diagonal(let m): return zip(p, m).reduce(0) { $0 + $1.1 * $1.0 * $1.0 } / 2
    case .dense: return zip(p, sharp(p)).reduce(0) { $0 + $1.0 * $1.1 } / 2
    }
  }

  /// A momentum drawn from N(0, M).
  func momentum(_ rng: inout RandomGenerator) throws -> [Double] {
    switch self {
    case .diagonal(let m): return m.map { rng.normal() / $0.squareRoot() }
    case .dense(_, let factor):
      let z = Tensor(shape: [factor.shape[0]], data: (0..<factor.shape[0]).map { _ in rng.normal() })
      return try Cholesky.solve(factor, z, transposed: true).data
    }
  }
}
