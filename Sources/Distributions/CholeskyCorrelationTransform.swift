import Foundation
import Tensor

/// The map between Cholesky factors of K×K correlation matrices and R^(K(K−1)/2) that
/// gradient-based kernels move an `lkj_cholesky` choice in, as Stan's
/// cholesky_corr_constrain: z = tanh(u) are canonical partial correlations, and row i of
/// L is Lᵢ₀ = zᵢ₀, Lᵢⱼ = zᵢⱼ·√(1 − Σ_{l<j} Lᵢₗ²), Lᵢᵢ = √(1 − Σ_{l<i} Lᵢₗ²); log |J| =
/// Σ log(1 − z²) + Σ_{j≥1} ½ log(1 − Σ_{l<j} Lᵢₗ²). Composed of operations on the tape.
public enum CholeskyCorrelationTransform {
  /// The number of free coordinates of a K×K factor.
  public static func freeCount(_ k: Int) -> Int { k * (k - 1) / 2 }

  /// L = T(u) and log |dL/du|.
  public static func constrain(_ u: Operand, dimension k: Int) throws -> (x: Operand, logJacobian: Operand) {
    let z = try u.apply(.tanh)
    var entries = [Operand](repeating: .number(0), count: k * k)
    var logJ = try Differentiable.sum(try (Operand.number(1) - z * z).apply(.log))
    var next = 0
    if k > 0 { entries[0] = .number(1) }
    for i in 1..<max(k, 1) {
      var sumSquares = Operand.number(0)
      for j in 0..<i {
        let zij = try Differentiable.gather(z, positions: [next], shape: [])
        next += 1
        let entry: Operand
        if j == 0 {
          entry = zij
        } else {
          let remaining = try Operand.number(1) - sumSquares
          logJ = try logJ + (try remaining.apply(.log)) * .number(0.5)
          entry = try zij * remaining.apply(.sqrt)
        }
        entries[i * k + j] = entry
        sumSquares = try sumSquares + entry * entry
      }
      entries[i * k + i] = try (try Operand.number(1) - sumSquares).apply(.sqrt)
    }
    return (try Differentiable.reshape(try Differentiable.stack(entries), [k, k]), logJ)
  }

  /// u = T⁻¹(L) for a plain factor.
  public static func unconstrain(_ l: Tensor) -> Tensor {
    let k = l.shape[0]
    var u: [Double] = []
    for i in 1..<max(k, 1) {
      var sumSquares = 0.0
      for j in 0..<i {
        let v = l.data[i * k + j]
        let z = j == 0 ? v : v / max(1 - sumSquares, .leastNormalMagnitude).squareRoot()
        u.append(atanh(min(max(z, -1 + 1e-15), 1 - 1e-15)))
        sumSquares += v * v
      }
    }
    return Tensor(shape: [u.count], data: u)
  }
}
