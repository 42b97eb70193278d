import Runtime

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
      // A model that observes or has a factor has a marginal density that includes them,
      // which its own draws (from the prior) do not follow: simulate would mis-score them.
      guard joint.score == joint.choiceScores.reduce(0, +) else {
        throw c.fail("marginal: the model \(model.code.name) observes or has a factor, so its draws do not follow the marginal's density and it cannot be simulated (nor generated with no constraints); constrain every kept choice, or move the observations out of the model")
      }
      let (kept, rest) = split(joint.choices)
      let own = try Differentiation.sub(joint.scoreValue, proposalScore(rest, kept, args, c))
      let score = try MarginalGen.logMeanExp([own] + (1..<particles).map { _ in try weight(kept, args, c).weight })
      let t = try MarginalGen.trace(gen, args, retval: joint.retval, choices: kept, score: score, distributions: joint)
      return .init(trace: t, weight: .real(0), freshScore: score)
    case .assess(let given):
      let runs = try (0..<particles).map { _ in try weight(given, args, c) }
      let score = try MarginalGen.logMeanExp(runs.map(\.weight))
      let t = try MarginalGen.trace(gen, args, retval: runs[0].model.retval, choices: given, score: score, distributions: runs[0].model)
      return .init(trace: t, weight: score, freshScore: .real(0))
    case .generate(let constraints):
      if constraints.count == 0 { return try execute(gen, args, .simulate, c) }
      if let outside = constraints.addresses.first(where: { !keep.contains($0) }) {
        throw c.fail("marginal: the constraint at '\(outside)' is not one of the kept choices")
      }
      let joint = try InferenceBuiltins.execute(model, args, .generate(constraints), c)
      let (kept, rest) = split(joint.trace.choices)
      let score = try MarginalGen.logMeanExp((0..<particles).map { _ in try weight(kept, args, c).weight })
      let t = try MarginalGen.trace(gen, args, retval: joint.trace.retval, choices: kept, score: score, distributions: joint.trace)
      guard kept.count > constraints.count else { return .init(trace: t, weight: score, freshScore: .real(0)) }
      // The other kept choices were drawn by the model's generate; their density under it
      // is estimated as the score is, with the run's own rest among the particles (an
      // unbiased reciprocal, as simulate's score), so the weight stays proper.
      guard !c.runtime.differentiating else {
        throw c.fail("marginal: generate with only some kept choices constrained has no derivative yet; constrain all of them or none")
      }
      let own = try Differentiation.sub(joint.freshScore, proposalScore(rest, kept, args, c))
      let drawn = try MarginalGen.logMeanExp([own] + (1..<particles).map { _ in .real(try freshDensity(kept, constraints, args, c)) })
      return .init(trace: t, weight: try Differentiation.sub(score, drawn), freshScore: .real(0))
    case .update, .regenerate:
      throw MarginalGen.unsupported("marginal", c)
    }
  }

  /// One particle's estimate of the density with which generate drew the unconstrained
  /// kept choices: the model's fresh draws (everything but the constraints) at the kept
  /// choices and a proposed rest, less the proposal's log-density.
  func freshDensity(_ kept: ChoiceMap, _ constraints: ChoiceMap, _ args: [Value], _ c: CallContext) throws -> Double {
    let q = try InferenceBuiltins.execute(proposal, proposalArguments(kept, args), .simulate, c).trace
    var all = kept
    for (a, v) in zip(q.choices.addresses, q.choices.values) where !all.insert(a, v) {
      throw c.fail("marginal: the proposal chose the kept address '\(a)'")
    }
    let p = try InferenceBuiltins.execute(model, args, .assess(all), c).trace
    let fresh = zip(p.choices.addresses, p.choiceScores).reduce(0.0) { $0 + (constraints.has($1.0) ? 0 : $1.1) }
    return fresh - q.score
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

  /// One importance weight, log p(kept, others) − log q(others) with the others drawn
  /// from the proposal, and the model's run.
  func weight(_ kept: ChoiceMap, _ args: [Value], _ c: CallContext) throws -> (weight: Value, model: Trace) {
    let q = try InferenceBuiltins.execute(proposal, proposalArguments(kept, args), .simulate, c).trace
    var all = kept
    for (a, v) in zip(q.choices.addresses, q.choices.values) where !all.insert(a, v) {
      throw c.fail("marginal: the proposal chose the kept address '\(a)'")
    }
    let p = try InferenceBuiltins.execute(model, args, .assess(all), c)
    return (try Differentiation.sub(p.weight, q.scoreValue), p.trace)
  }
}
