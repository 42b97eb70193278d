import Foundation
import Tensor

/// The map between the unit simplex of dimension K − 1 and R^(K−1) that gradient-based
/// kernels move a Dirichlet choice in, as Stan's simplex transform does (stick-breaking
/// with a logistic link centred so that u = 0 is the simplex's centre): for
/// k = 0 … K − 2, z_k = σ(u_k − log(K − 1 − k)), x_k = r_k · z_k with r_0 = 1 and
/// r_(k+1) = r_k − x_k, and x_(K−1) = r_(K−1). log |J| = Σ_k log z_k + log(1 − z_k) + log r_k.
/// Rows of a matrix (the last axis) are simplexes each.
public enum StickBreaking {
  /// The unconstrained shape of a simplex value's shape: one fewer on the last axis.
  public static func unconstrainedShape(_ shape: [Int]) -> [Int] {
    shape.dropLast() + [max((shape.last ?? 1) - 1, 0)]
  }

  /// x = T(u) and log |dx/du| summed over the rows, on the tape.
  public static func constrain(_ u: Operand) throws -> (x: Operand, logJacobian: Operand) {
    let k1 = u.value.shape.last ?? 0, rows = k1 == 0 ? 0 : u.value.count / k1, k = k1 + 1
    let shape = u.value.shape.dropLast() + [k]
    var x = [Double](repeating: 0, count: rows * k), z = [Double](repeating: 0, count: rows * k1)
    var remaining = [Double](repeating: 0, count: rows * k1), logJ = 0.0
    // log z and log(1 − z) as −softplus(∓v) and log r as a running sum, so that
    // components far toward an edge (v of ±40 and more) keep finite log-Jacobians.
    for row in 0..<rows {
      var logR = 0.0
      for j in 0..<k1 {
        let v = u.value.data[row * k1 + j] - log(Double(k1 - j))
        let (logZ, logOneMinusZ) = (-softplus(-v), -softplus(v))
        z[row * k1 + j] = exp(logZ)
        remaining[row * k1 + j] = exp(logR)
        x[row * k + j] = exp(logR + logZ)
        logJ += logZ + logOneMinusZ + logR
        logR += logOneMinusZ
      }
      x[row * k + k1] = exp(logR)
    }
    let xOperand = try Differentiable.custom(Tensor(shape: Array(shape), data: x), [u]) { g in
      // Back through r_(j+1) = r_j (1 − z_j) and x_j = r_j z_j, from the last element.
      var gu = [Double](repeating: 0, count: rows * k1)
      for row in 0..<rows {
        var gr = g.data[row * k + k1]
        for j in stride(from: k1 - 1, through: 0, by: -1) {
          let (zj, rj, gx) = (z[row * k1 + j], remaining[row * k1 + j], g.data[row * k + j])
          gu[row * k1 + j] = (gx - gr) * rj * zj * (1 - zj)
          gr = gx * zj + gr * (1 - zj)
        }
      }
      return [Tensor(shape: u.value.shape, data: gu)]
    }
    let logJOperand = try Differentiable.custom(.scalar(logJ), [u]) { g in
      // d/du_j: (1 − 2 z_j) from log z_j + log(1 − z_j), and −z_j from each later log r.
      var gu = [Double](repeating: 0, count: rows * k1)
      for row in 0..<rows {
        for j in 0..<k1 {
          let zj = z[row * k1 + j]
          gu[row * k1 + j] = g.data[0] * ((1 - 2 * zj) - zj * Double(k1 - 1 - j))
        }
      }
      return [Tensor(shape: u.value.shape, data: gu)]
    }
    return (xOperand, logJOperand)
  }

  /// u = T⁻¹(x) for plain values. The stick left, r_j, is the sum of the components
  /// from j on (not 1 − the sum before, which cancels for small trailing ones), and z
  /// stays strictly inside (0, 1), so a point on an edge maps to a finite u.
  public static func unconstrain(_ x: Tensor) -> Tensor {
    let k = x.shape.last ?? 0, k1 = max(k - 1, 0), rows = k == 0 ? 0 : x.count / k
    var u = [Double](repeating: 0, count: rows * k1)
    for row in 0..<rows {
      var suffix = [Double](repeating: 0, count: k + 1)
      for j in stride(from: k - 1, through: 0, by: -1) { suffix[j] = suffix[j + 1] + x.data[row * k + j] }
      for j in 0..<k1 {
        let r = suffix[j], xj = x.data[row * k + j]
        let zj = min(max(r > 0 ? xj / r : 0.5, Double.leastNormalMagnitude), 1 - Double.ulpOfOne / 2)
        u[row * k1 + j] = log(zj) - log1p(-zj) + log(Double(k1 - j))
      }
    }
    return Tensor(shape: unconstrainedShape(x.shape), data: u)
  }

  /// log(1 + eᵃ) without overflow.
  static func softplus(_ a: Double) -> Double { max(a, 0) + log1p(exp(-abs(a))) }
}
