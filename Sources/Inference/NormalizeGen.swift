import Foundation
import Runtime

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
        weights.append(try Differentiation.sub(try density(q.choices, args, c), q.scoreValue))
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
      weights.append(try Differentiation.sub(try density(q.choices, args, c), q.scoreValue))
    }
    return try result(gen, args, z, weights, c, weight: true)
  }

  /// The trace at z, scored log p̃(z) − log Ẑ.
  func result(_ gen: Closure, _ args: [Value], _ z: ChoiceMap, _ weights: [Value], _ c: CallContext,
              weight: Bool) throws -> InferenceBuiltins.GFIResult {
    let run = try InferenceBuiltins.execute(target, args, .generate(z), c)
    let score = try Differentiation.sub(run.trace.scoreValue, NormalizeGen.logMeanExp(weights))
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
