import Distributions
import Foundation
import Runtime
import Tensor

/// Hamiltonian Monte Carlo and MALA over the selected continuous choices, in the
/// unconstrained space (log-density plus log-Jacobian), with gradients from the tape.
struct LogDensity {
  let trace: Trace
  let addresses: [Address]
  let supports: [Unconstrained.Support]
  let shapes: [[Int]]
  let scalar: [Bool]
  /// The starting point, flattened, in the unconstrained space.
  let start: [Double]
  let context: CallContext

  /// `advice` ends the error for a discrete choice (what the caller can do about it).
  init(_ t: Trace, _ selection: Selection, _ c: CallContext, advice: String = "leave it out of the selection") throws {
    trace = t
    context = c
    var addresses: [Address] = [], supports: [Unconstrained.Support] = [], shapes: [[Int]] = [], scalar: [Bool] = []
    var start: [Double] = []
    for a in t.choices.addresses where selection.contains(a) {
      guard let d = t.distribution(at: a), let s = Unconstrained.support(d), let v = t.choices[a] else {
        throw c.fail("gradient-based kernels move continuous choices; '\(a)' (\(t.distribution(at: a)?.name ?? "?")) is not one, so \(advice)")
      }
      addresses.append(a)
      supports.append(s)
      let x = try v.asTensor()
      shapes.append(x.shape)
      start += Unconstrained.toUnconstrained(x, s).data
      if case .real = v { scalar.append(true) } else { scalar.append(false) }
    }
    guard !addresses.isEmpty else { throw c.fail("the selection contains no choice of the trace") }
    self.addresses = addresses
    self.supports = supports
    self.shapes = shapes
    self.scalar = scalar
    self.start = start
  }

  /// The constrained values of a position.
  func values(_ u: [Double]) -> [Value] {
    var offset = 0
    return zip(shapes, supports).enumerated().map { i, pair in
      let n = pair.0.reduce(1, *)
      defer { offset += n }
      let constrained = Unconstrained.toConstrained(Tensor(shape: pair.0, data: Array(u[offset..<(offset + n)])), pair.1)
      return scalar[i] ? .real(constrained.data[0]) : .tensor(constrained)
    }
  }

  /// Log-density (with Jacobian) and its gradient at `u`.
  func evaluate(_ u: [Double]) throws -> (value: Double, gradient: [Double]) {
    let tape = Tape()
    var leaves: [Tracked] = []
    var values: [Address: Value] = [:]
    for a in trace.choices.addresses { values[a] = trace.choices[a] }
    var logJacobian: Value = .real(0)
    var offset = 0
    for (i, a) in addresses.enumerated() {
      let n = shapes[i].reduce(1, *)
      let leaf = tape.variable(Tensor(shape: shapes[i], data: Array(u[offset..<(offset + n)])))
      offset += n
      leaves.append(leaf)
      let (x, lj) = try Unconstrained.toConstrained(.tracked(leaf), supports[i])
      var v = Differentiation.value(x)
      if scalar[i], case .tracked(let t) = v, t.value.rank > 0 {
        v = Differentiation.value(try Differentiable.reshape(.tracked(t), []))
      }
      values[a] = v
      logJacobian = try Differentiation.add(logJacobian, Differentiation.value(lj))
    }
    var execution = try Execution(closure: trace.gen, arguments: trace.arguments, context: context.runtime)
    let logDensity: Value
    if let truncation = trace.truncation {
      var handler = TruncatedHandler(LogDensityHandler(values: values), truncation)
      _ = try execution.run(&handler, context.runtime)
      logDensity = handler.inner.logDensity
    } else {
      var handler = LogDensityHandler(values: values)
      guard case .finished = try execution.run(&handler, context.runtime) else { throw context.fail("internal: the model suspended") }
      logDensity = handler.logDensity
    }
    let total = try Differentiation.add(logDensity, logJacobian)
    guard case .tracked(let t) = total else { return (try total.asReal(), [Double](repeating: 0, count: u.count)) }
    let grads = try tape.gradients(of: t)
    return (t.value.data[0], leaves.flatMap { leaf in grads[leaf.index]?.data ?? Array(repeating: 0, count: leaf.value.count) })
  }

  /// The log-density and gradient at a proposed position, where a run that fails (an
  /// invalid parameter far out in a trajectory) counts as zero density, as in Stan.
  func evaluateProposal(_ u: [Double]) -> (value: Double, gradient: [Double]) {
    (try? evaluate(u)) ?? (-.infinity, [Double](repeating: 0, count: u.count))
  }

  /// The trace at a position (scored by the update handler).
  func trace(at u: [Double]) throws -> Trace {
    var constraints = ChoiceMap()
    for (a, v) in zip(addresses, values(u)) { constraints.insert(a, v) }
    return try InferenceBuiltins.run(trace.gen, trace.arguments, .update(previous: trace, constraints: constraints), context).trace
  }
}

enum GradientKernels {
  /// One HMC transition: momentum ~ N(0, I), `steps` leapfrog steps of size `step`,
  /// Metropolis correction. MALA is HMC with one step.
  static func hmc(_ t: Trace, _ selection: Selection, step: Double, steps: Int, _ c: CallContext) throws -> Trace {
    guard step > 0, steps >= 1 else { throw c.fail("hmc: step must be positive and leapfrog at least 1") }
    let target = try LogDensity(t, selection, c)
    var u = target.start
    var (logp, grad) = try target.evaluate(u)
    let start = logp
    var p = u.map { _ in c.runtime.rng.normal() }
    let kinetic0 = p.reduce(0) { $0 + $1 * $1 } / 2
    for _ in 0..<steps {
      for i in p.indices { p[i] += 0.5 * step * grad[i] }
      for i in u.indices { u[i] += step * p[i] }
      (logp, grad) = target.evaluateProposal(u)
      if !logp.isFinite {
        c.runtime.divergentTransitions += 1
        return t
      }
      for i in p.indices { p[i] += 0.5 * step * grad[i] }
    }
    let kinetic = p.reduce(0) { $0 + $1 * $1 } / 2
    let logAccept = (logp - kinetic) - (start - kinetic0)
    if logAccept < -1000 { c.runtime.divergentTransitions += 1 }
    return log(c.runtime.rng.uniform()) < logAccept ? try target.trace(at: u) : t
  }
}
