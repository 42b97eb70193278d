import Distributions
import Foundation
import Tensor
import Types

extension RuntimeBuiltins {
  /// Gives a builtin a differentiable form: when an argument is being differentiated,
  /// `rule` runs instead of the plain body.
  static func differentiable(_ r: BuiltinRegistry, _ key: String, _ rule: @escaping BuiltinBody) {
    guard let plain = r.body(forKey: key) else { return }  // unreachable: called for registered keys only
    r.register(key) { a, c in
      if a.contains(where: Autodiff.isTracked) { return try Autodiff.wrap { try rule(a, c) } }
      return try plain(a, c)
    }
  }

  static func registerDifferentiable(_ r: BuiltinRegistry) {
    for f in UnaryFunction.allCases {
      for t in ["Real", "Tensor"] { differentiable(r, "\(f.rawValue)(\(t))") { a, _ in try Autodiff.unaryMath(f, a[0]) } }
    }
    for key in ["pow(Real, Real)", "pow(Tensor, Real)"] {
      differentiable(r, key) { a, _ in try Autodiff.binary(.pow, a[0], a[1]) }
    }
    for (key, pick) in [("min(Real, Real)", true), ("max(Real, Real)", false)] {
      differentiable(r, key) { a, _ in
        let x = try a[0].primalTensor().data[0], y = try a[1].primalTensor().data[0]
        return (x <= y) == pick ? a[0] : a[1]
      }
    }
    let o = Autodiff.operands
    differentiable(r, "sum(Tensor)") { a, _ in Autodiff.value(try Differentiable.sum(try o(a)[0])) }
    differentiable(r, "sum(Tensor, Int)") { a, _ in Autodiff.value(try Differentiable.sum(try o([a[0]])[0], axis: try a[1].asInt())) }
    differentiable(r, "mean(Tensor)") { a, _ in
      let x = try o([a[0]])[0]
      return Autodiff.value(try Differentiable.binary(.div, try Differentiable.sum(x), .constant(.scalar(Double(x.value.count)))))
    }
    differentiable(r, "mean(Tensor, Int)") { a, _ in
      let x = try o([a[0]])[0], axis = try a[1].asInt()
      let n = Double(x.value.shape[axis < 0 ? axis + x.value.rank : axis])
      return Autodiff.value(try Differentiable.binary(.div, try Differentiable.sum(x, axis: axis), .constant(.scalar(n))))
    }
    differentiable(r, "sum(List[Real])") { a, _ in
      try a[0].asList().reduce(.real(0)) { try Autodiff.binary(.add, $0, $1) }
    }
    differentiable(r, "matmul(Tensor, Tensor)") { a, _ in Autodiff.value(try Differentiable.matmul(try o(a)[0], try o(a)[1])) }
    differentiable(r, "dot(Tensor, Tensor)") { a, _ in Autodiff.value(try Differentiable.dot(try o(a)[0], try o(a)[1])) }
    differentiable(r, "transpose(Tensor)") { a, _ in Autodiff.value(try Differentiable.transpose(try o(a)[0])) }
    differentiable(r, "reshape(Tensor, List[Int])") { a, _ in
      Autodiff.value(try Differentiable.reshape(try o([a[0]])[0], try a[1].asList().map { try $0.asInt() }))
    }
    differentiable(r, "stack(List[Tensor])") { a, _ in Autodiff.value(try Differentiable.stack(try o(try a[0].asList()))) }
    differentiable(r, "concat(List[Tensor], Int)") { a, c in
      guard try a[1].asInt() == 0 else { throw c.fail("concat along axis \(try a[1].asInt()) has no derivative rule yet; use axis 0") }
      return Autodiff.value(try Differentiable.concat(try o(try a[0].asList())))
    }
    differentiable(r, "tensor(?)") { a, _ in try trackedTensor(a[0]) }
    differentiable(r, "to_list(Tensor)") { a, c in
      let n = try a[0].primalTensor().shape.first ?? 0
      if try a[0].primalTensor().rank == 0 { throw c.fail("to_list needs a tensor with at least one axis") }
      return .list(try (0..<n).map { try Operations.index(a[0], [.int($0)], c.runtime) })
    }
    differentiable(r, "logsumexp(Tensor)") { a, _ in Autodiff.value(try Differentiable.logsumexp(try o(a)[0])) }
    differentiable(r, "logsumexp(List[Real])") { a, _ in
      Autodiff.value(try Differentiable.logsumexp(try Differentiable.stack(try o(try a[0].asList()))))
    }
    differentiable(r, "softmax(Tensor)") { a, _ in Autodiff.value(try Differentiable.softmax(try o(a)[0], log: false)) }
    differentiable(r, "log_softmax(Tensor)") { a, _ in Autodiff.value(try Differentiable.softmax(try o(a)[0], log: true)) }
    differentiable(r, "logpdf(Dist[?], ?)") { a, _ in try Autodiff.logpdf(a[0], a[1]) }
    for key in ["shape(Tensor)", "len(Tensor)", "argmax(Tensor)", "int(Real)", "is_nan(Real)", "str(?)", "print(?)"] {
      // These read values only: derivatives do not flow through them. (The closure holds
      // the body, not the registry: a registry holding itself would never be freed.)
      guard let plain = r.body(forKey: key) else { continue }  // unreachable: the key was registered above
      differentiable(r, key) { a, c in try plain(a.map(primalValue), c) }
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

  /// `tensor(nested)` where some entries are being differentiated: stacked on the tape.
  static func trackedTensor(_ v: Value) throws -> Value {
    switch v {
    case .list(let xs): return Autodiff.value(try Differentiable.stack(try xs.map { try Autodiff.operands([try trackedTensor($0)])[0] }))
    default: return v
    }
  }
}
