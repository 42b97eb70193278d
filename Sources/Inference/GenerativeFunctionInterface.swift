import Runtime

/// The generative function interface (Gen's GFI; SPEC §6): the one contract inference
/// talks to, for every kind of gen — compiled code, `unfold`, and gens defined by their
/// interface (`marginal`, `normalize`, through `InterfaceGen`).
///
/// - `execute(g, args, mode)`: simulate, generate, assess, update and regenerate (and
///   propose, from simulate's fresh score); compiled gens run under `GFIHandler`.
/// - `SteppedRun`: generate, suspended at each weighting point — what SMC's particles
///   are.
/// - `UnconstrainedDensity`: the log joint density over the unconstrained coordinates
///   of selected continuous choices, with its gradient (Gen's `choice_gradients`) —
///   what HMC, MALA and NUTS move on.
///
/// All of them score through `Scoring`.
extension InferenceBuiltins {
  /// Runs a generative function under the simulate handler.
  public static func simulate(_ g: Closure, _ args: [Value], _ c: CallContext) throws -> Trace {
    try execute(g, args, .simulate, c).trace
  }

  /// Runs a generative function under one mode of the GFI: the trace and weight, a plain
  /// number — so a run whose score depends on a value being differentiated is refused
  /// rather than have its derivative dropped (MCMC kernels, update and regenerate).
  public static func run(_ g: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> (trace: Trace, weight: Double) {
    let result = try execute(g, args, mode, c)
    if result.trace.differentiableScore != nil || Differentiation.isTracked(result.weight) {
      throw c.fail("\(g.code.name)'s score depends on a value being differentiated, but this step (an MCMC kernel, update or regenerate) carries no derivatives, so its gradient would be silently zero; apply stop_gradient to the arguments")
    }
    return (result.trace, try Differentiation.primal(result.weight))
  }

  /// A proposal's draws (importance and SMC proposals): simulated, with their
  /// log-density on the tape where differentiated. A proposal that observes or has a
  /// factor is refused: its density is that of its choices alone.
  static func proposal(_ q: Closure, _ args: [Value], _ c: CallContext) throws -> (trace: Trace, score: Value) {
    let result = try execute(q, args, .simulate, c)
    guard result.trace.score == (try Differentiation.primal(result.freshScore)) else {
      throw c.fail("the proposal \(q.code.name) observes or has a factor; a proposal's density is that of its choices alone")
    }
    return (result.trace, result.freshScore)
  }

  /// One importance-sampling particle from a proposal called with the model's arguments:
  /// the model run under the observations and the proposal's draws, and its log-weight
  /// (on the tape where differentiated). Proposed values must fit the model's choices
  /// (`Scoring.admitProposed`), and observed addresses may not be proposed.
  static func importanceParticle(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, proposal q: Closure,
                                 _ c: CallContext) throws -> (trace: Trace, logWeight: Value) {
    let proposed = try proposal(q, args, c)
    var constraints = obs
    for (k, v) in zip(proposed.trace.choices.addresses, proposed.trace.choices.values) {
      guard constraints.insert(k, v) else { throw c.fail("importance: the proposal chose the observed address '\(k)'") }
    }
    let result = try execute(g, args, .generate(constraints), c)
    for (k, v) in zip(proposed.trace.choices.addresses, proposed.trace.choices.values) {
      if let d = result.trace.distribution(at: k) {
        do { _ = try Scoring.admitProposed(d, v, at: k) } catch let e as RuntimeError { throw c.fail(e.message) }
      }
    }
    return (result.trace, try Differentiation.sub(result.weight, proposed.score))
  }

  /// n importance-sampling particles, from the prior (generate under the observations)
  /// or from a proposal: their traces and log-weights (on the tape where differentiated).
  static func importanceParticles(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, particles n: Int, proposal q: Closure?,
                                  _ c: CallContext) throws -> (traces: [Trace], logWeights: [Value]) {
    var traces: [Trace] = [], logWeights: [Value] = []
    traces.reserveCapacity(n)
    logWeights.reserveCapacity(n)
    for _ in 0..<n {
      if let q {
        let particle = try importanceParticle(g, args, obs, proposal: q, c)
        traces.append(particle.trace)
        logWeights.append(particle.logWeight)
      } else {
        let result = try execute(g, args, .generate(obs), c)
        traces.append(result.trace)
        logWeights.append(result.weight)
      }
    }
    return (traces, logWeights)
  }

  /// What running a gen under the GFI gives: its trace, its weight, and the log-density
  /// of its fresh draws (propose's weight); the last two on the tape where differentiated.
  struct GFIResult {
    let trace: Trace
    let weight: Value
    let freshScore: Value
  }

  /// The implementation of a gen defined by its interface, or nil for compiled code.
  static func interface(_ g: Closure) -> InterfaceGen? {
    guard g.code.isInterfaceOnly, case .object(let o)? = g.captures.first else { return nil }
    return o as? InterfaceGen
  }

  /// Runs a generative function under one mode of the GFI handler (or, for gens defined
  /// by their interface, under their own implementation).
  static func execute(_ g: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> GFIResult {
    if let custom = interface(g) { return try custom.execute(g, args, mode, c) }
    var execution = try Execution(closure: g, arguments: args, context: c.runtime)
    let handler: GFIHandler
    let retval: Value?
    let truncation = mode.previous?.truncation
    if let truncation {
      var truncated = TruncatedHandler(GFIHandler(mode), truncation)
      if case .finished(let v) = try execution.run(&truncated, c.runtime) { retval = v } else { retval = nil }
      handler = truncated.inner
    } else {
      var plain = GFIHandler(mode)
      guard case .finished(let v) = try execution.run(&plain, c.runtime) else { throw c.fail("internal: the GFI handler suspended") }
      retval = v
      handler = plain
    }
    if let unused = handler.unusedConstraints().first {
      throw c.fail("the constraint at '\(unused)' was not used: the program made no choice there")
    }
    let trace = Trace(gen: g, arguments: args, retval: retval ?? .unit, score: handler.score, choices: handler.choices,
                      choiceScores: handler.choiceScores, choiceDistributions: handler.choiceDistributions,
                      truncation: truncation, isPartial: retval == nil, differentiableScore: handler.trackedScore.value)
    return GFIResult(trace: trace, weight: handler.differentiableWeight(), freshScore: handler.differentiableFreshScore)
  }
}
