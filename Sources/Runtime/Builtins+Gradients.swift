import Tensor

extension RuntimeBuiltins {
  /// Runs `evaluate(θ)` with every Real and Tensor leaf of θ as a variable on a new tape
  /// and returns its value and gradient, shaped like θ (reverse mode: one sweep).
  public static func differentiate(_ theta: Value, _ c: CallContext, _ evaluate: (Value) throws -> Value) throws -> (value: Double, gradient: Value) {
    guard !c.runtime.differentiating else {
      throw c.fail("grad inside grad (nested differentiation) is not supported yet")
    }
    c.runtime.differentiating = true
    defer { c.runtime.differentiating = false }
    let tape = Tape()
    var leaves: [Tracked] = []
    func lift(_ v: Value) throws -> Value {
      switch v {
      case .real(let x):
        leaves.append(tape.variable(.scalar(x)))
        return .tracked(leaves[leaves.count - 1])
      case .tensor(let t):
        leaves.append(tape.variable(t))
        return .tracked(leaves[leaves.count - 1])
      case .list(let xs): return .list(try xs.map(lift))
      case .tuple(let xs): return .tuple(try xs.map(lift))
      case .record(let names, let xs): return .record(names: names, values: try xs.map(lift))
      default:
        throw c.fail("grad differentiates with respect to Reals and Tensors (in records, tuples and lists), not a \(v.typeName)")
      }
    }
    let out = try evaluate(try lift(theta))
    let value: Double
    var grads: [Tensor?] = []
    switch out {
    case .real(let x): value = x
    case .tracked(let t) where t.value.rank == 0:
      value = t.value.data[0]
      grads = try tape.gradients(of: t)
    default: throw c.fail("grad needs a function returning a Real, got \(out.typeName)")
    }
    var next = 0
    func lower(_ v: Value) -> Value {
      switch v {
      case .real, .tensor:
        let leaf = leaves[next]
        next += 1
        let g = leaf.index < grads.count ? grads[leaf.index] : nil
        let t = g ?? Tensor(shape: leaf.value.shape, repeating: 0)
        if case .real = v { return .real(t.data[0]) }
        return .tensor(t)
      case .list(let xs): return .list(xs.map(lower))
      case .tuple(let xs): return .tuple(xs.map(lower))
      case .record(let names, let xs): return .record(names: names, values: xs.map(lower))
      default: return v
      }
    }
    return (value, lower(theta))
  }
}
