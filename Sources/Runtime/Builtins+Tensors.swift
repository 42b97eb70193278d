import Foundation
import Tensor

extension RuntimeBuiltins {
  /// A shape argument: non-negative sizes, within `Tensor.maxElements` in all.
  static func shape(_ v: Value, _ c: CallContext) throws -> [Int] {
    let shape = try v.asList().map { try $0.asInt() }
    guard shape.allSatisfy({ $0 >= 0 }) else { throw c.fail("a shape has non-negative sizes, got \(shape)") }
    try wrap(c) { try Tensor.checkSize(shape) }
    return shape
  }

  static func wrap<T>(_ c: CallContext, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as TensorError { throw c.fail(e.message) }
  }

  /// The argument `name` as an operand (for derivative rules).
  static func operand(_ a: Arguments, _ name: String) throws -> Operand { try Autodiff.operands([try a[name]])[0] }

  /// A list argument's elements as operands.
  static func operands(_ a: Arguments, _ name: String) throws -> [Operand] { try Autodiff.operands(try a.list(name)) }

  static func declareTensors(_ r: BuiltinRegistry) {
    r.declare("fn len(t: Tensor) -> Int", differentiability: .valuesOnly) { a, _ in .int(try a.tensor("t").shape.first ?? 0) }
    r.declare("fn tensor(values: any) -> Tensor", differentiability: .rule { a, _ in try trackedTensor(try a["values"]) }) { a, c in
      .tensor(try wrap(c) { try Value.tensorFromNested(try a["values"]) })
    }
    r.declare("fn zeros(shape: List[Int]) -> Tensor") { a, c in .tensor(Tensor(shape: try shape(try a["shape"], c), repeating: 0)) }
    r.declare("fn ones(shape: List[Int]) -> Tensor") { a, c in .tensor(Tensor(shape: try shape(try a["shape"], c), repeating: 1)) }
    r.declare("fn full(shape: List[Int], value: Real) -> Tensor") { a, c in
      .tensor(Tensor(shape: try shape(try a["shape"], c), repeating: try a.real("value")))
    }
    r.declare("fn eye(n: Int) -> Tensor") { a, c in
      let n = try a.int("n")
      var t = Tensor(shape: try shape(.list([.int(n), .int(n)]), c), repeating: 0)
      for i in 0..<n { t.data[i * n + i] = 1 }
      return .tensor(t)
    }
    r.declare("fn linspace(a: Real, b: Real, n: Int) -> Tensor") { a, c in
      let lo = try a.real("a"), hi = try a.real("b"), n = try a.int("n")
      _ = try shape(.list([.int(n)]), c)
      let step = n > 1 ? (hi - lo) / Double(n - 1) : 0
      return .tensor(Tensor(shape: [n], data: (0..<n).map { lo + Double($0) * step }))
    }
    r.declare("fn shape(t: Tensor) -> List[Int]", differentiability: .valuesOnly) { a, _ in
      .list(try a.tensor("t").shape.map { .int($0) })
    }
    let reshape = Differentiability.rule { a, _ in
      Autodiff.value(try Differentiable.reshape(try operand(a, "t"), try a.list("shape").map { try $0.asInt() }))
    }
    r.declare("fn reshape(t: Tensor, shape: List[Int]) -> Tensor", differentiability: reshape) { a, c in
      let t = try a.tensor("t")
      return .tensor(try wrap(c) { try t.reshaped(try a.list("shape").map { try $0.asInt() }) })
    }
    r.declare("fn transpose(t: Tensor) -> Tensor", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.transpose(try operand(a, "t")))
    }) { a, c in .tensor(try wrap(c) { try a.tensor("t").transposed() }) }
    r.declare("fn matmul(a: Tensor, b: Tensor) -> Tensor", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.matmul(try operand(a, "a"), try operand(a, "b")))
    }) { a, c in .tensor(try wrap(c) { try Tensor.matmul(try a.tensor("a"), try a.tensor("b"), checkpoint: c.runtime.checkLimits) }) }
    r.declare("fn dot(a: Tensor, b: Tensor) -> Real", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.dot(try operand(a, "a"), try operand(a, "b")))
    }) { a, c in
      let x = try a.tensor("a"), y = try a.tensor("b")
      guard x.shape == y.shape else { throw c.fail("dot: shapes \(x.shape) and \(y.shape) differ") }
      return .real(zip(x.data, y.data).reduce(0) { $0 + $1.0 * $1.1 })
    }
    r.declare("fn stack(ts: List[Tensor]) -> Tensor", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.stack(try operands(a, "ts")))
    }) { a, c in
      let ts = try a.list("ts").map { try $0.asTensor() }
      guard let first = ts.first else { throw c.fail("stack needs at least one tensor") }
      guard ts.allSatisfy({ $0.shape == first.shape }) else { throw c.fail("stack: tensors must share one shape") }
      try wrap(c) { try Tensor.checkSize([ts.count] + first.shape) }
      return .tensor(Tensor(shape: [ts.count] + first.shape, data: ts.flatMap(\.data)))
    }
    let concatRule = Differentiability.rule { a, c in
      guard try a.int("axis") == 0 else { throw c.fail("concat along axis \(try a.int("axis")) has no derivative rule yet; use axis 0") }
      return Autodiff.value(try Differentiable.concat(try operands(a, "ts")))
    }
    r.declare("fn concat(ts: List[Tensor], axis: Int = 0) -> Tensor", differentiability: concatRule) { a, c in
      let ts = try a.list("ts").map { try $0.asTensor() }
      let axis = try a.int("axis")
      guard let first = ts.first else { throw c.fail("concat needs at least one tensor") }
      try wrap(c) { try Tensor.checkSize([ts.reduce(0) { $0 + $1.count }]) }
      guard axis == 0 else {
        // Along another axis: move it to the front, join, move back (2-D only).
        guard axis == 1, ts.allSatisfy({ $0.rank == 2 && $0.shape[0] == first.shape[0] }) else {
          throw c.fail("concat along axis \(axis) needs 2-D tensors with equal row counts")
        }
        let joined = try ts.map { try $0.transposed() }
        let stacked = Tensor(shape: [joined.reduce(0) { $0 + $1.shape[0] }, first.shape[0]], data: joined.flatMap(\.data))
        return .tensor(try wrap(c) { try stacked.transposed() })
      }
      guard ts.allSatisfy({ $0.rank == first.rank && $0.shape.dropFirst() == first.shape.dropFirst() }) else {
        throw c.fail("concat: tensors must agree on every axis but the first")
      }
      return .tensor(Tensor(shape: [ts.reduce(0) { $0 + ($1.shape.first ?? 0) }] + first.shape.dropFirst(), data: ts.flatMap(\.data)))
    }
    let toListRule = Differentiability.rule { a, c in
      let t = try a["t"]
      if try t.primalTensor().rank == 0 { throw c.fail("to_list needs a tensor with at least one axis") }
      return .list(try (0..<(try t.primalTensor().shape.first ?? 0)).map { try Operations.index(t, [.int($0)], c.runtime) })
    }
    r.declare("fn to_list(t: Tensor) -> List[Real]", differentiability: toListRule) { a, c in
      let t = try a.tensor("t")
      guard t.rank <= 1 else { throw c.fail("to_list needs a vector, found shape \(t.shape); take rows with t[i] first") }
      return .list(t.data.map { .real($0) })
    }
  }

  /// `tensor(nested)` where some entries are being differentiated: stacked on the tape.
  static func trackedTensor(_ v: Value) throws -> Value {
    switch v {
    case .list(let xs): return Autodiff.value(try Differentiable.stack(try xs.map { try Autodiff.operands([try trackedTensor($0)])[0] }))
    default: return v
    }
  }

  /// A value with derivatives dropped (for builtins that only read values).
  static func primalValue(_ v: Value) -> Value {
    switch v {
    case .tracked(let t): return t.value.rank == 0 ? .real(t.value.data[0]) : .tensor(t.value)
    case .trackedDist(let t): return .dist(t.primal)
    case .list(let xs): return .list(xs.map(primalValue))
    case .tuple(let xs): return .tuple(xs.map(primalValue))
    case .record(let n, let xs): return .record(names: n, values: xs.map(primalValue))
    default: return v
    }
  }
}
