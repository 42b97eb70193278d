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
      let (kept, rest) = split(joint.choices)
      let own = try Differentiation.sub(joint.scoreValue, proposalScore(rest, kept, args, c))
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
    return try Differentiation.sub(p, q.scoreValue)
  }
}
