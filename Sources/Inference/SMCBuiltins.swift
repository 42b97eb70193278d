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
  static func registerSMC(_ r: BuiltinRegistry) {
    r.register("smc(Gen[? -> ?], ?, ChoiceMap, Int, String, Real)") { a, c in
      .object(try smc(a, rejuvenate: nil, c))
    }
    r.register("smc(Gen[? -> ?], ?, ChoiceMap, Int, String, Real, fn(Trace[?]) -> Trace[?])") { a, c in
      .object(try smc(a, rejuvenate: a[6], c))
    }
    r.register("pmmh(Gen[? -> ?], ?, ChoiceMap, Gen[(Trace[?]) -> ?], Int, Int, Int, Int)") { a, c in
      let model = SMC.Model(try gen(a[0], c), arguments(a[1]), try choiceMap(a[2], c))
      let proposal = try gen(a[3], c)
      let (n, samples, burn, chainCount) = (try a[4].asInt(), try a[5].asInt(), try a[6].asInt(), try a[7].asInt())
      try checkCount(n, "pmmh: particles", c)
      try checkCount(samples, "pmmh: samples", c)
      guard burn >= 0, chainCount >= 1 else {
        throw c.fail("pmmh: particles, samples and chains must be positive and burn non-negative")
      }
      let progress = ProgressBar(total: chainCount * (burn + samples), label: "pmmh")
      let chains = try Chains.run(chainCount, c) { c in
        try PMMH.run(model, proposal: proposal, particles: n, samples: samples, burn: burn, progress: progress, c)
      }
      progress.finish()
      return .object(Samples(chains: chains, observed: model.observed))
    }
    r.register("smc_init(Gen[? -> ?], ?, ChoiceMap, Int)") { a, c in
      let n = try a[3].asInt()
      try checkCount(n, "smc_init: particles", c)
      let model = SMC.Model(try gen(a[0], c), arguments(a[1]), try choiceMap(a[2], c))
      return .object(ParticlesObject(try SMC.Population(model, count: n, c)))
    }
    r.register("smc_advance(Particles)") { a, c in
      var p = try population(a[0], c)
      try p.advance(c)
      return .object(ParticlesObject(p))
    }
    r.register("smc_resample(Particles, String)") { a, c in
      var p = try population(a[0], c)
      try p.resample(try resampling(a[1], "smc_resample", c), c)
      return .object(ParticlesObject(p))
    }
    r.register("smc_rejuvenate(Particles, fn(Trace[?]) -> Trace[?])") { a, c in
      var p = try population(a[0], c)
      try p.rejuvenate(a[1], c)
      return .object(ParticlesObject(p))
    }
    r.register("smc_ess(Particles)") { a, c in .real(try population(a[0], c).effectiveSampleSize) }
    r.register("mean(Particles, Addr)") { a, c in .real(try population(a[0], c).mean(try address(a[1], c))) }
    r.register("smc_done(Particles)") { a, c in .bool(try population(a[0], c).isFinished) }
    r.register("smc_posterior(Particles)") { a, c in .object(try population(a[0], c).posterior()) }
  }

  static func population(_ v: Value, _ c: CallContext) throws -> SMC.Population {
    guard case .object(let o) = v, let p = o as? ParticlesObject else { throw c.fail("expected particles, found \(v.typeName)") }
    return p.population
  }

  static func smc(_ a: [Value], rejuvenate: Value?, _ c: CallContext) throws -> Posterior {
    let n = try a[3].asInt(), threshold = try a[5].asReal()
    try checkCount(n, "smc: particles", c)
    let scheme = try resampling(a[4], "smc", c)
    guard threshold >= 0 && threshold <= 1 else { throw c.fail("smc: ess_threshold must lie in [0, 1], got \(threshold)") }
    let model = SMC.Model(try gen(a[0], c), arguments(a[1]), try choiceMap(a[2], c))
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
