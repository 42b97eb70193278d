import Foundation
import Tensor

/// The map between a continuous support and the real line that gradient-based kernels
/// move in, as Stan does: the identity on the real line, lower + exp(u) above a lower
/// bound, upper − exp(u) below an upper bound, and lower + (upper − lower)·σ(u) on an
/// interval. Bounds given by parameters are taken from the parameters' operands, so a
/// bound that depends on another choice (`uniform(0, 1 − a)`) moves with it and is
/// differentiated.
extension Support {
  /// The finite bounds as operands (nil for an infinite one), from the family's
  /// parameter operands.
  func boundOperands(_ parameters: [Operand]) throws -> (lower: Operand?, upper: Operand?) {
    guard case .interval(let a, let b) = self else {
      throw DistributionError("a discrete support has no unconstrained form")
    }
    func operand(_ bound: Bound) -> Operand? {
      switch bound {
      case .value(let v): return v.isFinite ? .number(v) : nil
      case .parameter(let k): return parameters[k]
      }
    }
    return (operand(a), operand(b))
  }

  /// The finite bounds at plain parameters (nil for an infinite one).
  public func bounds(_ parameters: [Tensor]) throws -> (lower: Tensor?, upper: Tensor?) {
    let (lower, upper) = try boundOperands(parameters.map { .constant($0) })
    return (lower?.value, upper?.value)
  }

  /// x = T(u) on the tape, with log |dx/du| summed over the elements (nil for the
  /// identity, whose log-Jacobian is 0).
  public func constrain(_ u: Operand, parameters: [Operand]) throws -> (x: Operand, logJacobian: Operand?) {
    switch try boundOperands(parameters) {
    case (nil, nil):
      return (u, nil)
    case (let lower?, nil):
      let shifted = lower.isZero ? try u.apply(.exp) : try lower + u.apply(.exp)
      return (shifted, try Differentiable.sum(u))
    case (nil, let upper?):
      return (try upper - u.apply(.exp), try Differentiable.sum(u))
    case (let lower?, let upper?):
      // log dx/du = log(upper − lower) + log σ(u) + log(1 − σ(u)), and log σ(u) + log σ(−u)
      // = −softplus(−u) − softplus(u).
      let width = try upper - lower
      let x = try lower + width * u.apply(.sigmoid)
      let logWidth = try (width * Operand.constant(Tensor(shape: u.value.shape, repeating: 1))).apply(.log)
      let logJ = try Differentiable.sum(try logWidth - u.apply(.softplus) - (Operand.number(0) - u).apply(.softplus))
      return (x, logJ)
    }
  }

  /// u = T⁻¹(x) for plain values.
  public func unconstrain(_ x: Tensor, parameters: [Tensor]) throws -> Tensor {
    let (lower, upper) = try boundOperands(parameters.map { .constant($0) })
    switch (lower?.value, upper?.value) {
    case (nil, nil): return x
    case (let lo?, nil): return UnaryFunction.log.apply(try Tensor.combine(x, lo, .sub))
    case (nil, let hi?): return UnaryFunction.log.apply(try Tensor.combine(hi, x, .sub))
    case (let lo?, let hi?):
      let y = try Tensor.combine(try Tensor.combine(x, lo, .sub), try Tensor.combine(hi, lo, .sub), .div)
      return UnaryFunction.logit.apply(y)
    }
  }
}
