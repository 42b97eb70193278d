import Foundation

/// The elementwise math builtins, with their derivatives. Dispatch happens once per
/// tensor (a switch outside the loop), so each loop runs without a call per element.
public enum UnaryFunction: String, CaseIterable, Sendable {
  case exp, log, log1p, expm1, sqrt, abs, sin, cos, tanh, sigmoid, logit, softplus, relu, lgamma, digamma, erf, floor, ceil, round

  /// f(x) for one number.
  public func callAsFunction(_ x: Double) -> Double {
    switch self {
    case .exp: return Foundation.exp(x)
    case .log: return Foundation.log(x)
    case .log1p: return Foundation.log1p(x)
    case .expm1: return Foundation.expm1(x)
    case .sqrt: return x.squareRoot()
    case .abs: return Swift.abs(x)
    case .sin: return Foundation.sin(x)
    case .cos: return Foundation.cos(x)
    case .tanh: return Elementary.tanh(x)
    case .sigmoid: return Elementary.sigmoid(x)
    case .logit: return Foundation.log(x) - Foundation.log1p(-x)
    case .softplus: return x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
    case .relu: return x > 0 ? x : 0
    case .lgamma: return Foundation.lgamma(x)
    case .digamma: return Elementary.digamma(x)
    case .erf: return Foundation.erf(x)
    case .floor: return x.rounded(.down)
    case .ceil: return x.rounded(.up)
    case .round: return x.rounded(.toNearestOrEven)
    }
  }

  /// f applied to every element.
  public func apply(_ t: Tensor) -> Tensor {
    var out = [Double](repeating: 0, count: t.count)
    t.data.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { y in
        switch self {
        case .tanh: for i in 0..<x.count { y[i] = Elementary.tanh(x[i]) }
        case .exp: for i in 0..<x.count { y[i] = Foundation.exp(x[i]) }
        case .log: for i in 0..<x.count { y[i] = Foundation.log(x[i]) }
        case .sigmoid: for i in 0..<x.count { y[i] = Elementary.sigmoid(x[i]) }
        case .relu: UnaryFunction.relu(x, y)
        default: for i in 0..<x.count { y[i] = self(x[i]) }
        }
      }
    }
    return Tensor(shape: t.shape, data: out)
  }

  /// g·f′(x), given x and y = f(x); nil for digamma (its derivative, trigamma, is not
  /// implemented).
  public func pullback(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor? {
    var out = [Double](repeating: 0, count: g.count)
    var defined = true
    g.data.withUnsafeBufferPointer { g in
      x.data.withUnsafeBufferPointer { x in
        y.data.withUnsafeBufferPointer { y in
          out.withUnsafeMutableBufferPointer { d in
            let n = d.count
            switch self {
            case .exp: for i in 0..<n { d[i] = g[i] * y[i] }
            case .log: for i in 0..<n { d[i] = g[i] / x[i] }
            case .log1p: for i in 0..<n { d[i] = g[i] / (1 + x[i]) }
            case .expm1: for i in 0..<n { d[i] = g[i] * (y[i] + 1) }
            case .sqrt: for i in 0..<n { d[i] = g[i] * 0.5 / y[i] }
            case .abs: for i in 0..<n { d[i] = x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0 }
            case .sin: for i in 0..<n { d[i] = g[i] * Foundation.cos(x[i]) }
            case .cos: for i in 0..<n { d[i] = -g[i] * Foundation.sin(x[i]) }
            case .tanh: for i in 0..<n { d[i] = g[i] * (1 - y[i] * y[i]) }
            case .sigmoid: for i in 0..<n { d[i] = g[i] * y[i] * (1 - y[i]) }
            case .logit: for i in 0..<n { d[i] = g[i] / (x[i] * (1 - x[i])) }
            case .softplus: for i in 0..<n { d[i] = g[i] * Elementary.sigmoid(x[i]) }
            case .relu: UnaryFunction.reluPullback(g, x, d)
            case .lgamma: for i in 0..<n { d[i] = g[i] * Elementary.digamma(x[i]) }
            case .erf: for i in 0..<n { d[i] = g[i] * 2 / Double.pi.squareRoot() * Foundation.exp(-x[i] * x[i]) }
            case .floor, .ceil, .round: break  // piecewise constant: zero
            case .digamma: defined = false
            }
          }
        }
      }
    }
    return defined ? Tensor(shape: g.shape, data: out) : nil
  }
}

extension UnaryFunction {
  /// max(x, 0), eight lanes at a time (a branch per element mispredicts on signs).
  static func relu(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeMutableBufferPointer<Double>) {
    let n = x.count, lanes = n / 8 * 8
    var i = 0
    while i < lanes {
      let v = SIMD8<Double>(x[i..<(i + 8)])
      let r = v.replacing(with: 0, where: v .< 0)
      for k in 0..<8 { y[i + k] = r[k] }
      i += 8
    }
    while i < n { y[i] = x[i] > 0 ? x[i] : 0; i += 1 }
  }

  /// g where x > 0, else 0; eight lanes at a time.
  static func reluPullback(_ g: UnsafeBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>, _ d: UnsafeMutableBufferPointer<Double>) {
    let n = d.count, lanes = n / 8 * 8
    var i = 0
    while i < lanes {
      let r = SIMD8<Double>(g[i..<(i + 8)]).replacing(with: 0, where: SIMD8<Double>(x[i..<(i + 8)]) .<= 0)
      for k in 0..<8 { d[i + k] = r[k] }
      i += 8
    }
    while i < n { d[i] = x[i] > 0 ? g[i] : 0; i += 1 }
  }
}
