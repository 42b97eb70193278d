import Foundation
import Runtime

/// `nuts(g, args, obs, …)`: chains of NUTS transitions over every unobserved continuous
/// choice, with Stan's windowed warmup (initial buffer 75, final buffer 50, windows of
/// 25 doubling; proportionally shorter for short warmups).
enum NUTSRunner {
  static func windows(_ warmup: Int) -> (initial: Int, terminal: Int, ends: Set<Int>) {
    var initial = 75, terminal = 50, base = 25
    if warmup < 150 {
      initial = Int(0.15 * Double(warmup))
      terminal = Int(0.1 * Double(warmup))
      base = warmup - initial - terminal
    }
    var ends = Set<Int>()
    var start = initial, size = base
    while start + size < warmup - terminal {
      var end = start + size
      if end + 2 * size > warmup - terminal { end = warmup - terminal }
      ends.insert(end - 1)
      start = end
      size *= 2
    }
    if start < warmup - terminal { ends.insert(warmup - terminal - 1) }
    return (initial, terminal, ends)
  }

  /// One chain: its draws after warmup and their sampler statistics.
  static func chain(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, given: ChoiceMap, warmup: Int, samples: Int,
                    targetAccept: Double, maxTreeDepth: Int, denseMass: Bool,
                    _ c: CallContext, _ progress: ProgressBar) throws -> (draws: [Trace], statistics: SamplerStatistics.Chain) {
    let (_, (target, first)) = try Initialization.start(g, args, obs, given: given, unconstrained: true, attempts: 100, c, method: "nuts") { trace in
      var selection = Selection()
      for a in trace.choices.addresses where !obs.has(a) { selection.addresses.insert(a) }
      let target = try UnconstrainedDensity(trace, selection, c,
                                            advice: "nuts cannot sample it: use mcmc with gibbs for discrete choices, or sum them out of the model")
      let first = try target.evaluateProposal(target.start)
      let finite = first.logDensity.isFinite && first.gradient.allSatisfy(\.isFinite)
      return finite ? (target, first) : nil
    }
    var u = target.start
    var x = NUTS.Point(u: u, p: u.map { _ in 0 }, logp: first.logDensity, grad: first.gradient, values: first.values)
    var sampler = NUTS(target: target, step: 1, metric: try Metric.unit(u.count, dense: denseMass), maxDepth: maxTreeDepth)
    try sampler.findReasonableStep(x)
    var adaptation = StepSizeAdaptation(step: sampler.step, target: targetAccept)
    let (initialBuffer, _, windowEnds) = windows(warmup)
    var windowDraws: [[Double]] = []
    var draws: [Trace] = []
    var statistics = SamplerStatistics.Chain(stepSize: sampler.step)
    for i in 0..<(warmup + samples) {
      let t = try sampler.transition(x)
      x = t.point
      u = x.u
      if i < warmup {
        sampler.step = adaptation.update(t.acceptance)
        if i >= initialBuffer && i <= (windowEnds.max() ?? -1) { windowDraws.append(u) }
        if windowEnds.contains(i), windowDraws.count > 2 {
          // The regularized (co)variance of the window's draws becomes the inverse mass matrix.
          sampler.metric = try Metric.estimate(windowDraws, dense: denseMass)
          windowDraws = []
          try sampler.findReasonableStep(x)
          adaptation = StepSizeAdaptation(step: sampler.step, target: targetAccept)
        }
        if i == warmup - 1 { sampler.step = adaptation.final }
        statistics.stepSize = sampler.step
      } else {
        statistics.acceptance.append(t.acceptance)
        statistics.treeDepth.append(t.depth)
        statistics.leapfrogs.append(t.leapfrogs)
        statistics.diverging.append(t.diverged)
        statistics.energy.append(-x.logp + sampler.kinetic(x.p))
        statistics.logDensity.append(x.logp)
        draws.append(try target.trace(at: x.values))
      }
      progress.advance()
    }
    return (draws, statistics)
  }

  static func declare(_ r: BuiltinRegistry) {
    // init: one choice map for every chain, or one per chain.
    for initForm in ["", ", init: ChoiceMap", ", init: List[ChoiceMap]"] {
      r.declare("fn nuts(g: Gen[a -> r], args: a, obs: ChoiceMap, warmup: Int = 1000, samples: Int = 1000, chains: Int = 1, target_accept: Real = 0.8, max_tree_depth: Int = 10, dense_mass: Bool = false\(initForm)) -> Samples") { a, c in
        let g = try InferenceBuiltins.gen(try a["g"], c), args = InferenceBuiltins.arguments(try a["args"])
        let obs = try InferenceBuiltins.choiceMap(try a["obs"], c)
        let (warmup, samples, chainCount, targetAccept) = (try a.int("warmup"), try a.int("samples"), try a.int("chains"), try a.real("target_accept"))
        let maxTreeDepth = try a.int("max_tree_depth"), denseMass = try a.bool("dense_mass")
        try InferenceBuiltins.checkCount(samples, "nuts: samples", c)
        try DifferentiableInference.refuse("nuts", [g], args, obs, c)
        guard warmup >= 0, chainCount >= 1, targetAccept > 0, targetAccept < 1 else {
          throw c.fail("nuts: warmup must be non-negative, samples and chains positive, target_accept in (0, 1)")
        }
        guard (1...30).contains(maxTreeDepth) else { throw c.fail("nuts: max_tree_depth must be between 1 and 30, got \(maxTreeDepth)") }
        let inits = try Initialization.given(initForm.isEmpty ? nil : try a["init"], chains: chainCount, "nuts", c)
        InferenceBuiltins.warnOfEstimatedDensity(g, "nuts", c)
        let progress = ProgressBar(total: chainCount * (warmup + samples), label: "nuts")
        let results = try Parallel.map(chainCount, blockSize: 1, c) { k, c in
          try chain(g, args, obs, given: inits[k], warmup: warmup, samples: samples, targetAccept: targetAccept,
                    maxTreeDepth: maxTreeDepth, denseMass: denseMass, c, progress)
        }
        progress.finish()
        let statistics = SamplerStatistics(chains: results.map(\.statistics), maxTreeDepth: maxTreeDepth)
        let divergences = statistics.chains.reduce(0) { $0 + $1.diverging.filter { $0 }.count }
        if divergences > 0 {
          c.runtime.warn("nuts: \(divergences) divergent transition\(divergences == 1 ? "" : "s") after warmup; consider a higher target_accept or a reparameterized model")
        }
        let s = Samples(chains: results.map(\.draws), divergences: divergences, statistics: statistics, observed: Set(obs.addresses))
        try ConvergenceWarnings.check(s, method: "nuts", c)
        return .object(s)
      }
    }
  }
}
