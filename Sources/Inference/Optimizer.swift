import Foundation
import Runtime
import Tensor

/// A first-order optimizer over a parameter value (records, tuples and lists of Reals
/// and Tensors), keeping its state (moments, velocity) per leaf.
final class Optimizer: RuntimeObject {
  enum Rule {
    case adam(beta1: Double, beta2: Double, epsilon: Double)
    case sgd(momentum: Double)
  }

  let rule: Rule
  let learningRate: Double
  private var first: [Tensor] = []
  private var second: [Tensor] = []
  private var steps = 0

  init(_ rule: Rule, learningRate: Double) {
    self.rule = rule
    self.learningRate = learningRate
  }

  var typeName: String { "Optimizer" }

  func formatted() -> String {
    switch rule {
    case .adam: return "adam(lr: \(ValueFormatter.real(learningRate)))"
    case .sgd(let m): return "sgd(lr: \(ValueFormatter.real(learningRate)), momentum: \(ValueFormatter.real(m)))"
    }
  }

  /// One step: θ moves against the gradient (descent), or along it with `ascend`.
  func step(_ theta: Value, _ gradient: Value, ascend: Bool = false) throws -> Value {
    let thetaLeaves = try Optimizer.leaves(theta), gradientLeaves = try Optimizer.leaves(gradient)
    guard thetaLeaves.count == gradientLeaves.count,
          zip(thetaLeaves, gradientLeaves).allSatisfy({ $0.shape == $1.shape }) else {
      throw RuntimeError("the gradient does not have the parameters' shape")
    }
    if first.isEmpty || first.count != thetaLeaves.count || !zip(first, thetaLeaves).allSatisfy({ $0.shape == $1.shape }) {
      if !first.isEmpty { throw RuntimeError("this optimizer was used with parameters of another shape; make one optimizer per parameter set") }
      first = thetaLeaves.map { Tensor(shape: $0.shape, repeating: 0) }
      second = first
    }
    steps += 1
    var updated: [Tensor] = []
    for i in thetaLeaves.indices {
      var x = thetaLeaves[i].data, m = first[i].data, v = second[i].data
      let g = gradientLeaves[i].data
      update(&x, &m, &v, g, sign: ascend ? -1 : 1)
      first[i] = Tensor(shape: first[i].shape, data: m)
      second[i] = Tensor(shape: second[i].shape, data: v)
      updated.append(Tensor(shape: thetaLeaves[i].shape, data: x))
    }
    var next = 0
    return Optimizer.rebuild(theta) { _ in
      defer { next += 1 }
      return updated[next]
    }
  }

  /// One leaf's step, in place (raw buffers: this loop runs over every parameter).
  private func update(_ x: inout [Double], _ m: inout [Double], _ v: inout [Double], _ g: [Double], sign: Double) {
    let lr = learningRate, n = g.count
    x.withUnsafeMutableBufferPointer { x in
      m.withUnsafeMutableBufferPointer { m in
        v.withUnsafeMutableBufferPointer { v in
          g.withUnsafeBufferPointer { g in
            switch rule {
            case .adam(let b1, let b2, let eps):
              // Bias corrections folded into two constants: one square root and one
              // division per parameter.
              let stepSize = lr / (1 - pow(b1, Double(steps))), inverseC2 = 1 / (1 - pow(b2, Double(steps)))
              for j in 0..<n {
                let gj = sign * g[j]
                m[j] = b1 * m[j] + (1 - b1) * gj
                v[j] = b2 * v[j] + (1 - b2) * gj * gj
                x[j] -= stepSize * m[j] / ((v[j] * inverseC2).squareRoot() + eps)
              }
            case .sgd(let momentum):
              for j in 0..<n {
                m[j] = momentum * m[j] + sign * g[j]
                x[j] -= lr * m[j]
              }
            }
          }
        }
      }
    }
  }

  /// The Real and Tensor leaves of a parameter value, in order.
  static func leaves(_ v: Value) throws -> [Tensor] {
    switch v {
    case .real(let x): return [.scalar(x)]
    case .tensor(let t): return [t]
    case .list(let xs), .tuple(let xs): return try xs.flatMap(leaves)
    case .record(_, let xs): return try xs.flatMap(leaves)
    default: throw RuntimeError("parameters are Reals and Tensors in records, tuples and lists, not a \(v.typeName)")
    }
  }

  /// The value with each leaf replaced, in order.
  static func rebuild(_ v: Value, _ leaf: (Value) -> Tensor) -> Value {
    switch v {
    case .real: return .real(leaf(v).data[0])
    case .tensor: return .tensor(leaf(v))
    case .list(let xs): return .list(xs.map { rebuild($0, leaf) })
    case .tuple(let xs): return .tuple(xs.map { rebuild($0, leaf) })
    case .record(let names, let xs): return .record(names: names, values: xs.map { rebuild($0, leaf) })
    default: return v
    }
  }
}
