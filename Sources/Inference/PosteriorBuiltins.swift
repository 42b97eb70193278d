import Distributions
import Foundation
import Runtime
import Tensor

/// Importance sampling, enumeration and the results API over posteriors (SPEC §6).
extension InferenceBuiltins {
  static func posterior(_ v: Value, _ c: CallContext) throws -> Posterior {
    guard case .object(let o) = v, let p = o as? Posterior else { throw c.fail("expected a posterior, found \(v.typeName)") }
    return p
  }

  static func declareImportance(_ r: BuiltinRegistry) {
    r.declare("fn importance(g: Gen[a -> r], args: a, obs: ChoiceMap, particles: Int = 1000) -> Posterior") { a, c in
      .object(try importance(try gen(try a["g"], c), arguments(try a["args"]), try choiceMap(try a["obs"], c),
                             particles: try a.int("particles"), proposal: nil, c))
    }
    r.declare("fn importance(g: Gen[a -> r], args: a, obs: ChoiceMap, particles: Int, proposal: Gen[a -> s]) -> Posterior") { a, c in
      .object(try importance(try gen(try a["g"], c), arguments(try a["args"]), try choiceMap(try a["obs"], c),
                             particles: try a.int("particles"), proposal: try gen(try a["proposal"], c), c))
    }
    r.declare("fn enumerate(g: Gen[a -> r], args: a, obs: ChoiceMap) -> Posterior") { a, c in
      let g = try gen(try a["g"], c), args = arguments(try a["args"]), obs = try choiceMap(try a["obs"], c)
      try DifferentiableInference.refuse("enumerate", [g], args, obs, c)
      return .object(try Enumeration.posterior(g, args, obs, c))
    }
  }

