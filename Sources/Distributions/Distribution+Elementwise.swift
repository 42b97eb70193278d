import Foundation
import Tensor

/// Log-densities element by element (`logpdf_each`): a per-observation log-likelihood,
/// as LOO and WAIC need it, and the terms of a mixture written by hand.
public struct ElementwiseLogDensity {
  /// One log-density per element of the value.
  public let values: [Double]
  /// ∂values[i]/∂(parameter k of element i), one array per parameter (empty unless asked).
  public let parameters: [[Double]]
  /// ∂values[i]/∂x[i] (0 for discrete families; empty unless asked).
  public let x: [Double]
}

extension Distribution {
  /// The log-density of each element of `x`: under a family applied elementwise (a
  /// product of x's shape, or one scalar distribution for every element), with the
  /// gradients when `gradients` is set. Other distributions have no elementwise form.
  public func elementwiseLogDensities(_ x: Tensor, gradients: Bool) throws -> ElementwiseLogDensity {
    let family: Family, parameters: [Tensor]
    switch self {
    case .scalar(let f, let p):
      family = f
      parameters = (0..<f.arity).map { Tensor.scalar(p[$0]) }
    case .product(let f, let params, let shape):
      guard shape == x.shape else {
        throw DistributionError("logpdf_each: the value has shape \(x.shape) but the distribution has shape \(shape)")
      }
      family = f
      parameters = params
    default:
      throw DistributionError("logpdf_each scores each element under a family such as normal or poisson, not under \(name)")
    }
    let n = x.count
    var values = [Double](repeating: 0, count: n)
    var dParameters = gradients ? (0..<family.arity).map { _ in [Double](repeating: 0, count: n) } : []
    var dx = gradients ? [Double](repeating: 0, count: n) : []
    let isReal = family.kind == .real
    try ElementParameters(parameters, shape: x.shape).forEach { p, i in
      let v = x.data[i]
      values[i] = family.logpdf(p, v)
      guard gradients, values[i].isFinite else { return }
      let (gp, gx) = family.gradient(p, v)
      for k in 0..<family.arity { dParameters[k][i] = gp[k] }
      dx[i] = isReal ? gx : 0
    }
    return ElementwiseLogDensity(values: values, parameters: dParameters, x: dx)
  }
}
