import Runtime

/// A population of SMC particles as a PPL value. Steps return a new value; the
/// executions inside are shared until a particle moves (copy on write).
final class ParticlesObject: RuntimeObject {
  let population: SMC.Population
  init(_ population: SMC.Population) { self.population = population }

  var typeName: String { "Particles" }

  func formatted() -> String {
    let finished = population.particles.filter(\.isFinished).count
    return "particles(\(population.particles.count), \(finished) finished, ess: \(ValueFormatter.real(population.effectiveSampleSize)))"
  }
}

/// `smc`, particle MCMC (`pmmh`), and the steps SMC is made of (SPEC §6), so that PPL
/// programs can compose their own: `smc_init`, `smc_advance`, `smc_resample`,
/// `smc_rejuvenate`, `smc_ess`, `smc_done`, `smc_posterior`.
extension InferenceBuiltins {
  static func declareSMC(_ r: BuiltinRegistry) {
    r.declare("fn pmmh(g: Gen[a -> r], args: a, obs: ChoiceMap, proposal: Gen[(Trace[r]) -> s], particles: Int = 100, samples: Int = 1000, burn: Int = 0, chains: Int = 1) -> Samples") { a, c in
      let model = SMC.Model(try gen(try a["g"], c), arguments(try a["args"]), try choiceMap(try a["obs"], c))
      let proposal = try gen(try a["proposal"], c)
      try DifferentiableInference.refuse("pmmh", [model.gen, proposal], model.arguments, model.observations, c)
      let (n, samples, burn, chainCount) = (try a.int("particles"), try a.int("samples"), try a.int("burn"), try a.int("chains"))
      try checkCount(n, "pmmh: particles", c)
      try checkCount(samples, "pmmh: samples", c)
      guard burn >= 0, chainCount >= 1 else {
        throw c.fail("pmmh: particles, samples and chains must be positive and burn non-negative")
      }
      let progress = ProgressBar(total: chainCount * (burn + samples), label: "pmmh")
      let chains = try Parallel.map(chainCount, blockSize: 1, c) { _, c in
        try PMMH.run(model, proposal: proposal, particles: n, samples: samples, burn: burn, progress: progress, c)
      }
      progress.finish()
      let s = Samples(chains: chains, observed: model.observed)
      try ConvergenceWarnings.check(s, method: "pmmh", c)
      return .object(s)
    }
    r.declare("fn smc_init(g: Gen[a -> r], args: a, obs: ChoiceMap, particles: Int = 1000) -> Particles") { a, c in
      let n = try a.int("particles")
      try checkCount(n, "smc_init: particles", c)
      let model = SMC.Model(try gen(try a["g"], c), arguments(try a["args"]), try choiceMap(try a["obs"], c))
      try DifferentiableInference.refuse("smc_init", [model.gen], model.arguments, model.observations, c)
      return .object(ParticlesObject(try SMC.Population(model, count: n, c)))
    }
    r.declare("fn smc_advance(ps: Particles) -> Particles") { a, c in
      var p = try population(try a["ps"], c)
      try p.advance(c)
      return .object(ParticlesObject(p))
    }
    r.declare("fn smc_resample(ps: Particles, resample: String = \"systematic\") -> Particles") { a, c in
      var p = try population(try a["ps"], c)
      try p.resample(try resampling(try a["resample"], "smc_resample", c), c)
      return .object(ParticlesObject(p))
    }
    r.declare("fn smc_rejuvenate(ps: Particles, kernel: fn(Trace[r]) -> Trace[r]) -> Particles") { a, c in
      var p = try population(try a["ps"], c)
      try p.rejuvenate(try a["kernel"], c)
      return .object(ParticlesObject(p))
    }
    r.declare("fn smc_ess(ps: Particles) -> Real") { a, c in .real(try population(try a["ps"], c).effectiveSampleSize) }
    r.declare("fn smc_done(ps: Particles) -> Bool") { a, c in .bool(try population(try a["ps"], c).isFinished) }
    r.declare("fn mean(ps: Particles, address: Addr) -> Real") { a, c in
      .real(try population(try a["ps"], c).mean(try address(try a["address"], c)))
    }
    r.declare("fn smc_posterior(ps: Particles) -> Posterior") { a, c in .object(try population(try a["ps"], c).posterior()) }
    // A proposal gen is called with the particle's partial trace, the stops it has
    // passed and proposal_args, and proposes the choices before the next stop.
    for proposal in ["", ", proposal: Gen[p -> q], proposal_args: b"] {
      let smc = "fn smc(g: Gen[a -> r], args: a, obs: ChoiceMap\(proposal), particles: Int = 1000, resample: String = \"systematic\", ess_threshold: Real = 0.5"
      r.declare(smc + ", resampling_gradient: String = \"none\") -> Posterior") { a, c in .object(try self.smc(a, rejuvenate: nil, c)) }
      r.declare(smc + ", rejuvenate: fn(Trace[r]) -> Trace[r]) -> Posterior") { a, c in
        .object(try self.smc(a, rejuvenate: try a["rejuvenate"], c))
      }
    }
  }

