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

  static func chain(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, warmup: Int, samples: Int, targetAccept: Double,
                    _ c: CallContext, _ progress: ProgressBar) throws -> (draws: [Trace], divergences: Int, step: Double) {
    let initial = try InferenceBuiltins.run(g, args, .generate(obs), c).trace
    var selection = Selection()
    for a in initial.choices.addresses where !obs.has(a) { selection.addresses.insert(a) }
    let target = try UnconstrainedDensity(initial, selection, c,
                                          advice: "nuts cannot sample it: use mcmc with gibbs for discrete choices, or sum them out of the model")
    var u = target.start
    let first = try target.evaluate(u)
    var x = NUTS.Point(u: u, p: u.map { _ in 0 }, logp: first.logDensity, grad: first.gradient, values: first.values)
    var sampler = NUTS(target: target, step: 1, invMass: u.map { _ in 1 })
    try sampler.findReasonableStep(x)
    var adaptation = StepSizeAdaptation(step: sampler.step, target: targetAccept)
    let (initialBuffer, _, windowEnds) = windows(warmup)
    var windowDraws: [[Double]] = []
    var draws: [Trace] = []
    var divergences = 0
    for i in 0..<(warmup + samples) {
      let (next, accept, diverged) = try sampler.transition(x)
      x = next
      u = x.u
      if i < warmup {
        sampler.step = adaptation.update(accept)
        if i >= initialBuffer && i <= (windowEnds.max() ?? -1) { windowDraws.append(u) }
        if windowEnds.contains(i), windowDraws.count > 2 {
          // Regularized variance of the window's draws becomes the inverse mass matrix.
          let n = Double(windowDraws.count)
          sampler.invMass = (0..<u.count).map { k in
            let column = windowDraws.map { $0[k] }
            let m = column.reduce(0, +) / n
            let v = column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
            return (n / (n + 5)) * v + 1e-3 * (5 / (n + 5))
          }
          windowDraws = []
          try sampler.findReasonableStep(x)
          adaptation = StepSizeAdaptation(step: sampler.step, target: targetAccept)
        }
        if i == warmup - 1 { sampler.step = adaptation.final }
      } else {
        if diverged { divergences += 1 }
        draws.append(try target.trace(at: x.values))
      }
      progress.advance()
    }
    return (draws, divergences, sampler.step)
  }

  static func declare(_ r: BuiltinRegistry) {
    r.declare("fn nuts(g: Gen[a -> r], args: a, obs: ChoiceMap, warmup: Int = 1000, samples: Int = 1000, chains: Int = 1, target_accept: Real = 0.8) -> Samples") { a, c in
      let g = try InferenceBuiltins.gen(try a["g"], c), args = InferenceBuiltins.arguments(try a["args"])
      let obs = try InferenceBuiltins.choiceMap(try a["obs"], c)
      let (warmup, samples, chainCount, targetAccept) = (try a.int("warmup"), try a.int("samples"), try a.int("chains"), try a.real("target_accept"))
      try InferenceBuiltins.checkCount(samples, "nuts: samples", c)
      guard warmup >= 0, chainCount >= 1, targetAccept > 0, targetAccept < 1 else {
        throw c.fail("nuts: warmup must be non-negative, samples and chains positive, target_accept in (0, 1)")
      }
      InferenceBuiltins.warnOfEstimatedDensity(g, "nuts")
      let progress = ProgressBar(total: chainCount * (warmup + samples), label: "nuts")
      let results = try Parallel.map(chainCount, blockSize: 1, c) { _, c in
        try chain(g, args, obs, warmup: warmup, samples: samples, targetAccept: targetAccept, c, progress)
      }
      progress.finish()
      let chains = results.map(\.draws)
      let divergences = results.reduce(0) { $0 + $1.divergences }
      if divergences > 0 {
        FileHandle.standardError.write(Data("warning: nuts: \(divergences) divergent transition\(divergences == 1 ? "" : "s") after warmup; consider a higher target_accept or a reparameterized model\n".utf8))
      }
      return .object(Samples(chains: chains, divergences: divergences, observed: Set(obs.addresses)))
    }
  }
}
