import Distributions
import Foundation
import Runtime
import Tensor

/// Importance sampling, enumeration and the results API over posteriors (SPEC §6).
extension InferenceBuiltins {
  public static let fileBuiltins: Set<String> = ["to_csv", "to_json"]

  static func posterior(_ v: Value, _ c: CallContext) throws -> Posterior {
    guard case .object(let o) = v, let p = o as? Posterior else { throw c.fail("expected a posterior, found \(v.typeName)") }
    return p
  }

  static func registerPosteriors(_ r: BuiltinRegistry) {
    registerResults(r, "Posterior")
    registerResults(r, "Samples")
    r.register("log_evidence(Posterior)") { a, c in .real(try posterior(a[0], c).logEvidence) }
    r.register("weights(Posterior)") { a, c in
      let p = try posterior(a[0], c)
      return .tensor(Tensor(shape: [p.weights.count], data: p.weights))
    }
    r.register("importance(Gen[? -> ?], ?, ChoiceMap, Int)") { a, c in
      .object(try importance(try gen(a[0], c), arguments(a[1]), try choiceMap(a[2], c), particles: try a[3].asInt(), proposal: nil, c))
    }
    r.register("importance(Gen[? -> ?], ?, ChoiceMap, Int, Gen[? -> ?])") { a, c in
      .object(try importance(try gen(a[0], c), arguments(a[1]), try choiceMap(a[2], c), particles: try a[3].asInt(),
                             proposal: try gen(a[4], c), c))
    }
    r.register("enumerate(Gen[? -> ?], ?, ChoiceMap)") { a, c in
      .object(try Enumeration.posterior(try gen(a[0], c), arguments(a[1]), try choiceMap(a[2], c), c))
    }
  }

  /// The results API, for weighted posteriors and MCMC samples alike.
  static func registerResults(_ r: BuiltinRegistry, _ t: String) {
    r.register("mean(\(t), Addr)") { a, c in .real(try posterior(a[0], c).mean(try address(a[1], c))) }
    r.register("sd(\(t), Addr)") { a, c in .real(try posterior(a[0], c).sd(try address(a[1], c))) }
    r.register("quantile(\(t), Addr, Real)") { a, c in
      let q = try a[2].asReal()
      guard q >= 0 && q <= 1 else { throw c.fail("quantile: q must lie in [0, 1], got \(q)") }
      return .real(try posterior(a[0], c).quantile(try address(a[1], c), q))
    }
    r.register("ess(\(t), Addr)") { a, c in .real(try posterior(a[0], c).ess(try address(a[1], c))) }
    r.register("prob(\(t), Addr, ?)") { a, c in .real(try posterior(a[0], c).probability(try address(a[1], c), a[2])) }
    r.register("traces(\(t))") { a, c in .list(try posterior(a[0], c).traces.map { .object($0) }) }
    r.register("draw(\(t))") { a, c in .object(try posterior(a[0], c).draw(&c.runtime.rng)) }
    r.register("values(\(t), Addr)") { a, c in .tensor(try posterior(a[0], c).valueTensor(try address(a[1], c))) }
    r.register("summary(\(t))") { a, c in
      c.runtime.output(try Summary.table(try posterior(a[0], c)))
      return .unit
    }
    r.register("to_csv(\(t), String)") { a, c in
      guard c.runtime.allowFileIO else { throw c.fail("file access is disabled in this interpreter") }
      try write(Summary.csv(try posterior(a[0], c)), a[1], c)
      return .unit
    }
    r.register("to_json(\(t), String)") { a, c in
      guard c.runtime.allowFileIO else { throw c.fail("file access is disabled in this interpreter") }
      try write(Summary.json(try posterior(a[0], c)), a[1], c)
      return .unit
    }
  }

  /// Importance sampling from the prior (the generate handler) or from a proposal gen
  /// called with the model's arguments, whose draws become constraints; the weight is
  /// the model's log joint of them and the observations minus the proposal's.
  static func importance(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, particles n: Int, proposal q: Closure?,
                         _ c: CallContext) throws -> Posterior {
    try checkCount(n, "importance: particles", c)
    var traces: [Trace] = [], logWeights: [Double] = []
    for _ in 0..<n {
      var constraints = obs
      var proposalScore = 0.0
      if let q {
        let proposed = try simulate(q, args, c)
        for (k, v) in zip(proposed.choices.addresses, proposed.choices.values) {
          guard constraints.insert(k, v) else { throw c.fail("importance: the proposal chose the observed address '\(k)'") }
        }
        proposalScore = proposed.score
      }
      let (t, w) = try run(g, args, .generate(constraints), c)
      traces.append(t)
      logWeights.append(w - proposalScore)
    }
    return Posterior(traces: traces, logWeights: logWeights, logEvidence: Special.logsumexp(logWeights) - log(Double(n)),
                     observed: Set(obs.addresses))
  }

  static func write(_ text: String, _ path: Value, _ c: CallContext) throws {
    let p = try path.asString()
    do { try text.write(toFile: p, atomically: true, encoding: .utf8) } catch { throw c.fail("cannot write '\(p)'") }
  }
}
