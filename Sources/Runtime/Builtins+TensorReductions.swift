import Distributions
import Foundation
import Tensor

extension RuntimeBuiltins {
  /// Applies `f` to each slice along the last axis.
  static func alongLastAxis(_ t: Tensor, _ f: (ArraySlice<Double>) -> [Double]) -> Tensor {
    let n = t.shape.last ?? 1
    guard n > 0 else { return t }
    var out: [Double] = []
    out.reserveCapacity(t.count)
    for start in stride(from: 0, to: t.count, by: n) { out += f(t.data[start..<(start + n)]) }
    return Tensor(shape: t.shape, data: out)
  }

  static func declareTensorReductions(_ r: BuiltinRegistry) {
    r.declare("fn sum(t: Tensor) -> Real", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.sum(try operand(a, "t")))
    }) { a, _ in .real(try a.tensor("t").sum()) }
    r.declare("fn sum(t: Tensor, axis: Int) -> Tensor", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.sum(try operand(a, "t"), axis: try a.int("axis")))
    }) { a, c in .tensor(try wrap(c) { try a.tensor("t").sum(axis: try a.int("axis")) }) }
    r.declare("fn mean(t: Tensor) -> Real", differentiability: .rule { a, _ in
      let x = try operand(a, "t")
      return Autodiff.value(try Differentiable.sum(x) / .number(Double(x.value.count)))
    }) { a, _ in
      let t = try a.tensor("t")
      return .real(t.count == 0 ? .nan : t.sum() / Double(t.count))
    }
    r.declare("fn mean(t: Tensor, axis: Int) -> Tensor", differentiability: .rule { a, c in
      let x = try operand(a, "t"), axis = try a.int("axis")
      let n = Double(x.value.shape[try axisIndex(axis, x.value.rank, c)])
      return Autodiff.value(try Differentiable.sum(x, axis: axis) / .number(n))
    }) { a, c in
      let t = try a.tensor("t")
      let axis = try a.int("axis")
      let s = try wrap(c) { try t.sum(axis: axis) }
      let n = Double(t.shape[try axisIndex(axis, t.rank, c)])
      return .tensor(s.map { $0 / n })
    }
    r.declare("fn randn(shape: List[Int]) -> Tensor") { a, c in
      var t = Tensor(shape: try shape(try a["shape"], c), repeating: 0)
      for i in 0..<t.count { t.data[i] = c.runtime.rng.normal() }
      return .tensor(t)
    }
    r.declare("fn randn(shape: List[Int], seed: Int) -> Tensor") { a, c in
      var t = Tensor(shape: try shape(try a["shape"], c), repeating: 0)
      var rng = RandomGenerator(seed: UInt64(bitPattern: Int64(try a.int("seed"))))
      for i in 0..<t.count { t.data[i] = rng.normal() }
      return .tensor(t)
    }
    r.declare("fn logsumexp(t: Tensor) -> Real", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.logsumexp(try operand(a, "t")))
    }) { a, _ in .real(Special.logsumexp(try a.tensor("t").data)) }
    r.declare("fn logsumexp(t: Tensor, axis: Int) -> Tensor", differentiability: .rule { a, c in
      let x = try operand(a, "t")
      let axis = try axisIndex(try a.int("axis"), x.value.rank, c)
      let y = logsumexp(x.value, axis: axis)
      // ∂y/∂t is the softmax along the axis: exp(t − y), y broadcast back over the axis.
      return Autodiff.value(try wrap(c) {
        try Differentiable.custom(y, [x]) { g in
          var d = x.value
          let (outer, size, inner) = axisBlocks(x.value.shape, axis)
          for o in 0..<outer {
            for k in 0..<size {
              for i in 0..<inner {
                let j = (o * size + k) * inner + i
                let total = y.data[o * inner + i]
                d.data[j] = total == -.infinity ? 0 : g.data[o * inner + i] * exp(x.value.data[j] - total)
              }
            }
          }
          return [d]
        }
      })
    }) { a, c in
      let t = try a.tensor("t")
      return .tensor(logsumexp(t, axis: try axisIndex(try a.int("axis"), t.rank, c)))
    }
    r.declare("fn logsumexp(xs: List[Real]) -> Real", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.logsumexp(try Differentiable.stack(try operands(a, "xs"))))
    }) { a, _ in .real(Special.logsumexp(try reals(try a["xs"]))) }
    r.declare("fn softmax(t: Tensor) -> Tensor", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.softmax(try operand(a, "t"), log: false))
    }) { a, _ in
      .tensor(alongLastAxis(try a.tensor("t")) { xs in
        let m = xs.max() ?? 0
        let e = xs.map { exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
      })
    }
    r.declare("fn log_softmax(t: Tensor) -> Tensor", differentiability: .rule { a, _ in
      Autodiff.value(try Differentiable.softmax(try operand(a, "t"), log: true))
    }) { a, _ in
      .tensor(alongLastAxis(try a.tensor("t")) { xs in
        let l = Special.logsumexp(xs)
        return xs.map { $0 - l }
      })
    }
    r.declare("fn argmax(t: Tensor) -> Int", differentiability: .valuesOnly) { a, c in
      let t = try a.tensor("t")
      guard !t.data.isEmpty else { throw c.fail("argmax of an empty tensor") }
      var best = 0
      for i in 1..<t.count where t.data[i] > t.data[best] { best = i }
      return .int(best)
    }
  }

  /// log Σ exp along an axis (in range), which the result drops.
  static func logsumexp(_ t: Tensor, axis: Int) -> Tensor {
    let (outer, size, inner) = axisBlocks(t.shape, axis)
    var out = [Double](repeating: 0, count: outer * inner)
    var column = [Double](repeating: 0, count: size)
    for o in 0..<outer {
      for i in 0..<inner {
        for k in 0..<size { column[k] = t.data[(o * size + k) * inner + i] }
        out[o * inner + i] = Special.logsumexp(column)
      }
    }
    var shape = t.shape
    shape.remove(at: axis)
    return Tensor(shape: shape, data: out)
  }

  /// A row-major shape seen as [outer, size, inner] around an axis.
  static func axisBlocks(_ shape: [Int], _ axis: Int) -> (outer: Int, size: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  /// An axis counted from the end when negative, checked against the rank.
  static func axisIndex(_ axis: Int, _ rank: Int, _ c: CallContext) throws -> Int {
    let k = axis < 0 ? axis + rank : axis
    guard k >= 0 && k < rank else { throw c.fail("axis \(axis) is out of range for a tensor of rank \(rank)") }
    return k
  }
}
