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

  static func registerTensorReductions(_ r: BuiltinRegistry) {
    r.register("randn(List[Int])") { a, c in
      let s = try shape(a[0], c)
      var t = Tensor(shape: s, repeating: 0)
      for i in 0..<t.count { t.data[i] = c.runtime.rng.normal() }
      return .tensor(t)
    }
    r.register("randn(List[Int], Int)") { a, c in
      let s = try shape(a[0], c)
      var rng = RandomGenerator(seed: UInt64(bitPattern: Int64(try a[1].asInt())))
      var t = Tensor(shape: s, repeating: 0)
      for i in 0..<t.count { t.data[i] = rng.normal() }
      return .tensor(t)
    }
    r.register("logsumexp(Tensor)") { a, _ in .real(Special.logsumexp(try a[0].asTensor().data)) }
    r.register("logsumexp(List[Real])") { a, _ in .real(Special.logsumexp(try reals(a[0]))) }
    r.register("logsumexp(Tensor, Int)") { a, c in
      let t = try a[0].asTensor()
      var axis = try a[1].asInt()
      if axis < 0 { axis += t.rank }
      guard axis >= 0 && axis < t.rank else { throw c.fail("axis \(axis) is out of range for a tensor of rank \(t.rank)") }
      let outer = t.shape[..<axis].reduce(1, *), size = t.shape[axis], inner = t.shape[(axis + 1)...].reduce(1, *)
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
      return .tensor(Tensor(shape: shape, data: out))
    }
    r.register("log_softmax(Tensor)") { a, _ in
      .tensor(alongLastAxis(try a[0].asTensor()) { xs in
        let l = Special.logsumexp(xs)
        return xs.map { $0 - l }
      })
    }
    r.register("softmax(Tensor)") { a, _ in
      .tensor(alongLastAxis(try a[0].asTensor()) { xs in
        let m = xs.max() ?? 0
        let e = xs.map { exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
      })
    }
    r.register("argmax(Tensor)") { a, c in
      let t = try a[0].asTensor()
      guard !t.data.isEmpty else { throw c.fail("argmax of an empty tensor") }
      var best = 0
      for i in 1..<t.count where t.data[i] > t.data[best] { best = i }
      return .int(best)
    }
  }
}