  /// The results API, for weighted posteriors and MCMC samples alike (a Samples value is
  /// a Posterior of equally weighted draws).
  static func declareResults(_ r: BuiltinRegistry) {
    for (name, t) in [("post", "Posterior"), ("samples", "Samples")] {
      func results(_ a: Arguments, _ c: CallContext) throws -> Posterior { try posterior(try a[name], c) }
      /// The results for a Real that has no derivative: refused on a differentiated posterior.
      func valuesOnly(_ a: Arguments, _ builtin: String, _ c: CallContext) throws -> Posterior {
        let p = try results(a, c)
        if p is DifferentiatedPosterior {
          throw c.fail("\(builtin) has no derivative, so on a posterior that is being differentiated its gradient would be silently zero; read it from stop_gradient(\(name))")
        }
        return p
      }
      r.declare("fn mean(\(name): \(t), address: Addr) -> Real") { a, c in
        let p = try results(a, c), at = try address(try a["address"], c)
        if let d = p as? DifferentiatedPosterior { return try d.trackedMean(at) }
        return .real(try p.mean(at))
      }
      r.declare("fn sd(\(name): \(t), address: Addr) -> Real") { a, c in
        let p = try results(a, c), at = try address(try a["address"], c)
        if let d = p as? DifferentiatedPosterior { return try d.trackedSD(at) }
        return .real(try p.sd(at))
      }
      r.declare("fn quantile(\(name): \(t), address: Addr, q: Real) -> Real") { a, c in
        let q = try a.real("q")
        guard q >= 0 && q <= 1 else { throw c.fail("quantile: q must lie in [0, 1], got \(q)") }
        return .real(try valuesOnly(a, "quantile", c).quantile(try address(try a["address"], c), q))
      }
      r.declare("fn ess(\(name): \(t), address: Addr) -> Real") { a, c in
        .real(try valuesOnly(a, "ess", c).ess(try address(try a["address"], c)))
      }
      r.declare("fn prob(\(name): \(t), address: Addr, value: a) -> Real") { a, c in
        let p = try results(a, c), at = try address(try a["address"], c)
        if let d = p as? DifferentiatedPosterior { return try d.trackedProbability(at, try a["value"]) }
        return .real(try p.probability(at, try a["value"]))
      }
      r.declare("fn traces(\(name): \(t)) -> List[Trace[r]]") { a, c in .list(try results(a, c).traces.map { .object($0) }) }
      r.declare("fn draw(\(name): \(t)) -> Trace[r]") { a, c in
        let p = try results(a, c)
        if let d = p as? DifferentiatedPosterior { return .object(try d.trackedDraw(c)) }
        return .object(p.draw(&c.runtime.rng))
      }
      r.declare("fn values(\(name): \(t), address: Addr) -> Tensor") { a, c in
        .tensor(try valuesOnly(a, "values", c).valueTensor(try address(try a["address"], c)))
      }
      r.declare("fn summary(\(name): \(t)) -> Unit") { a, c in
        c.runtime.output(try Summary.table(try results(a, c)))
        return .unit
      }
      r.declare("fn summary(\(name): \(t), selection: Selection) -> Unit") { a, c in
        c.runtime.output(try Summary.table(try results(a, c), try selection(try a["selection"], c)))
        return .unit
      }
      r.declare("fn summary_rows(\(name): \(t)) -> \(Summary.recordType)") { a, c in
        try Summary.records(try valuesOnly(a, "summary_rows", c), Selection(all: true))
      }
      r.declare("fn summary_rows(\(name): \(t), selection: Selection) -> \(Summary.recordType)") { a, c in
        try Summary.records(try valuesOnly(a, "summary_rows", c), try selection(try a["selection"], c))
      }
      r.declare("fn to_csv(\(name): \(t), path: String) -> Unit", touchesFiles: true) { a, c in
        try RuntimeBuiltins.write(Summary.csv(try results(a, c)), to: try a.string("path"), c)
        return .unit
      }
      r.declare("fn to_json(\(name): \(t), path: String) -> Unit", touchesFiles: true) { a, c in
        try RuntimeBuiltins.write(Summary.json(try results(a, c)), to: try a.string("path"), c)
        return .unit
      }
    }
    r.declare("fn log_evidence(post: Posterior) -> Real") { a, c in
      let p = try posterior(try a["post"], c)
      return (p as? DifferentiatedPosterior)?.trackedLogEvidence ?? .real(p.logEvidence)
    }
    r.declare("fn weights(post: Posterior) -> Tensor") { a, c in
      let p = try posterior(try a["post"], c)
      if let d = p as? DifferentiatedPosterior { return try d.trackedWeights }
      return .tensor(Tensor(shape: [p.weights.count], data: p.weights))
    }
    r.declare("fn rhat(samples: Samples, address: Addr) -> Real") { a, c in
      .real(try posterior(try a["samples"], c).rhat(try address(try a["address"], c)))
    }
    r.declare("fn stats(samples: Samples) -> \(SamplerStatistics.recordType)") { a, c in
      guard case .object(let o) = try a["samples"], let s = o as? Samples else { throw c.fail("expected samples, found \(try a["samples"].typeName)") }
      guard let statistics = s.statistics else { throw c.fail("stats: only nuts records sampler statistics; these samples come from mcmc or pmmh") }
      return statistics.record()
    }
    r.declare("fn ess_tail(samples: Samples, address: Addr) -> Real") { a, c in
      .real(try posterior(try a["samples"], c).tailESS(try address(try a["address"], c)))
    }
    r.declare("fn mcse(samples: Samples, address: Addr) -> Real") { a, c in
      .real(try posterior(try a["samples"], c).mcse(try address(try a["address"], c)))
    }
    r.declare("fn divergences(samples: Samples) -> Int") { a, c in
      guard case .object(let o) = try a["samples"], let s = o as? Samples else { throw c.fail("expected samples, found \(try a["samples"].typeName)") }
      return .int(s.divergences)
    }
  }

  /// Importance sampling from the prior (the generate handler) or from a proposal gen
  /// called with the model's arguments, whose draws become constraints; the weight is
  /// the model's log joint of them and the observations minus the proposal's.
  static func importance(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, particles n: Int, proposal q: Closure?,
                         _ c: CallContext) throws -> Posterior {
    try checkCount(n, "importance: particles", c)
    let impossible = "importance: every particle has zero weight: the observations are impossible under every draw (a value outside the support, e.g. 1-based categories?)"
    if DifferentiableInference.isDifferentiated([g] + (q.map { [$0] } ?? []), args, obs, c) {
      return try DifferentiableInference.importance(g, args, obs, particles: n, proposal: q, impossible: impossible, c)
    }
    if q == nil && InferenceBuiltins.interface(g) == nil {
      do {
        var population = try SMC.BatchedPopulation(SMC.Model(g, args, obs), count: n, stopsAtObservations: false, c)
        try population.advance(c, impossible: impossible)
        return population.posterior()
      } catch let e as RuntimeError where e.needsMemberByMember {
        // A traced call of a gen defined by its interface: the particles run one by one
        // under the GFI, which can run it (below).
      }
    }
    let (traces, weights) = try importanceParticles(g, args, obs, particles: n, proposal: q, c)
    let logWeights = try weights.map(Differentiation.primal)
    guard Special.logsumexp(logWeights) > -.infinity else { throw c.fail(impossible) }
    return Posterior(traces: traces, logWeights: logWeights, logEvidence: Special.logsumexp(logWeights) - log(Double(n)),
                     observed: Set(obs.addresses))
  }
}
