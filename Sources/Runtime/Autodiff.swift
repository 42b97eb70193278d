import Distributions
import Foundation
import Syntax
import Tensor

/// The bridge between values and the differentiation tape: which values are
/// operands, the derivative of each elementwise builtin, and differentiable
/// log-densities. The rules themselves live beside the forward operations
/// (`Tensor/Differentiable.swift`, `Distributions/Family+LogDensity.swift`).
enum Autodiff {
  /// A Real, Tensor or differentiated value as an operand; nil for anything else.
  static func operand(_ v: Value) -> Operand? {
    switch v {
    case .real(let x): return .constant(.scalar(x))
    case .int(let i): return .constant(.scalar(Double(i)))
    case .tensor(let t): return .constant(t)
    case .tracked(let t): return .tracked(t)
    default: return nil
    }
  }

  static func operands(_ vs: [Value]) throws -> [Operand] {
    try vs.map { v in
      guard let o = operand(v) else { throw RuntimeError("expected a Real or a Tensor, found \(v.typeName)") }
      return o
    }
  }

  static func value(_ o: Operand) -> Value {
    switch o {
    case .tracked(let t): return .tracked(t)
    case .constant(let t): return t.rank == 0 ? .real(t.data[0]) : .tensor(t)
    }
  }

  static func isTracked(_ v: Value) -> Bool {
    switch v {
    case .tracked, .trackedDist: return true
    case .list(let xs), .tuple(let xs): return xs.contains(where: isTracked)
    default: return false
    }
  }

  static func wrap<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as TensorError { throw RuntimeError(e.message) }
  }

  static func binary(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
    guard let x = operand(a), let y = operand(b) else { throw Operations.mismatch }
    let d: Differentiable.BinaryOp
    switch op {
    case .add: d = .add
    case .sub: d = .sub
    case .mul: d = .mul
    case .div: d = .div
    case .pow: d = .pow
    case .lt, .le, .gt, .ge, .eq, .ne:
      // Comparisons look at values only.
      return try Operations.binary(op, value(.constant(x.value)), value(.constant(y.value)))
    case .mod, .and, .or:
      throw RuntimeError("'\(op.rawValue)' has no derivative rule, so it cannot take a value that is being differentiated")
    }
    return try wrap { value(try Differentiable.binary(d, x, y)) }
  }

  /// dy/dx of each elementwise builtin, given x and y = f(x).
  static let derivatives: [String: (Double, Double) -> Double] = [
    "exp": { _, y in y }, "log": { x, _ in 1 / x }, "log1p": { x, _ in 1 / (1 + x) }, "expm1": { _, y in y + 1 },
    "sqrt": { _, y in 0.5 / y }, "abs": { x, _ in x > 0 ? 1 : x < 0 ? -1 : 0 }, "sin": { x, _ in cos(x) },
    "cos": { x, _ in -sin(x) }, "tanh": { _, y in 1 - y * y }, "sigmoid": { _, y in y * (1 - y) },
    "logit": { x, _ in 1 / (x * (1 - x)) }, "softplus": { x, _ in RuntimeBuiltins.sigmoid(x) },
    "lgamma": { x, _ in Special.digamma(x) }, "erf": { x, _ in 2 / Double.pi.squareRoot() * exp(-x * x) },
    "floor": { _, _ in 0 }, "ceil": { _, _ in 0 }, "round": { _, _ in 0 },
  ]

  static func unaryMath(_ name: String, _ a: Value) throws -> Value {
    guard let f = RuntimeBuiltins.unaryMath[name], let df = derivatives[name] else {
      throw RuntimeError("\(name) has no derivative rule, so it cannot take a value that is being differentiated")
    }
    guard let x = operand(a) else { throw Operations.mismatch }
    return try wrap { value(try Differentiable.map(x, f, derivative: df)) }
  }

  /// The distribution a value holds, ignoring derivatives (sampling, scoring in traces).
  static func primal(_ v: Value) throws -> Distribution {
    switch v {
    case .dist(let d): return d
    case .trackedDist(let t): return t.primal
    default: throw Operations.mismatch
    }
  }
}
