import Distributions
import Foundation
import Runtime

/// Particle marginal Metropolis–Hastings (Andrieu, Doucet & Holenstein, 2010): MH over
/// the parameters a proposal gen chooses, where the acceptance ratio uses SMC's
/// unbiased estimate of p(y, θ) in place of the intractable marginal likelihood. Each
/// state also carries one latent trajectory, drawn from its SMC population, so the
/// chain targets the joint posterior of parameters and latents.
enum PMMH {
  struct State {
    var trace: Trace
    var logJoint: Double
  }

  static func run(_ model: SMC.Model, proposal: Closure, particles: Int, samples: Int, burn: Int,
                  progress: ProgressBar, _ c: CallContext) throws -> [Trace] {
    let start = try InferenceBuiltins.run(model.gen, model.arguments, .generate(model.observations), c).trace
    let parameters = try InferenceBuiltins.simulate(proposal, [.object(start)], c).choices.addresses
    guard !parameters.isEmpty else { throw c.fail("pmmh: the proposal made no choice, so there is no parameter to move") }
    var theta = ChoiceMap()
    for a in parameters {
      guard let v = start.choices[a] else { throw c.fail("pmmh: the proposal chose '\(a)', which the model does not") }
      _ = theta.insert(a, v)
    }
    var state = try filter(model, theta, particles, c)
    var draws: [Trace] = []
    for i in 0..<(burn + samples) {
      let forward = try InferenceBuiltins.simulate(proposal, [.object(state.trace)], c)
      guard Set(forward.choices.addresses) == Set(parameters) else {
        throw c.fail("pmmh: the proposal must choose the same parameters each time (\(parameters.map(\.description).joined(separator: ", ")))")
      }
      let candidate = try filter(model, forward.choices, particles, c)
      var old = ChoiceMap()
      for a in parameters { if let v = state.trace.choices[a] { _ = old.insert(a, v) } }
      let backward = try InferenceBuiltins.run(proposal, [.object(candidate.trace)], .assess(old), c).weight
      let logAccept = candidate.logJoint - state.logJoint + backward - forward.score
      if log(c.runtime.rng.uniform()) < logAccept { state = candidate }
      if i >= burn { draws.append(state.trace) }
      progress.advance()
    }
    return draws
  }

  /// One SMC run with the parameters fixed: the estimate of log p(y, θ) and a trace
  /// drawn from the particles.
  static func filter(_ model: SMC.Model, _ theta: ChoiceMap, _ particles: Int, _ c: CallContext) throws -> State {
    var constraints = model.observations
    for (a, v) in zip(theta.addresses, theta.values) { _ = constraints.insert(a, v) }
    let conditioned = SMC.Model(model.gen, model.arguments, constraints)
    let posterior = try SMC.run(conditioned, particles: particles, scheme: .systematic, threshold: 0.5, rejuvenate: nil, c)
    return State(trace: posterior.draw(&c.runtime.rng), logJoint: posterior.logEvidence)
  }
}