  static func population(_ v: Value, _ c: CallContext) throws -> SMC.Population {
    guard case .object(let o) = v, let p = o as? ParticlesObject else { throw c.fail("expected particles, found \(v.typeName)") }
    return p.population
  }

  static func smc(_ a: Arguments, rejuvenate: Value?, _ c: CallContext) throws -> Posterior {
    let n = try a.int("particles"), threshold = try a.real("ess_threshold")
    try checkCount(n, "smc: particles", c)
    let scheme = try resampling(try a["resample"], "smc", c)
    guard threshold >= 0 && threshold <= 1 else { throw c.fail("smc: ess_threshold must lie in [0, 1], got \(threshold)") }
    let proposal = a.has("proposal") ? (gen: try gen(try a["proposal"], c), arguments: arguments(try a["proposal_args"])) : nil
    let model = SMC.Model(try gen(try a["g"], c), arguments(try a["args"]), try choiceMap(try a["obs"], c), proposal: proposal)
    var gradient = DifferentiableInference.ResamplingGradient.none
    if rejuvenate == nil {
      let name = try a.string("resampling_gradient")
      guard let g = DifferentiableInference.ResamplingGradient(rawValue: name) else {
        throw c.fail("smc: resampling_gradient must be \"none\" or \"score\", not \"\(name)\"")
      }
      gradient = g
    }
    let gens = [model.gen] + (proposal.map { [$0.gen] } ?? [])
    if DifferentiableInference.isDifferentiated(gens, model.arguments + (proposal?.arguments ?? []), model.observations, c) {
      guard rejuvenate == nil else {
        throw c.fail("smc with rejuvenate cannot be differentiated: its MCMC moves carry no derivatives; apply stop_gradient to the arguments, or leave out rejuvenate")
      }
      return try DifferentiableInference.smc(model, particles: n, scheme: scheme, threshold: threshold, resamplingGradient: gradient, c)
    }
    if rejuvenate == nil && proposal == nil && InferenceBuiltins.interface(model.gen) == nil {
      return try SMC.runBatched(model, particles: n, scheme: scheme, threshold: threshold, c)
    }
    return try SMC.run(model, particles: n, scheme: scheme, threshold: threshold, rejuvenate: rejuvenate, c)
  }

  static func resampling(_ v: Value, _ caller: String, _ c: CallContext) throws -> SMC.Resampling {
    let name = try v.asString()
    guard let scheme = SMC.Resampling(rawValue: name) else {
      throw c.fail("\(caller): resample must be \"systematic\", \"multinomial\", \"stratified\" or \"residual\", not \"\(name)\"")
    }
    return scheme
  }
}
