import Foundation

/// Dense Cholesky factorization and triangular solves, with their pullbacks (for
/// Gaussian-process and covariance models written as Stan writes them:
/// `L = cholesky(K)`, `f = matmul(L, z)`). O(n³) and O(n²·k) loops; `checkpoint` runs
/// once per row so that time limits hold inside large factorizations.
public enum Cholesky {
  /// A matrix with no factor (not symmetric, or not positive definite): a value outside
  /// the function's domain, which samplers read as zero density (Stan rejects such a
  /// proposal), not a misuse such as a wrong shape.
  public struct NotPositiveDefinite: Error, Sendable {
    public let message: String
  }

  /// L, lower triangular with a positive diagonal, with A = L·Lᵀ; throws unless A is a
  /// symmetric positive-definite square matrix (symmetry to a relative 1e-8).
  public static func factor(_ a: Tensor, checkpoint: () throws -> Void = {}) throws -> Tensor {
    guard a.rank == 2, a.shape[0] == a.shape[1] else { throw TensorError("cholesky: expected a square matrix, got shape \(a.shape)") }
    let n = a.shape[0]
    for i in 0..<n {
      for j in 0..<i {
        let (x, y) = (a.data[i * n + j], a.data[j * n + i])
        guard abs(x - y) <= 1e-8 * max(1, abs(x), abs(y)) else {
          throw NotPositiveDefinite(message: "cholesky: the matrix is not symmetric (entries [\(i), \(j)] = \(x) and [\(j), \(i)] = \(y))")
        }
      }
    }
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      try checkpoint()
      for j in 0...i {
        var s = a.data[i * n + j]
        for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
        if i == j {
          guard s > 0, s.isFinite else {
            throw NotPositiveDefinite(message: "cholesky: the matrix is not positive definite (pivot \(i) is \(s)); add jitter to its diagonal")
          }
          l[i * n + i] = s.squareRoot()
        } else {
          l[i * n + j] = s / l[j * n + j]
        }
      }
    }
    return Tensor(shape: [n, n], data: l)
  }

  /// X with L·X = B (lower) or Lᵀ·X = B (`transposed`), for B a vector or a matrix;
  /// only L's lower triangle is read (a zero on its diagonal is `NotPositiveDefinite`).
  public static func solve(_ l: Tensor, _ b: Tensor, transposed: Bool = false, checkpoint: () throws -> Void = {}) throws -> Tensor {
    guard l.rank == 2, l.shape[0] == l.shape[1] else { throw TensorError("solve_lower: expected a square matrix, got shape \(l.shape)") }
    let n = l.shape[0]
    guard (b.rank == 1 || b.rank == 2), b.shape[0] == n else {
      throw TensorError("solve_lower: the right-hand side has shape \(b.shape), expected [\(n)] or [\(n), k]")
    }
    if let i = (0..<n).first(where: { l.data[$0 * n + $0] == 0 || !l.data[$0 * n + $0].isFinite }) {
      throw NotPositiveDefinite(message: "solve_lower: the matrix is singular (diagonal entry \(i) is \(l.data[i * n + i]))")
    }
    let k = b.rank == 1 ? 1 : b.shape[1]
    var x = b.data
    for c in 0..<k {
      try checkpoint()
      for step in 0..<n {
        let i = transposed ? n - 1 - step : step
        var s = x[i * k + c]
        if transposed {
          for j in (i + 1)..<n { s -= l.data[j * n + i] * x[j * k + c] }
        } else {
          for j in 0..<i { s -= l.data[i * n + j] * x[j * k + c] }
        }
        x[i * k + c] = s / l.data[i * n + i]
      }
    }
    return Tensor(shape: b.shape, data: x)
  }

  /// Ā for A = L·Lᵀ given L̄: Ā = ½(S + Sᵀ) with S = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹, Φ the lower
  /// triangle with its diagonal halved (Murray 2016, "Differentiation of the Cholesky
  /// decomposition").
  public static func factorPullback(_ l: Tensor, _ gl: Tensor, checkpoint: () throws -> Void = {}) throws -> Tensor {
    let n = l.shape[0]
    var p = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      try checkpoint()
      for j in 0...i {
        var s = 0.0
        for k in i..<n { s += l.data[k * n + i] * gl.data[k * n + j] }  // (Lᵀ L̄)[i, j]
        p[i * n + j] = i == j ? s / 2 : s
      }
    }
    // Y = L⁻ᵀ P, then Sᵀ = (Y L⁻¹)ᵀ = L⁻ᵀ Yᵀ: two solves with Lᵀ.
    let y = try solve(l, Tensor(shape: [n, n], data: p), transposed: true, checkpoint: checkpoint)
    let st = try solve(l, try y.transposed(), transposed: true, checkpoint: checkpoint)
    var g = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n { g[i * n + j] = 0.5 * (st.data[j * n + i] + st.data[i * n + j]) } }
    return Tensor(shape: [n, n], data: g)
  }
}
