import Foundation
import Tensor

/// The map between increasing vectors and Rⁿ that gradient-based kernels move an
/// `ordered` choice in, as Stan's ordered and positive_ordered transforms: x₀ = u₀ (or
/// lower + e^(u₀) above a lower bound), xₖ = xₖ₋₁ + e^(uₖ); log |J| = Σₖ uₖ over the
/// exponentiated coordinates.
public enum OrderedTransform {
  /// x = T(u) and log |dx/du|, on the tape.
  public static func constrain(_ u: Operand, lower: Double?) throws -> (x: Operand, logJacobian: Operand) {
    let n = u.value.count, shape = u.value.shape
    // Whether coordinate k enters through its exponential.
    func exponentiated(_ k: Int) -> Bool { k > 0 || lower != nil }
    let steps = (0..<n).map { k in exponentiated(k) ? exp(u.value.data[k]) : u.value.data[k] }
    var x = [Double](repeating: 0, count: n), running = lower ?? 0
    for k in 0..<n {
      running += steps[k]
      x[k] = running
    }
    let xOperand = try Differentiable.custom(Tensor(shape: shape, data: x), [u]) { g in
      // u_k moves x_k and every later element: the suffix sums of g, times dstep/du.
      var gu = [Double](repeating: 0, count: n), suffix = 0.0
      for k in stride(from: n - 1, through: 0, by: -1) {
        suffix += g.data[k]
        gu[k] = exponentiated(k) ? suffix * steps[k] : suffix
      }
      return [Tensor(shape: shape, data: gu)]
    }
    let logJ = (0..<n).reduce(0.0) { $0 + (exponentiated($1) ? u.value.data[$1] : 0) }
    let logJOperand = try Differentiable.custom(.scalar(logJ), [u]) { g in
      [Tensor(shape: shape, data: (0..<n).map { exponentiated($0) ? g.data[0] : 0 })]
    }
    return (xOperand, logJOperand)
  }

  /// u = T⁻¹(x) for an increasing vector.
  public static func unconstrain(_ x: Tensor, lower: Double?) -> Tensor {
    let u = x.data.indices.map { k -> Double in
      if k > 0 { return log(x.data[k] - x.data[k - 1]) }
      if let lower { return log(x.data[0] - lower) }
      return x.data[0]
    }
    return Tensor(shape: x.shape, data: u)
  }
}
