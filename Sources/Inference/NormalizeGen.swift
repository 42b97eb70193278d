import Distributions
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
      let draws = try (0..<particles).map { _ in try particle(args, c) }
      let weights = draws.map(\.weight)
      let k = try choose(weights, c)
      return try result(gen, args, draws[k].choices, weights, c, weight: false)
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

  /// A fresh particle from the proposal and its weight log p̃(z) − log q(z).
  func particle(_ args: [Value], _ c: CallContext) throws -> (choices: ChoiceMap, weight: Value) {
    let q = try InferenceBuiltins.execute(proposal, args, .simulate, c).trace
    return (q.choices, try Differentiation.sub(try density(q.choices, args, c), q.scoreValue))
  }

  /// z among n − 1 fresh particles.
  func resampled(_ gen: Closure, _ args: [Value], _ z: ChoiceMap, _ c: CallContext) throws -> InferenceBuiltins.GFIResult {
    let own = try InferenceBuiltins.execute(proposal, args, .assess(z), c).weight, target = try density(z, args, c)
    // z impossible under the target has weight 0 (log −inf), whatever the proposal says.
    let first = try Differentiation.primal(target) == -.infinity ? target : try Differentiation.sub(target, own)
    let weights = [first] + (try (1..<particles).map { _ in try particle(args, c).weight })
    return try result(gen, args, z, weights, c, weight: true)
  }

  /// The trace at z, scored log p̃(z) − log Ẑ.
  func result(_ gen: Closure, _ args: [Value], _ z: ChoiceMap, _ weights: [Value], _ c: CallContext,
              weight: Bool) throws -> InferenceBuiltins.GFIResult {
    let run = try InferenceBuiltins.execute(target, args, .generate(z), c)
    let score = try Differentiation.sub(run.trace.scoreValue, NormalizeGen.logMeanExp(weights))
    let t = try NormalizeGen.trace(gen, args, retval: run.trace.retval, choices: z, score: score, distributions: run.trace)
    return .init(trace: t, weight: weight ? score : .real(0), freshScore: score)
  }

  /// A particle index drawn in proportion to the weights (a categorical over their
  /// logs). Inside an `expect` block under `grad`, its log-probability joins the
  /// block's score, so the gradient of an expectation over the resampled draw keeps
  /// the index's score-function term and stays unbiased (SPEC §7); under `grad` of a
  /// function, where that term would be dropped, differentiated weights are refused.
  func choose(_ weights: [Value], _ c: CallContext) throws -> Int {
    let d: Distribution
    do { d = try .categorical(logits: try weights.map(Differentiation.primal)) } catch {
      throw c.fail("normalize: the particles' weights are all zero or not numbers")
    }
    guard case .int(let k) = try d.sample(&c.runtime.rng) else { throw c.fail("internal: a categorical drew a non-integer") }
    if weights.contains(where: Differentiation.isTracked) {
      guard let estimator = c.runtime.estimator as? GradientEstimator, estimator.mode == .full else {
        throw c.fail("normalize: the resampled particle depends on weights being differentiated, which has no pathwise derivative; differentiate an objective that returns expect { ... } (the index's score-function term is then kept)")
      }
      try estimator.addScore(try Differentiation.sub(weights[k], Differentiation.logsumexp(weights)))
    }
    return k
  }
}
