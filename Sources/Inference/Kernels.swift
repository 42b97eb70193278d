import Distributions
import Foundation
import Runtime
import Tensor

/// MCMC kernels: each maps a trace to the next trace of a Markov chain that leaves the
/// posterior invariant. All are written over the generative function interface.
enum Kernels {
  /// Metropolis–Hastings with resimulation of the selected choices (Gen's `mh`).
  static func mh(_ t: Trace, _ selection: Selection, _ c: CallContext) throws -> Trace {
    // A selection that names no choice never moves the chain, which would report the
    // starting point as a tight posterior.
    guard t.choices.addresses.contains(where: selection.contains) else {
      let known = t.choices.addresses.prefix(8).map(\.description).joined(separator: ", ")
      throw c.fail("mh: the selection names no choice of the trace (its choices: \(known.isEmpty ? "none" : known))")
    }
    let (proposed, w) = try InferenceBuiltins.run(t.gen, t.arguments, .regenerate(previous: t, selection: selection), c)
    return log(c.runtime.rng.uniform()) < w ? proposed : t
  }

  /// Metropolis–Hastings with a custom proposal: a gen called with the current trace
  /// and `args`, whose choices are new values at the same addresses. The reverse move
  /// scores the old values under the proposal from the new trace.
  static func mh(_ t: Trace, _ proposal: Closure, _ args: [Value], _ c: CallContext) throws -> Trace {
    let forward = try InferenceBuiltins.simulate(proposal, [.object(t)] + args, c)
    let (proposed, w) = try InferenceBuiltins.run(t.gen, t.arguments, .update(previous: t, constraints: forward.choices), c)
    var reverse = ChoiceMap()
    for a in forward.choices.addresses {
      guard let old = t.choices[a] else {
        throw c.fail("mh: the proposal chose '\(a)', which the current trace does not have, so the move cannot be reversed")
      }
      reverse.insert(a, old)
    }
    let (back, _) = try InferenceBuiltins.run(proposal, [.object(proposed)] + args, .assess(reverse), c)
    return log(c.runtime.rng.uniform()) < w - forward.score + back.score ? proposed : t
  }

  /// Gibbs update of one finite-support choice: every value in its support is scored
  /// by `update` and one is drawn in proportion.
  static func gibbs(_ t: Trace, _ address: Address, _ c: CallContext) throws -> Trace {
    guard let dist = t.distribution(at: address) else { throw c.fail("gibbs: the trace has no choice at '\(address)'") }
    guard let support = dist.support else { throw c.fail("gibbs: the choice at '\(address)' (\(dist.name)) \(dist.supportProblem)") }
    var candidates: [Trace] = [], logWeights: [Double] = []
    for x in support {
      var constraint = ChoiceMap()
      constraint.insert(address, Value(x))
      let (u, w) = try InferenceBuiltins.run(t.gen, t.arguments, .update(previous: t, constraints: constraint), c)
      candidates.append(u)
      logWeights.append(w)
    }
    guard Special.logsumexp(logWeights) > -.infinity else {
      throw c.fail("gibbs: every value of '\(address)' has zero probability given the rest of the trace")
    }
    let posterior = Posterior(traces: candidates, logWeights: logWeights, logEvidence: 0)
    return posterior.draw(&c.runtime.rng)
  }

  /// Elliptical slice sampling (Murray, Adams and MacKay 2010) of a choice with a
  /// normal prior (normal, tensor normal or mvnormal): moves along an ellipse through
  /// the current value and a prior draw until the likelihood exceeds a slice level.
  static func ellipticalSlice(_ t: Trace, _ address: Address, _ c: CallContext) throws -> Trace {
    guard let dist = t.distribution(at: address), let current = t.choices[address] else {
      throw c.fail("elliptical_slice: the trace has no choice at '\(address)'")
    }
    let mean: Tensor
    switch dist {
    case .scalar(.normal, let p): mean = .scalar(p.a)
    case .product(.normal, let params, let shape): mean = try params[0] + Tensor(shape: shape, repeating: 0)
    case .mvnormal(let m): mean = Tensor(shape: [m.dimension], data: m.mean)
    default: throw c.fail("elliptical_slice needs a normal prior at '\(address)', found \(dist.name)")
    }
    let isScalar: Bool
    if case .real = current { isScalar = true } else { isScalar = false }
    let f = try current.asTensor()
    let drawn: Tensor
    switch try dist.sample(&c.runtime.rng) {
    case .tensor(let t): drawn = t
    case let outcome: drawn = .scalar(outcome.number ?? .nan)
    }
    let nu = try drawn - mean
    let logPrior = { (x: Tensor) throws -> Double in
      try dist.logpdf(isScalar ? .real(x.data[0]) : .tensor(x))
    }
    let priorHere = try logPrior(f)
    let level = log(c.runtime.rng.uniform())
    var theta = 2 * Double.pi * c.runtime.rng.uniform()
    var (low, high) = (theta - 2 * .pi, theta)
    for _ in 0..<200 {
      let proposal = try mean + (f - mean) * .scalar(cos(theta)) + nu * .scalar(sin(theta))
      var constraint = ChoiceMap()
      constraint.insert(address, isScalar ? .real(proposal.data[0]) : .tensor(proposal))
      let (u, w) = try InferenceBuiltins.run(t.gen, t.arguments, .update(previous: t, constraints: constraint), c)
      // The update weight includes the prior ratio; the slice is on the likelihood.
      if w - (try logPrior(proposal) - priorHere) > level { return u }
      if theta < 0 { low = theta } else { high = theta }
      theta = low + (high - low) * c.runtime.rng.uniform()
    }
    throw c.fail("elliptical_slice did not find a point on the slice at '\(address)' after 200 shrinks")
  }
}
