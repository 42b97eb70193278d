import Distributions
import Foundation
import Runtime

/// Importance sampling and SMC that carry derivatives (issue "differentiable
/// inference"): when the model's arguments, its observations or a value its gens
/// captured are being differentiated, every particle runs under a handler that keeps
/// its weight on the tape, and the evidence estimate log Ẑ is a differentiable function
/// of those weights — the IWAE bound for importance, FIVO's for SMC.
///
/// Draws follow the running gradient estimator: under `grad` of a function,
/// reparameterized draws follow their path, and a draw that cannot be reparameterized
/// but whose distribution is differentiated is refused (held, its dependence would
/// leave the gradient); inside an `expect` block every strategy applies, so
/// score-function draws add their terms.
/// Resampling's ancestor indices are held, as FIVO does (Maddison et al. 2017): the
/// gradient then leaves out the resampling's score term — biased, with low variance.
/// `smc(..., resample: "multinomial", resampling_gradient: "score")` inside an `expect`
/// block adds that term (the log-probability of every ancestor drawn) to the block's
/// score, which makes the estimate unbiased at the price of its variance.
///
/// Particles run one after another on the caller's thread: the tape is not shared
/// across threads.
enum DifferentiableInference {
  /// Whether a call must carry derivatives: a `grad` is running and an argument, an
  /// observation, or a value one of its gens captured is being differentiated — found
  /// inside containers, closures' captures, choice maps, traces and differentiated
  /// posteriors too.
  static func isDifferentiated(_ gens: [Closure], _ args: [Value], _ obs: ChoiceMap, _ c: CallContext) -> Bool {
    guard c.runtime.differentiating else { return false }
    var visited = Set<ObjectIdentifier>()
    return args.contains { dependsOnDifferentiated($0, &visited) } || obs.values.contains { dependsOnDifferentiated($0, &visited) }
      || gens.contains { dependsOnDifferentiated(.closure($0), &visited) }
  }

  /// Whether a value holds, anywhere inside it, a value being differentiated.
  /// `visited` keeps closures and objects seen, so shared parts are looked at once.
  static func dependsOnDifferentiated(_ v: Value, _ visited: inout Set<ObjectIdentifier>) -> Bool {
    switch v {
    case .tracked: return true
    case .trackedDist(let t): return t.isDifferentiated
    case .list(let xs), .tuple(let xs), .record(_, let xs): return xs.contains { dependsOnDifferentiated($0, &visited) }
    case .closure(let g):
      guard visited.insert(ObjectIdentifier(g)).inserted else { return false }
      return g.captures.contains { dependsOnDifferentiated($0, &visited) }
    case .object(let o):
      guard visited.insert(ObjectIdentifier(o)).inserted else { return false }
      if o is DifferentiatedPosterior { return true }
      if let m = o as? ChoiceMapObject { return m.map.values.contains { dependsOnDifferentiated($0, &visited) } }
      if let t = o as? Trace {
        return t.differentiableScore != nil || t.choices.values.contains { dependsOnDifferentiated($0, &visited) }
          || t.arguments.contains { dependsOnDifferentiated($0, &visited) }
      }
      return false
    default: return false
    }
  }

  /// Refuses a differentiated call to an inference method that carries no derivatives,
  /// whose results would otherwise have a gradient of silently zero.
  static func refuse(_ method: String, _ gens: [Closure], _ args: [Value], _ obs: ChoiceMap, _ c: CallContext) throws {
    guard isDifferentiated(gens, args, obs, c) else { return }
    throw c.fail("\(method) cannot be differentiated: its arguments depend on a value being differentiated, and its results carry no derivatives (importance and smc do); apply stop_gradient to the arguments to run it on values")
  }

  /// Importance sampling from the prior, or from a proposal called with the model's
  /// arguments; log Ẑ = log mean exp(wᵢ) on the tape.
  static func importance(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, particles n: Int, proposal q: Closure?,
                         impossible: String, _ c: CallContext) throws -> DifferentiatedPosterior {
    let restore = refuseHeldDraws(c)
    defer { restore() }
    let (traces, logWeights) = try InferenceBuiltins.importanceParticles(g, args, obs, particles: n, proposal: q, c)
    return try posterior(traces, logWeights, evidenceSoFar: .real(0), observed: Set(obs.addresses), impossible: impossible, c)
  }

