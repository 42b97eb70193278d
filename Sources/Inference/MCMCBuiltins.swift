import Foundation
import Runtime

/// MCMC kernels as builtins, combinators, and the `mcmc` runner (SPEC §6).
extension InferenceBuiltins {
  static func declareMCMC(_ r: BuiltinRegistry) {
    r.declare("fn mh(trace: Trace[r], selection: Selection) -> Trace[r]") { a, c in
      .object(try Kernels.mh(try trace(try a["trace"], c), try selection(try a["selection"], c), c))
    }
    r.declare("fn mh(trace: Trace[r], proposal: Gen[p -> q], proposal_args: a) -> Trace[r]") { a, c in
      .object(try Kernels.mh(try trace(try a["trace"], c), try gen(try a["proposal"], c), arguments(try a["proposal_args"]), c))
    }
    r.declare("fn hmc(trace: Trace[r], selection: Selection, step: Real = 0.1, leapfrog: Int = 10) -> Trace[r]") { a, c in
      .object(try GradientKernels.hmc(try trace(try a["trace"], c), try selection(try a["selection"], c), step: try a.real("step"),
                                      steps: try a.int("leapfrog"), c))
    }
    r.declare("fn mala(trace: Trace[r], selection: Selection, step: Real = 0.1) -> Trace[r]") { a, c in
      .object(try GradientKernels.hmc(try trace(try a["trace"], c), try selection(try a["selection"], c), step: try a.real("step"), steps: 1, c))
    }
    r.declare("fn gibbs(trace: Trace[r], address: Addr) -> Trace[r]") { a, c in
      .object(try Kernels.gibbs(try trace(try a["trace"], c), try address(try a["address"], c), c))
    }
    NUTSRunner.declare(r)
    r.declare("fn elliptical_slice(trace: Trace[r], address: Addr) -> Trace[r]") { a, c in
      .object(try Kernels.ellipticalSlice(try trace(try a["trace"], c), try address(try a["address"], c), c))
    }
    r.declare("fn cycle(kernels: List[fn(Trace[r]) -> Trace[r]]) -> fn(Trace[r]) -> Trace[r]") { a, _ in
      let kernels = try a.list("kernels")
      return .builtin(BuiltinFunction(name: "cycle") { args, c in
        try kernels.reduce(args[0]) { t, k in try c.call(k, [t]) }
      })
    }
    r.declare("fn repeat(kernel: fn(Trace[r]) -> Trace[r], n: Int) -> fn(Trace[r]) -> Trace[r]") { a, c in
      let kernel = try a["kernel"], n = try a.int("n")
      guard n >= 0 else { throw c.fail("repeat: n must be non-negative, got \(n)") }
      return .builtin(BuiltinFunction(name: "repeat") { args, c in
        var t = args[0]
        for _ in 0..<n { t = try c.call(kernel, [t]) }
        return t
      })
    }
    // init: one choice map for every chain, or one per chain.
    for initForm in ["", ", init: ChoiceMap", ", init: List[ChoiceMap]"] {
      r.declare("fn mcmc(g: Gen[a -> r], args: a, obs: ChoiceMap, kernel: fn(Trace[r]) -> Trace[r], samples: Int = 1000, burn: Int = 0, thin: Int = 1, chains: Int = 1\(initForm)) -> Samples") { a, c in
        let g = try gen(try a["g"], c), args = arguments(try a["args"]), obs = try choiceMap(try a["obs"], c), kernel = try a["kernel"]
        let (samples, burn, thin, chainCount) = (try a.int("samples"), try a.int("burn"), try a.int("thin"), try a.int("chains"))
        try checkCount(samples, "mcmc: samples", c)
        try DifferentiableInference.refuse("mcmc", [g], args, obs, c)
        guard burn >= 0, thin >= 1, chainCount >= 1 else {
          throw c.fail("mcmc: samples and chains must be positive, burn non-negative and thin at least 1")
        }
        let inits = try Initialization.given(initForm.isEmpty ? nil : try a["init"], chains: chainCount, "mcmc", c)
        warnOfEstimatedDensity(g, "mcmc", c)
        let progress = ProgressBar(total: chainCount * (burn + samples * thin), label: "mcmc")
        let divergedBefore = c.runtime.divergentTransitions
        let chains = try Parallel.map(chainCount, blockSize: 1, c) { k, c -> [Trace] in
          let start = try Initialization.start(g, args, obs, given: inits[k], unconstrained: false, attempts: 10_000, c, method: "mcmc") { $0 }
          var current = Value.object(start.trace)
          var draws: [Trace] = []
          for i in 0..<(burn + samples * thin) {
            current = try c.call(kernel, [current])
            if i >= burn && (i - burn) % thin == thin - 1 { draws.append(try trace(current, c)) }
            progress.advance()
          }
          return draws
        }
        progress.finish()
        let divergences = c.runtime.divergentTransitions - divergedBefore
        if divergences > 0 {
          c.runtime.warn("mcmc: \(divergences) divergent transition\(divergences == 1 ? "" : "s"); consider a smaller step")
        }
        let s = Samples(chains: chains, divergences: divergences, observed: Set(obs.addresses))
        try ConvergenceWarnings.check(s, method: "mcmc", c)
        return .object(s)
      }
    }
  }
}
