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
    case .tracked: return true
    case .trackedDist(let t): return t.isDifferentiated
    case .list(let xs), .tuple(let xs), .record(_, let xs): return xs.contains(where: isTracked)
    default: return false
    }
  }

  static func wrap<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as TensorError { throw RuntimeError(e.message) }
  }

  static func binary(_ op: BinaryOp, _ a: Value, _ b: Value) throws -> Value {
    guard let x = operand(a), let y = operand(b) else { throw Operations.mismatch }
    if let arithmetic = Operations.arithmetic(op) {
      return try wrap { value(try Differentiable.binary(arithmetic, x, y)) }
    }
    switch op {
    case .lt, .le, .gt, .ge, .eq, .ne:
      // Comparisons look at values only.
      return try Operations.binary(op, value(.constant(x.value)), value(.constant(y.value)))
    default:
      throw RuntimeError("'\(op.rawValue)' has no derivative rule, so it cannot take a value that is being differentiated")
    }
  }

  static func unaryMath(_ f: UnaryFunction, _ a: Value) throws -> Value {
    guard let x = operand(a) else { throw Operations.mismatch }
    return try wrap { value(try Differentiable.unary(f, x)) }
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