  /// How the gradient of SMC's evidence treats resampling (see the type's comment).
  enum ResamplingGradient: String {
    /// Ancestors held: FIVO's biased, low-variance gradient.
    case none
    /// The ancestors' log-probabilities added to the running `expect` block's score.
    case score
  }

  /// SMC with every weight on the tape: particles advance to their next stop (drawing
  /// from the model, or from the model's proposal), and when ESS/n falls below
  /// `threshold` the population is resampled and log mean exp(w) joins the evidence.
  static func smc(_ model: SMC.Model, particles n: Int, scheme: SMC.Resampling, threshold: Double,
                  resamplingGradient: ResamplingGradient, _ c: CallContext) throws -> DifferentiatedPosterior {
    let estimator = c.runtime.estimator as? GradientEstimator
    let restore = refuseHeldDraws(c)
    defer { restore() }
    if resamplingGradient == .score {
      guard estimator?.mode == .full else {
        throw c.fail("smc: resampling_gradient: \"score\" adds a score-function term, which needs an expect block: differentiate an objective that returns expect { ... }")
      }
      // Only multinomial ancestors are independent draws, whose joint score is the sum.
      guard scheme == .multinomial else { throw c.fail("smc: resampling_gradient: \"score\" needs resample: \"multinomial\"") }
    }
    var runs = try (0..<n).map { _ in
      try SteppedRun(model.gen, model.arguments, constraints: model.observations, tracksDerivatives: true, c)
    }
    var logWeights = [Value](repeating: .real(0), count: n)
    var evidence: Value = .real(0)
    let impossible = "smc: every particle has zero weight", proposer = model.proposer(c)
    while !runs.allSatisfy(\.isFinished) {
      for i in runs.indices where !runs[i].isFinished {
        _ = try runs[i].advance(model.gen, model.arguments, proposer: proposer, observed: model.observed, c)
        logWeights[i] = try Differentiation.add(logWeights[i], runs[i].lastWeight)
      }
      let plain = try logWeights.map(Differentiation.primal), total = Special.logsumexp(plain)
      guard total > -.infinity else { throw c.fail(impossible) }
      let normalized = plain.map { exp($0 - total) }
      let ess = 1 / normalized.reduce(0) { $0 + $1 * $1 }
      guard ess < threshold * Double(n) && !runs.allSatisfy(\.isFinished) else { continue }
      evidence = try Differentiation.add(evidence, logMeanExp(logWeights))
      let ancestors = SMC.ancestors(normalized, scheme, &c.runtime.rng)
      if resamplingGradient == .score, let estimator {
        let logTotal = try Differentiation.logsumexp(logWeights)
        for a in ancestors { try estimator.addScore(try Differentiation.sub(logWeights[a], logTotal)) }
      }
      runs = ancestors.map { runs[$0] }
      logWeights = Array(repeating: .real(0), count: n)
    }
    let traces = try runs.map { try $0.trace(model.gen, model.arguments, observed: model.observed) }
    return try posterior(traces, logWeights, evidenceSoFar: evidence, observed: model.observed, impossible: impossible, c)
  }

  /// Makes the running estimator refuse held draws of differentiated distributions
  /// while particles run (see `GradientEstimator.refusesHeldDraws`); returns the undo.
  private static func refuseHeldDraws(_ c: CallContext) -> () -> Void {
    guard let estimator = c.runtime.estimator as? GradientEstimator else { return {} }
    let saved = estimator.refusesHeldDraws
    estimator.refusesHeldDraws = true
    return { estimator.refusesHeldDraws = saved }
  }

  /// log mean exp(wᵢ) on the tape.
  private static func logMeanExp(_ logWeights: [Value]) throws -> Value {
    try Differentiation.sub(Differentiation.logsumexp(logWeights), .real(log(Double(logWeights.count))))
  }

  private static func posterior(_ traces: [Trace], _ logWeights: [Value], evidenceSoFar: Value, observed: Set<Address>,
                                impossible: String, _ c: CallContext) throws -> DifferentiatedPosterior {
    let plain = try logWeights.map(Differentiation.primal)
    guard Special.logsumexp(plain) > -.infinity else { throw c.fail(impossible) }
    let evidence = try Differentiation.add(evidenceSoFar, logMeanExp(logWeights))
    return try DifferentiatedPosterior(traces: traces, logWeights: logWeights, logEvidence: evidence, observed: observed)
  }
}
