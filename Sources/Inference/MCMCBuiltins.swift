import Foundation
import Runtime

/// MCMC kernels as builtins, combinators, and the `mcmc` runner (SPEC §6).
extension InferenceBuiltins {
  static func selection(_ v: Value, _ c: CallContext) throws -> Selection {
    guard case .object(let o) = v, let s = o as? SelectionObject else { throw c.fail("expected a selection") }
    return s.selection
  }

  static func registerMCMC(_ r: BuiltinRegistry) {
    r.register("mh(Trace[?], Selection)") { a, c in .object(try Kernels.mh(try trace(a[0], c), try selection(a[1], c), c)) }
    r.register("mh(Trace[?], Gen[? -> ?], ?)") { a, c in
      .object(try Kernels.mh(try trace(a[0], c), try gen(a[1], c), arguments(a[2]), c))
    }
    r.register("hmc(Trace[?], Selection, Real, Int)") { a, c in
      .object(try GradientKernels.hmc(try trace(a[0], c), try selection(a[1], c), step: try a[2].asReal(), steps: try a[3].asInt(), c))
    }
    r.register("mala(Trace[?], Selection, Real)") { a, c in
      .object(try GradientKernels.hmc(try trace(a[0], c), try selection(a[1], c), step: try a[2].asReal(), steps: 1, c))
    }
    r.register("gibbs(Trace[?], Addr)") { a, c in .object(try Kernels.gibbs(try trace(a[0], c), try address(a[1], c), c)) }
    r.register("elliptical_slice(Trace[?], Addr)") { a, c in
      .object(try Kernels.ellipticalSlice(try trace(a[0], c), try address(a[1], c), c))
    }
    r.register("cycle(List[fn(Trace[?]) -> Trace[?]])") { a, _ in
      let kernels = try a[0].asList()
      return .builtin(BuiltinFunction(name: "cycle") { args, c in
        try kernels.reduce(args[0]) { t, k in try c.call(k, [t]) }
      })
    }
    r.register("repeat(fn(Trace[?]) -> Trace[?], Int)") { a, c in
      let kernel = a[0], n = try a[1].asInt()
      guard n >= 0 else { throw c.fail("repeat: n must be non-negative, got \(n)") }
      return .builtin(BuiltinFunction(name: "repeat") { args, c in
        var t = args[0]
        for _ in 0..<n { t = try c.call(kernel, [t]) }
        return t
      })
    }
    r.register("mcmc(Gen[? -> ?], ?, ChoiceMap, fn(Trace[?]) -> Trace[?], Int, Int, Int, Int)") { a, c in
      let g = try gen(a[0], c), args = arguments(a[1]), obs = try choiceMap(a[2], c), kernel = a[3]
      let (samples, burn, thin, chainCount) = (try a[4].asInt(), try a[5].asInt(), try a[6].asInt(), try a[7].asInt())
      try checkCount(samples, "mcmc: samples", c)
      guard burn >= 0, thin >= 1, chainCount >= 1 else {
        throw c.fail("mcmc: samples and chains must be positive, burn non-negative and thin at least 1")
      }
      let progress = ProgressBar(total: chainCount * (burn + samples * thin), label: "mcmc")
      let divergedBefore = c.runtime.divergentTransitions
      let chains = try Chains.run(chainCount, c) { c -> [Trace] in
        var current = Value.object(try run(g, args, .generate(obs), c).trace)
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
        FileHandle.standardError.write(Data("warning: mcmc: \(divergences) divergent transition\(divergences == 1 ? "" : "s"); consider a smaller step\n".utf8))
      }
      return .object(Samples(chains: chains, divergences: divergences, observed: Set(obs.addresses)))
    }
    NUTSRunner.register(r)
    r.register("divergences(Samples)") { a, c in
      guard case .object(let o) = a[0], let s = o as? Samples else { throw c.fail("expected samples") }
      return .int(s.divergences)
    }
    r.register("divergences(Samples)") { a, c in
      guard case .object(let o) = a[0], let s = o as? Samples else { throw c.fail("expected samples, found \(a[0].typeName)") }
      return .int(s.divergences)
    }
    r.register("rhat(Samples, Addr)") { a, c in .real(try posterior(a[0], c).rhat(try address(a[1], c))) }
  }
}
