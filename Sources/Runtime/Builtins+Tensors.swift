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

  static func registerTensors(_ r: BuiltinRegistry) {
    r.register("tensor(?)") { a, c in .tensor(try wrap(c) { try Value.tensorFromNested(a[0]) }) }
    r.register("zeros(List[Int])") { a, c in .tensor(Tensor(shape: try shape(a[0], c), repeating: 0)) }
    r.register("ones(List[Int])") { a, c in .tensor(Tensor(shape: try shape(a[0], c), repeating: 1)) }
    r.register("full(List[Int], Real)") { a, c in .tensor(Tensor(shape: try shape(a[0], c), repeating: try a[1].asReal())) }
    r.register("eye(Int)") { a, c in
      let n = try a[0].asInt()
      var t = Tensor(shape: try shape(.list([.int(n), .int(n)]), c), repeating: 0)
      for i in 0..<n { t.data[i * n + i] = 1 }
      return .tensor(t)
    }
    r.register("linspace(Real, Real, Int)") { a, c in
      let lo = try a[0].asReal(), hi = try a[1].asReal(), n = try a[2].asInt()
      _ = try shape(.list([.int(n)]), c)
      let step = n > 1 ? (hi - lo) / Double(n - 1) : 0
      return .tensor(Tensor(shape: [n], data: (0..<n).map { lo + Double($0) * step }))
    }
    r.register("shape(Tensor)") { a, _ in .list(try a[0].asTensor().shape.map { .int($0) }) }
    r.register("len(Tensor)") { a, _ in .int(try a[0].asTensor().shape.first ?? 0) }
    r.register("reshape(Tensor, List[Int])") { a, c in
      let t = try a[0].asTensor()
      return .tensor(try wrap(c) { try t.reshaped(try a[1].asList().map { try $0.asInt() }) })
    }
    r.register("transpose(Tensor)") { a, c in .tensor(try wrap(c) { try a[0].asTensor().transposed() }) }
    r.register("matmul(Tensor, Tensor)") { a, c in .tensor(try wrap(c) { try Tensor.matmul(try a[0].asTensor(), try a[1].asTensor()) }) }
    r.register("dot(Tensor, Tensor)") { a, c in
      let x = try a[0].asTensor(), y = try a[1].asTensor()
      guard x.shape == y.shape else { throw c.fail("dot: shapes \(x.shape) and \(y.shape) differ") }
      return .real(zip(x.data, y.data).reduce(0) { $0 + $1.0 * $1.1 })
    }
    r.register("stack(List[Tensor])") { a, c in
      let ts = try a[0].asList().map { try $0.asTensor() }
      guard let first = ts.first else { throw c.fail("stack needs at least one tensor") }
      guard ts.allSatisfy({ $0.shape == first.shape }) else { throw c.fail("stack: tensors must share one shape") }
      try wrap(c) { try Tensor.checkSize([ts.count] + first.shape) }
      return .tensor(Tensor(shape: [ts.count] + first.shape, data: ts.flatMap(\.data)))
    }
    r.register("concat(List[Tensor], Int)") { a, c in
      let ts = try a[0].asList().map { try $0.asTensor() }
      let axis = try a[1].asInt()
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
    r.register("to_list(Tensor)") { a, c in
      let t = try a[0].asTensor()
      guard t.rank <= 1 else { throw c.fail("to_list needs a vector, found shape \(t.shape); take rows with t[i] first") }
      return .list(t.data.map { .real($0) })
    }
    r.register("sum(Tensor)") { a, _ in .real(try a[0].asTensor().sum()) }
    r.register("sum(Tensor, Int)") { a, c in .tensor(try wrap(c) { try a[0].asTensor().sum(axis: try a[1].asInt()) }) }
    r.register("mean(Tensor)") { a, _ in
      let t = try a[0].asTensor()
      return .real(t.count == 0 ? .nan : t.sum() / Double(t.count))
    }
    r.register("mean(Tensor, Int)") { a, c in
      let t = try a[0].asTensor()
      let axis = try a[1].asInt()
      let s = try wrap(c) { try t.sum(axis: axis) }
      let n = Double(t.shape[axis < 0 ? axis + t.rank : axis])
      return .tensor(s.map { $0 / n })
    }
  }
}
