import Foundation
import Runtime

/// Gradients, expectations, optimizers and training (SPEC §7).
extension InferenceBuiltins {
  static func declareVariational(_ r: BuiltinRegistry) {
    r.declare("fn estimate(e: Expect) -> Real") { a, c in
      guard case .closure(let e) = try a["e"] else { throw c.fail("estimate expects an expect block") }
      return try Expectation.estimate(e, c)
    }
    r.declare("fn grad(f: fn(a) -> Real, theta: a) -> a") { a, c in try pathwiseGradient(try a["f"], try a["theta"], c).gradient }
    r.declare("fn value_and_grad(f: fn(a) -> Real, theta: a) -> (Real, a)") { a, c in
      let (value, gradient) = try pathwiseGradient(try a["f"], try a["theta"], c)
      return .tuple([.real(value), gradient])
    }
    r.declare("fn grad(objective: fn(a) -> Expect, theta: a) -> a") { a, c in
      try expectationGradient(try a["objective"], try a["theta"], c).gradient
    }
    r.declare("fn value_and_grad(objective: fn(a) -> Expect, theta: a) -> (Real, a)") { a, c in
      let (value, gradient) = try expectationGradient(try a["objective"], try a["theta"], c)
      return .tuple([.real(value), gradient])
    }
    r.declare("fn stop_gradient(x: a) -> a") { a, _ in
      let x = try a["x"]
      if case .object(let o) = x, let cm = o as? ChoiceMapObject {
        return .object(ChoiceMapObject(cm.map.mapValues(Differentiation.stopGradient)))
      }
      if case .object(let o) = x, let posterior = o as? DifferentiatedPosterior { return .object(posterior.plain) }
      return Differentiation.stopGradient(x)
    }
    r.declare("fn marginal(g: Gen[a -> r], keep: Selection, proposal: Gen[b -> s], particles: Int = 10) -> Gen[a -> r]") { a, c in
      let g = try gen(try a["g"], c), q = try gen(try a["proposal"], c), n = try a.int("particles")
      let keep = try selection(try a["keep"], c)
      try checkCount(n, "marginal: particles", c)
      return .closure(MarginalGen(model: g, keep: keep, proposal: q, particles: n).closure(name: "marginal", parameterCount: g.code.parameterCount))
    }
    r.declare("fn normalize(target: Gen[a -> r], proposal: Gen[a -> s], particles: Int = 10) -> Gen[a -> r]") { a, c in
      let target = try gen(try a["target"], c), q = try gen(try a["proposal"], c), n = try a.int("particles")
      try checkCount(n, "normalize: particles", c)
      return .closure(NormalizeGen(target: target, proposal: q, particles: n).closure(name: "normalize", parameterCount: target.code.parameterCount))
    }
    r.declare("fn adam(lr: Real = 0.001, beta1: Real = 0.9, beta2: Real = 0.999, eps: Real = 1e-8) -> Optimizer") { a, c in
      let lr = try positive(try a["lr"], "adam: lr", c)
      let b1 = try a.real("beta1"), b2 = try a.real("beta2"), eps = try positive(try a["eps"], "adam: eps", c)
      guard (0..<1).contains(b1), (0..<1).contains(b2) else { throw c.fail("adam: beta1 and beta2 must lie in [0, 1)") }
      return .object(Optimizer(.adam(beta1: b1, beta2: b2, epsilon: eps), learningRate: lr))
    }
    r.declare("fn sgd(lr: Real = 0.01, momentum: Real = 0.9) -> Optimizer") { a, c in
      let lr = try positive(try a["lr"], "sgd: lr", c), m = try a.real("momentum")
      guard (0..<1).contains(m) else { throw c.fail("sgd: momentum must lie in [0, 1), got \(m)") }
      return .object(Optimizer(.sgd(momentum: m), learningRate: lr))
    }
    r.declare("fn apply_gradient(optimizer: Optimizer, theta: a, gradient: a) -> a") { a, c in
      do { return try optimizer(try a["optimizer"], c).step(try a["theta"], try a["gradient"]) } catch let e as RuntimeError { throw c.fail(e.message) }
    }
    let training = "theta: a, optimizer: Optimizer, steps: Int = 1000, log_every: Int = 0) -> a"
    r.declare("fn train(objective: fn(a) -> Expect, " + training) { a, c in
      try optimize(a, maximize: true, label: "train", c) { theta in try expectationGradient(try a["objective"], theta, c) }
    }
    r.declare("fn train(objective: fn(a) -> Real, " + training) { a, c in
      try optimize(a, maximize: true, label: "train", c) { theta in try pathwiseGradient(try a["objective"], theta, c) }
    }
    r.declare("fn minimize(f: fn(a) -> Real, " + training) { a, c in
      try optimize(a, maximize: false, label: "minimize", c) { theta in try pathwiseGradient(try a["f"], theta, c) }
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
  static func optimize(_ a: Arguments, maximize: Bool, label: String, _ c: CallContext,
                       _ gradient: (Value) throws -> (value: Double, gradient: Value)) throws -> Value {
    let opt = try optimizer(try a["optimizer"], c)
    let steps = try a.int("steps"), logEvery = try a.int("log_every")
    guard steps >= 0 else { throw c.fail("\(label): steps must be non-negative, got \(steps)") }
    guard logEvery >= 0 else { throw c.fail("\(label): log_every must be non-negative, got \(logEvery)") }
    var theta = try a["theta"]
    let progress = ProgressBar(total: steps, label: label)
    defer { progress.finish() }
    var sum = 0.0, count = 0
    for i in stride(from: 1, through: steps, by: 1) {
      let (value, g) = try gradient(theta)
      guard !value.isNaN else {
        throw c.fail("\(label): the \(maximize ? "objective" : "loss") is NaN at step \(i)")
      }
      do {
        theta = try opt.step(theta, g, ascend: maximize)
        guard try Optimizer.leaves(theta).allSatisfy({ $0.data.allSatisfy(\.isFinite) }) else {
          throw RuntimeError("the parameters are no longer finite after step \(i) (a gradient was NaN or infinite)")
        }
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
