import Foundation
import Runtime
import Tensor

/// A gen defined by its generative function interface rather than a body (`marginal`,
/// `normalize`): the GFI builtins call it directly.
protocol InterfaceGen: RuntimeObject {
  func execute(_ gen: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> InferenceBuiltins.GFIResult
}

extension InterfaceGen {
  var typeName: String { "Gen" }

  /// The gen value: code that only reports how to use it, and this implementation.
  func closure(name: String, parameterCount: Int) -> Closure {
    let message = "\(name) is a gen defined by its interface: use it with simulate, assess, generate or propose (or in objectives), not as a traced call or a model for SMC or MCMC"
    return Closure(code: .interfaceOnlyGen(name: name, parameterCount: parameterCount, message: message), captures: [.object(self)])
  }

  /// log (1/n) Σ exp(w_i), on the tape where the weights are.
  static func logMeanExp(_ weights: [Value]) throws -> Value {
    let operands = try weights.map { w -> Operand in
      guard let o = Differentiation.operand(w) else { throw RuntimeError("internal: a log weight is not a number") }
      return o
    }
    let total = try Differentiable.logsumexp(try Differentiable.stack(operands))
    return try Differentiation.sub(Differentiation.value(total), .real(log(Double(weights.count))))
  }

  /// A trace of the interface gen: the given choices, scored by the estimate `score`.
  static func trace(_ gen: Closure, _ args: [Value], retval: Value, choices: ChoiceMap, score: Value) throws -> Trace {
    let plain = try Differentiation.primal(score)
    return Trace(gen: gen, arguments: args, retval: retval, score: plain, choices: choices,
                 choiceScores: Array(repeating: plain / Double(max(choices.count, 1)), count: choices.count),
                 differentiableScore: Differentiation.isTracked(score) ? score : nil)
  }

  static func unsupported(_ name: String, _ c: CallContext) -> RuntimeError {
    c.fail("\(name) supports simulate, assess, generate and propose, not update or regenerate")
  }
}

/// `marginal(g, keep: s, proposal: q, particles: n)`: the gen whose choices are g's
/// choices in `s`, and whose density is estimated by importance sampling the others
/// with q (called with the kept choices, then g's arguments). `assess` gives an
/// unbiased estimate of the marginal density; `simulate` draws from g and scores the
/// kept choices with an estimate whose reciprocal is unbiased (the draw's own other
/// choices are one of the particles), as auxiliary-variable VI needs (Lew et al. 2023,
/// "Recursive Monte Carlo and variational inference with auxiliary variables").
final class MarginalGen: InterfaceGen {
  let model: Closure
  let keep: Selection
  let proposal: Closure
  let particles: Int

  init(model: Closure, keep: Selection, proposal: Closure, particles: Int) {
    self.model = model
    self.keep = keep
    self.proposal = proposal
    self.particles = particles
  }

  func formatted() -> String { "<gen marginal(\(model.code.name))>" }

  func execute(_ gen: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> InferenceBuiltins.GFIResult {
    switch mode {
    case .simulate:
      let joint = try InferenceBuiltins.execute(model, args, .simulate, c).trace
      let (kept, rest) = split(joint.choices)
      let own = try Differentiation.sub(joint.differentiableScore ?? .real(joint.score), proposalScore(rest, kept, args, c))
      let score = try MarginalGen.logMeanExp([own] + (1..<particles).map { _ in try weight(kept, args, c) })
      let t = try MarginalGen.trace(gen, args, retval: joint.retval, choices: kept, score: score)
      return .init(trace: t, weight: .real(0), freshScore: score)
    case .assess(let given):
      let score = try MarginalGen.logMeanExp((0..<particles).map { _ in try weight(given, args, c) })
      return .init(trace: try MarginalGen.trace(gen, args, retval: .unit, choices: given, score: score), weight: score, freshScore: .real(0))
    case .generate(let constraints):
      if constraints.count == 0 { return try execute(gen, args, .simulate, c) }
      let joint = try InferenceBuiltins.execute(model, args, .generate(constraints), c).trace
      let (kept, _) = split(joint.choices)
      guard Set(kept.addresses) == Set(constraints.addresses) else {
        throw c.fail("marginal: generate constrains every kept choice or none; the kept choices are \(kept.addresses.map(\.description).joined(separator: ", "))")
      }
      let score = try MarginalGen.logMeanExp((0..<particles).map { _ in try weight(constraints, args, c) })
      return .init(trace: try MarginalGen.trace(gen, args, retval: joint.retval, choices: kept, score: score), weight: score, freshScore: .real(0))
    case .update, .regenerate:
      throw MarginalGen.unsupported("marginal", c)
    }
  }

  /// The kept choices and the others.
  func split(_ choices: ChoiceMap) -> (kept: ChoiceMap, rest: ChoiceMap) {
    var kept = ChoiceMap(), rest = ChoiceMap()
    for (a, v) in zip(choices.addresses, choices.values) {
      if keep.contains(a) { kept.insert(a, v) } else { rest.insert(a, v) }
    }
    return (kept, rest)
  }

  func proposalArguments(_ kept: ChoiceMap, _ args: [Value]) -> [Value] { [.object(ChoiceMapObject(kept))] + args }

  func proposalScore(_ rest: ChoiceMap, _ kept: ChoiceMap, _ args: [Value], _ c: CallContext) throws -> Value {
    try InferenceBuiltins.execute(proposal, proposalArguments(kept, args), .assess(rest), c).weight
  }

  /// One importance weight: the others drawn from the proposal, log p(kept, others) − log q(others).
  func weight(_ kept: ChoiceMap, _ args: [Value], _ c: CallContext) throws -> Value {
    let q = try InferenceBuiltins.execute(proposal, proposalArguments(kept, args), .simulate, c).trace
    var all = kept
    for (a, v) in zip(q.choices.addresses, q.choices.values) where !all.insert(a, v) {
      throw c.fail("marginal: the proposal chose the kept address '\(a)'")
    }
    let p = try InferenceBuiltins.execute(model, args, .assess(all), c).weight
    return try Differentiation.sub(p, q.differentiableScore ?? .real(q.score))
  }
}

/// `normalize(target, proposal: q, particles: n)`: sampling importance resampling as a
/// gen. `simulate` draws n particles from q (called with the target's arguments),
/// weights them by the target's unnormalized density (its choices, observations and
/// factors) and keeps one in proportion; its score, log p̃(z) − log Ẑ, has an unbiased
/// reciprocal. `assess` of z puts z among n − 1 fresh particles: an unbiased estimate
/// of the resampled density at z.
final class NormalizeGen: InterfaceGen {
  let target: Closure
  let proposal: Closure
  let particles: Int

