import Foundation
import Runtime

/// Gradients, expectations, optimizers and training (SPEC §7).
extension InferenceBuiltins {
  static func registerVariational(_ r: BuiltinRegistry) {
    r.register("grad(fn(?) -> Real, ?)") { a, c in try pathwiseGradient(a[0], a[1], c).gradient }
    r.register("value_and_grad(fn(?) -> Real, ?)") { a, c in
      let (value, gradient) = try pathwiseGradient(a[0], a[1], c)
      return .tuple([.real(value), gradient])
    }
    r.register("grad(fn(?) -> Expect, ?)") { a, c in try expectationGradient(a[0], a[1], c).gradient }
    r.register("value_and_grad(fn(?) -> Expect, ?)") { a, c in
      let (value, gradient) = try expectationGradient(a[0], a[1], c)
      return .tuple([.real(value), gradient])
    }
    r.register("estimate(Expect)") { a, c in
      guard case .closure(let e) = a[0] else { throw c.fail("estimate expects an expect block") }
      return try Expectation.run(e, c)
    }
    r.register("stop_gradient(?)") { a, _ in
      if case .object(let o) = a[0], let cm = o as? ChoiceMapObject {
        return .object(ChoiceMapObject(cm.map.mapValues(Differentiation.stopGradient)))
      }
      return Differentiation.stopGradient(a[0])
    }
    r.register("marginal(Gen[? -> ?], Selection, Gen[? -> ?], Int)") { a, c in
      let g = try gen(a[0], c), q = try gen(a[2], c), n = try a[3].asInt()
      guard case .object(let o) = a[1], let keep = o as? SelectionObject else { throw c.fail("marginal: keep must be a selection") }
      try checkCount(n, "marginal: particles", c)
      return .closure(MarginalGen(model: g, keep: keep.selection, proposal: q, particles: n).closure(name: "marginal", parameterCount: g.code.parameterCount))
    }
    r.register("normalize(Gen[? -> ?], Gen[? -> ?], Int)") { a, c in
      let target = try gen(a[0], c), q = try gen(a[1], c), n = try a[2].asInt()
      try checkCount(n, "normalize: particles", c)
      return .closure(NormalizeGen(target: target, proposal: q, particles: n).closure(name: "normalize", parameterCount: target.code.parameterCount))
    }
    r.register("adam(Real, Real, Real, Real)") { a, c in
      let lr = try positive(a[0], "adam: lr", c)
      let b1 = try a[1].asReal(), b2 = try a[2].asReal(), eps = try positive(a[3], "adam: eps", c)
      guard (0..<1).contains(b1), (0..<1).contains(b2) else { throw c.fail("adam: beta1 and beta2 must lie in [0, 1)") }
      return .object(Optimizer(.adam(beta1: b1, beta2: b2, epsilon: eps), learningRate: lr))
    }
    r.register("sgd(Real, Real)") { a, c in
      let lr = try positive(a[0], "sgd: lr", c), m = try a[1].asReal()
      guard (0..<1).contains(m) else { throw c.fail("sgd: momentum must lie in [0, 1), got \(m)") }
      return .object(Optimizer(.sgd(momentum: m), learningRate: lr))
    }
    r.register("apply_gradient(Optimizer, ?, ?)") { a, c in
      do { return try optimizer(a[0], c).step(a[1], a[2]) } catch let e as RuntimeError { throw c.fail(e.message) }
    }
    r.register("train(fn(?) -> Expect, ?, Optimizer, Int, Int)") { a, c in
      try optimize(a, maximize: true, label: "train", c) { theta in try expectationGradient(a[0], theta, c) }
    }
    r.register("train(fn(?) -> Real, ?, Optimizer, Int, Int)") { a, c in
      try optimize(a, maximize: true, label: "train", c) { theta in try pathwiseGradient(a[0], theta, c) }
    }
    r.register("minimize(fn(?) -> Real, ?, Optimizer, Int, Int)") { a, c in
      try optimize(a, maximize: false, label: "minimize", c) { theta in try pathwiseGradient(a[0], theta, c) }
    }
  }

  static func positive(_ v: Value, _ what: String, _ c: CallContext) throws -> Double {
    let x = try v.asReal()
    guard x > 0, x.isFinite else { throw c.fail("\(what) must be positive, got \(ValueFormatter.real(x))") }
    return x
  }

  static func optimizer(_ v: Value, _ c: CallContext) throws -> Optimizer {
    guard case .object(let o) = v, let opt = o as? Optimizer else { throw c.fail("expected an optimizer, found \(v.typeName)") }
    return opt
  }

  /// `grad` of a function: exact for deterministic code; draws inside `simulate` and
  /// `generate` are held at their values, reparameterized ones follow their path.
  static func pathwiseGradient(_ f: Value, _ theta: Value, _ c: CallContext) throws -> (value: Double, gradient: Value) {
    try RuntimeBuiltins.differentiate(theta, c) { lifted in
      let saved = c.runtime.estimator
      c.runtime.estimator = GradientEstimator(mode: .pathwise)
      defer { c.runtime.estimator = saved }
      return try c.call(f, [lifted])
    }
  }

  /// `grad` of an objective returning `Expect`: an unbiased estimate of the
  /// expectation's gradient, and the estimate of the expectation that came with it.
  static func expectationGradient(_ objective: Value, _ theta: Value, _ c: CallContext) throws -> (value: Double, gradient: Value) {
    try RuntimeBuiltins.differentiate(theta, c) { lifted in
      guard case .closure(let block) = try c.call(objective, [lifted]) else { throw c.fail("the objective did not return an expect block") }
      return try Expectation.surrogate(block, c)
    }
  }

  /// `train` (ascends) and `minimize` (descends): `steps` optimizer steps, a progress bar,
  /// and every `log_every` steps a line with the mean objective over those steps.
  static func optimize(_ a: [Value], maximize: Bool, label: String, _ c: CallContext,
                       _ gradient: (Value) throws -> (value: Double, gradient: Value)) throws -> Value {
    let opt = try optimizer(a[2], c)
    let steps = try a[3].asInt(), logEvery = try a[4].asInt()
    guard steps >= 0 else { throw c.fail("\(label): steps must be non-negative, got \(steps)") }
    guard logEvery >= 0 else { throw c.fail("\(label): log_every must be non-negative, got \(logEvery)") }
    var theta = a[1]
    let progress = ProgressBar(total: steps, label: label)
    defer { progress.finish() }
    var sum = 0.0, count = 0
    for i in stride(from: 1, through: steps, by: 1) {
      let (value, g) = try gradient(theta)
      do {
        theta = try opt.step(theta, g, ascend: maximize)
      } catch let e as RuntimeError { throw c.fail("\(label): \(e.message)") }
      sum += value
      count += 1
      progress.advance()
      if logEvery > 0 && i % logEvery == 0 {
        progress.finish()
        c.runtime.output("\(label) step \(i): \(maximize ? "objective" : "loss") \(ValueFormatter.real(sum / Double(count)))\n")
        sum = 0
        count = 0
      }
    }
    return theta
  }
}
