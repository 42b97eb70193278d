import Foundation

/// The pullback of an operation on scalars, recorded on the tape without a closure
/// (`Tape.recordScalar`). Each case computes its gradients with the same expressions as
/// the tensor rule (`Differentiable.binary`, `UnaryFunction.pullback`), so the two
/// paths agree to the last bit.
enum ScalarRule {
  case add, sub
  case mul(x: Double, y: Double)
  case div(y: Double, z: Double)
  case pow(x: Double, y: Double, z: Double, exponentIsConstant: Bool)
  case unary(UnaryFunction, x: Double, y: Double)

  /// The gradients of the first and second operand, given the result's gradient g.
  func pullback(_ g: Double) -> (Double, Double) {
    switch self {
    case .add: return (g, g)
    case .sub: return (g, -g)
    case .mul(let x, let y): return (g * y, g * x)
    case .div(let y, let z): return (g / y, -(g * z / y))
    case .pow(let x, let y, let z, let exponentIsConstant):
      let dx = y == 2 ? 2 * x : y == 0 ? 0 : y * Foundation.pow(x, y - 1)
      return (g * dx, exponentIsConstant ? 0 : g * (x > 0 ? z * Foundation.log(x) : 0))
    case .unary(let f, let x, let y): return (f.pullback(g, x, y), 0)
    }
  }
}

extension UnaryFunction {
  /// g·f′(x) for one element, given x and y = f(x): the loop body of the tensor pullback.
  func pullback(_ g: Double, _ x: Double, _ y: Double) -> Double {
    switch self {
    case .exp: return g * y
    case .log: return g / x
    case .log1p: return g / (1 + x)
    case .expm1: return g * (y + 1)
    case .sqrt: return g * 0.5 / y
    case .abs: return x > 0 ? g : x < 0 ? -g : 0
    case .sin: return g * Foundation.cos(x)
    case .cos: return -g * Foundation.sin(x)
    case .tanh: return g * (1 - y * y)
    case .sigmoid: return g * y * (1 - y)
    case .logit: return g / (x * (1 - x))
    case .softplus: return g * Elementary.sigmoid(x)
    case .relu: return x > 0 ? g : 0
    case .lgamma: return g * Elementary.digamma(x)
    case .erf: return g * 2 / Double.pi.squareRoot() * Foundation.exp(-x * x)
    case .floor, .ceil, .round, .digamma: return 0
    }
  }
}