  init(target: Closure, proposal: Closure, particles: Int) {
    self.target = target
    self.proposal = proposal
    self.particles = particles
  }

  func formatted() -> String { "<gen normalize(\(target.code.name))>" }

  func execute(_ gen: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> InferenceBuiltins.GFIResult {
    switch mode {
    case .simulate:
      var draws: [ChoiceMap] = [], weights: [Value] = []
      for _ in 0..<particles {
        let q = try InferenceBuiltins.execute(proposal, args, .simulate, c).trace
        draws.append(q.choices)
        weights.append(try Differentiation.sub(try density(q.choices, args, c), q.differentiableScore ?? .real(q.score)))
      }
      let k = try choose(weights, c)
      return try result(gen, args, draws[k], weights, c, weight: false)
    case .assess(let z):
      return try resampled(gen, args, z, c)
    case .generate(let constraints):
      if constraints.count == 0 { return try execute(gen, args, .simulate, c) }
      return try resampled(gen, args, constraints, c)
    case .update, .regenerate:
      throw NormalizeGen.unsupported("normalize", c)
    }
  }

  /// log p̃(z): the target's density at z, observations and factors included.
  func density(_ z: ChoiceMap, _ args: [Value], _ c: CallContext) throws -> Value {
    try InferenceBuiltins.execute(target, args, .assess(z), c).weight
  }

  /// z among n − 1 fresh particles.
  func resampled(_ gen: Closure, _ args: [Value], _ z: ChoiceMap, _ c: CallContext) throws -> InferenceBuiltins.GFIResult {
    let own = try InferenceBuiltins.execute(proposal, args, .assess(z), c).weight
    var weights = [try Differentiation.sub(try density(z, args, c), own)]
    for _ in 1..<particles {
      let q = try InferenceBuiltins.execute(proposal, args, .simulate, c).trace
      weights.append(try Differentiation.sub(try density(q.choices, args, c), q.differentiableScore ?? .real(q.score)))
    }
    return try result(gen, args, z, weights, c, weight: true)
  }

  /// The trace at z, scored log p̃(z) − log Ẑ.
  func result(_ gen: Closure, _ args: [Value], _ z: ChoiceMap, _ weights: [Value], _ c: CallContext,
              weight: Bool) throws -> InferenceBuiltins.GFIResult {
    let run = try InferenceBuiltins.execute(target, args, .generate(z), c)
    let score = try Differentiation.sub(run.trace.differentiableScore ?? .real(run.trace.score), NormalizeGen.logMeanExp(weights))
    let t = try NormalizeGen.trace(gen, args, retval: run.trace.retval, choices: z, score: score)
    return .init(trace: t, weight: weight ? score : .real(0), freshScore: score)
  }

  /// A particle index drawn in proportion to the weights.
  func choose(_ weights: [Value], _ c: CallContext) throws -> Int {
    let w = try weights.map(Differentiation.primal)
    let top = w.max() ?? 0
    guard top > -.infinity else { throw c.fail("normalize: every particle has zero weight") }
    var u = c.runtime.rng.uniform() * w.reduce(0) { $0 + exp($1 - top) }
    for (i, x) in w.enumerated() {
      u -= exp(x - top)
      if u <= 0 { return i }
    }
    return w.count - 1
  }
}
