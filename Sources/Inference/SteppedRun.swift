import Distributions
import Runtime

/// The GFI's suspendable form of `generate`, which SMC's particles are: a run of a gen
/// under constraints that stops at each weighting point — an `observe`, a `factor`, a
/// choice at a constrained address — and reports the log-weight gathered there. Copying
/// a run copies the computation, so resampling duplicates particles by copying runs.
/// Compiled gens stop inside their code (the machine suspends); a gen defined by its
/// interface (`marginal`, `normalize`) has no inner stops and runs whole, its `generate`
/// weight being its one stop's.
struct SteppedRun {
  /// A compiled gen's suspended execution and its handler (the handler also keeps the
  /// run's choices for an interface gen's replay).
  private var execution: Execution?
  private var handler: StepHandler
  /// A gen defined by its interface, and its trace once it has run.
  private let interface: InterfaceGen?
  private var whole: Trace?
  /// The return value, once the run has finished.
  private(set) var retval: Value?
  /// The weighting points passed so far.
  private(set) var stops = 0
  /// The log-weight of the last stop as a value: on the tape in a run that carries
  /// derivatives (differentiable SMC), else the plain number `advance` returned.
  private(set) var lastWeight: Value = .real(0)

  /// Prepares a run of `gen` with `constraints`; `replay` supplies the values of
  /// unconstrained choices (a particle rebuilt after an MCMC move) instead of drawing them.
  /// `tracksDerivatives`: draws go through the running gradient estimator and stop
  /// weights are kept on the tape (`lastWeight`).
  init(_ gen: Closure, _ args: [Value], constraints: ChoiceMap, replay: ChoiceMap? = nil, tracksDerivatives: Bool = false,
       _ c: CallContext) throws {
    handler = StepHandler(constraints: constraints, replay: replay, tracksDerivatives: tracksDerivatives)
    interface = InferenceBuiltins.interface(gen)
    if interface == nil { execution = try Execution(closure: gen, arguments: args, context: c.runtime) }
  }

  var isFinished: Bool { retval != nil }

  /// What a proposal gives for one step: values for the choices the model makes before
  /// its next stop, and their log-density under the proposal (on the tape where
  /// differentiated). Called with the run's partial trace and the stops passed so far,
  /// when the model first makes an unconstrained choice after a stop.
  typealias Proposer = (_ partial: Trace, _ step: Int) throws -> (choices: ChoiceMap, score: Value)

  /// Runs to the next weighting point, or to the end; returns the log-weight gathered.
  /// With a proposer, the step's choices come from it and the weight is the importance
  /// weight p(choices, stop) / q(choices).
  mutating func advance(_ gen: Closure, _ args: [Value], proposer: Proposer? = nil, observed: Set<Address> = [],
                        _ c: CallContext) throws -> Double {
    if isFinished { return 0 }
    if let interface {
      if proposer != nil { throw c.fail("smc: a proposal needs a compiled model; \(gen.code.name) is defined by its interface") }
      var given = handler.constraints
      if let replay = handler.replay {
        for (a, v) in zip(replay.addresses, replay.values) where !given.has(a) { given.insert(a, v) }
      }
      let result = try interface.execute(gen, args, .generate(given), c)
      whole = result.trace
      retval = result.trace.retval
      stops += 1
      lastWeight = result.weight
      return try Differentiation.primal(result.weight)
    }
    // The execution leaves the run while it runs, so its registers stay uniquely held
    // (a shared register file would be copied).
    guard var execution = self.execution else { throw c.fail("internal: a stepped run without an execution") }
    self.execution = nil
    defer { self.execution = execution }
    handler.beginStep(awaitingProposal: proposer != nil)
    while true {
      switch try execution.run(&handler, c.runtime) {
      case .finished(let v):
        retval = v
        lastWeight = try handler.endStep(increment: .real(0))
      case .suspended(.choice(let address, _)) where !handler.constraints.has(address):
        // The step's first fresh choice: the proposal gives the step's values.
        guard let proposer else { throw c.fail("internal: a stepped run suspended at an unconstrained choice") }
        let partial = try handler.partialTrace(gen, args, truncation: Truncation(stops: stops, observed: observed))
        let proposal = try proposer(partial, stops)
        if let clash = proposal.choices.addresses.first(where: handler.constraints.has) {
          throw c.fail("smc: the proposal chose the observed address '\(clash)'")
        }
        execution.resume(with: try handler.propose(proposal.choices, score: proposal.score, firstAt: address, c.runtime))
        continue
      case .suspended(.choice(let address, let dist)):
        guard let given = handler.constraints[address] else { throw c.fail("internal: no constraint at '\(address)'") }
        let v = try Scoring.admit(dist, given, at: address)
        let w = try handler.recordConstrained(address, v, dist)
        execution.resume(with: v)
        stops += 1
        lastWeight = try handler.endStep(increment: handler.trackedIncrement ?? .real(w))
      case .suspended(.scored):
        stops += 1
        lastWeight = try handler.endStep(increment: handler.trackedIncrement ?? .real(handler.increment))
      }
      if let unused = handler.unusedProposal {
        throw c.fail("smc: the proposal chose '\(unused)', but the model made no choice there before its next observation or factor")
      }
      return try Differentiation.primal(lastWeight)
    }
  }

  /// Stops replaying: later choices are drawn afresh.
  mutating func stopReplaying() { handler.replay = nil }

  /// The trace of what has run: partial, up to its stops, unless the run has finished.
  func trace(_ gen: Closure, _ args: [Value], observed: Set<Address>) throws -> Trace {
    if let whole { return whole }
    return try handler.trace(gen, args, retval, truncation: isFinished ? nil : Truncation(stops: stops, observed: observed))
  }

  /// The newest value at `address` (SMC's filtering means read it without building traces).
  func newest(_ address: Address) -> Value? {
    if let whole { return whole.choices[address] }
    var node = handler.latest
    while let n = node, n.address != address { node = n.previous }
    return node?.value
  }
}

/// Scores a stepped run and suspends it after each observation or factor and at each
/// constrained choice; samples every other choice, or takes it from `replay`. Choices
/// are kept as a persistent list, newest first, so copying a run (resampling) copies a
/// pointer, not the history, which would cost O(N·T²) over a run.
struct StepHandler: Handler {
  final class Choice {
    let address: Address
    let value: Value
    let score: Double
    let distribution: Distribution
    let previous: Choice?
    init(_ address: Address, _ value: Value, _ score: Double, _ distribution: Distribution, _ previous: Choice?) {
      self.address = address
      self.value = value
      self.score = score
      self.distribution = distribution
      self.previous = previous
    }
  }

  let constraints: ChoiceMap
  var replay: ChoiceMap?
  let tracksDerivatives: Bool
  private(set) var latest: Choice?
  private(set) var score = 0.0
  /// The score on the tape, once a differentiated term joins it.
  private var trackedScore = TrackedSum()
  /// The log-weight of the last stop at an observation or factor.
  private(set) var increment = 0.0
  /// The last stop's log-weight on the tape, where it depends on a differentiated value.
  private(set) var trackedIncrement: Value?
  /// The distribution (as a value) of the choice the run is suspended at.
  private var pendingDistribution: Value?
  /// The current step's proposed values (SMC with a proposal), whether the step still
  /// waits for them, how many it has used, and the importance weight's terms so far:
  /// the log prior of the values used minus their log proposal density.
  private var proposed: ChoiceMap?
  private var awaitingProposal = false
  private var proposedUsed: Set<Address> = []
  private var proposalTerm = TrackedSum()
  private var proposalTermPlain = 0.0

  init(constraints: ChoiceMap, replay: ChoiceMap?, tracksDerivatives: Bool = false) {
    self.constraints = constraints
    self.replay = replay
    self.tracksDerivatives = tracksDerivatives
  }

  /// Starts a step: with a proposal, the step's first fresh choice suspends the run.
  mutating func beginStep(awaitingProposal: Bool) {
    self.awaitingProposal = awaitingProposal
    proposed = nil
    proposedUsed = []
    proposalTerm = TrackedSum()
    proposalTermPlain = 0
  }

  /// Ends a step at a stop (its log-weight `increment`) or at the end of the run (0);
  /// returns the step's log-weight, the proposal's terms included.
  mutating func endStep(increment: Value) throws -> Value {
    awaitingProposal = false
    return try Differentiation.add(proposalTerm.value ?? .real(proposalTermPlain), increment)
  }

  /// A proposed address the step never reached (an error: the proposal and the model
  /// disagree about the step's choices).
  var unusedProposal: Address? {
    guard let proposed, proposedUsed.count < proposed.count else { return nil }
    return proposed.addresses.first { !proposedUsed.contains($0) }
  }

  /// Takes a step's proposed values and their proposal log-density, and returns the
  /// value of the choice the run is suspended at (`address`).
  mutating func propose(_ choices: ChoiceMap, score: Value, firstAt address: Address, _ context: RuntimeContext) throws -> Value {
    awaitingProposal = false
    proposed = choices
    let q = try Differentiation.primal(score)
    try proposalTerm.add(-q, Differentiation.isTracked(score) ? try Differentiation.sub(.real(0), score) : nil, plainSoFar: proposalTermPlain)
    proposalTermPlain -= q
    guard let distribution = pendingDistribution else { throw RuntimeError("internal: no distribution at the proposed choice") }
    pendingDistribution = nil
    return try fresh(address, distribution, context)
  }

  /// A fresh choice's value: proposed (its log prior joins the step's weight),
  /// replayed, drawn by the running gradient estimator, or drawn plainly.
  private mutating func fresh(_ address: Address, _ distribution: Value, _ context: RuntimeContext) throws -> Value {
    let dist = try Differentiation.distribution(distribution)
    let v: Value
    let isProposed = proposed?.has(address) ?? false
    if let given = proposed?[address] {
      v = try Scoring.admitProposed(dist, given, at: address)
    } else if let given = replay?[address] {
      v = try Scoring.admit(dist, given, at: address)
    } else if tracksDerivatives, let estimator = context.estimator {
      v = try estimator.draw(at: address, distribution: distribution, context)
    } else {
      v = Value(try dist.sample(&context.rng))
    }
    let lp: Double
    if isProposed || tracksDerivatives {
      // On the tape where differentiated: a proposed value's log prior joins the
      // step's weight; every choice's joins the trace's score.
      let scored = try Scoring.choice(distribution, v, at: address)
      lp = scored.lp
      if isProposed {
        try proposalTerm.add(lp, scored.term, plainSoFar: proposalTermPlain)
        proposalTermPlain += lp
        proposedUsed.insert(address)
      }
      try trackedScore.add(lp, scored.term, plainSoFar: score)
    } else {
      lp = try Scoring.choice(dist, v, at: address)
    }
    latest = Choice(address, v, lp, dist, latest)
    score += lp
    return v
  }

  mutating func record(_ address: Address, _ v: Value, _ dist: Distribution) throws -> Double {
    let lp = try Scoring.choice(dist, v, at: address)
    latest = Choice(address, v, lp, dist, latest)
    score += lp
    return lp
  }

  /// Records the constrained choice the run suspended at; its log-density is the stop's
  /// weight (on the tape where its distribution is differentiated).
  mutating func recordConstrained(_ address: Address, _ v: Value, _ dist: Distribution) throws -> Double {
    guard let distribution = pendingDistribution else { return try record(address, v, dist) }
    pendingDistribution = nil
    let (lp, term) = try Scoring.choice(distribution, v, at: address)
    latest = Choice(address, v, lp, dist, latest)
    try trackedScore.add(lp, term, plainSoFar: score)
    score += lp
    trackedIncrement = term
    return lp
  }

  /// The partial trace a proposal reads at each step, built by extending the last one:
  /// its choices, their scores and distributions, and the newest choice they include.
  /// (Rebuilding it at every step would cost O(N·T²) over a run; extended in place,
  /// while no copy of the run shares it, a step costs its new choices.)
  private var built: (choices: ChoiceMap, scores: [Double], distributions: [Distribution], through: Choice?)?

  /// The trace of what has run, for a proposal: as `trace`, extended from the last one.
  mutating func partialTrace(_ g: Closure, _ args: [Value], truncation: Truncation) throws -> Trace {
    var fresh: [Choice] = []
    var node = latest
    while let n = node, n !== built?.through {
      fresh.append(n)
      node = n.previous
    }
    var b = built ?? (ChoiceMap(), [], [], nil)
    built = nil  // so that `b` holds the only reference and grows in place
    for n in fresh.reversed() {
      guard b.choices.insert(n.address, n.value) else { throw Scoring.duplicate(n.address) }
      b.scores.append(n.score)
      b.distributions.append(n.distribution)
    }
    b.through = latest
    built = b
    return Trace(gen: g, arguments: args, retval: .unit, score: score, choices: b.choices, choiceScores: b.scores,
                 choiceDistributions: b.distributions, truncation: truncation, isPartial: true,
                 differentiableScore: trackedScore.value)
  }

  /// The run's trace (partial when `truncation` is given); a repeated address is
  /// reported here, where the choices are first gathered into a map.
  func trace(_ g: Closure, _ args: [Value], _ retval: Value?, truncation: Truncation?) throws -> Trace {
    var list: [Choice] = []
    var node = latest
    while let n = node {
      list.append(n)
      node = n.previous
    }
    var choices = ChoiceMap()
    choices.reserveCapacity(list.count)
    var scores: [Double] = [], distributions: [Distribution] = []
    scores.reserveCapacity(list.count)
    distributions.reserveCapacity(list.count)
    for n in list.reversed() {
      guard choices.insert(n.address, n.value) else { throw Scoring.duplicate(n.address) }
      scores.append(n.score)
      distributions.append(n.distribution)
    }
    return Trace(gen: g, arguments: args, retval: retval ?? .unit, score: score, choices: choices, choiceScores: scores,
                 choiceDistributions: distributions, truncation: truncation, isPartial: retval == nil,
                 differentiableScore: trackedScore.value)
  }

  mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    if constraints.has(address) { return .suspend }
    let v = try replay?[address].map { try Scoring.admit(dist, $0, at: address) } ?? Value(dist.sample(&context.rng))
    _ = try record(address, v, dist)
    return .value(v)
  }

  mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try observe(distribution: .dist(dist), value, at: address, context)
  }

  mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try factor(weight: .real(weight), at: address, context)
  }

  // The full forms: a run that carries derivatives keeps its draws and weights on the
  // tape; any other refuses differentiated values (see `Handler`).

  mutating func choice(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> ChoiceAction {
    if !tracksDerivatives && Differentiation.isDifferentiated(distribution, during: context) {
      throw Differentiation.notCarried("the distribution of the choice '\(address)'")
    }
    guard tracksDerivatives || awaitingProposal || proposed != nil else {
      return try choice(at: address, from: try Differentiation.distribution(distribution), context)
    }
    if constraints.has(address) || awaitingProposal {
      pendingDistribution = distribution
      return .suspend
    }
    return .value(try fresh(address, distribution, context))
  }

  mutating func observe(distribution: Value, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    if !tracksDerivatives && (Differentiation.isDifferentiated(distribution, during: context) || Differentiation.isDifferentiated(value, during: context)) {
      throw Differentiation.notCarried("an observation")
    }
    let scored = try Scoring.observation(distribution, value, within: address)
    increment = scored.lp
    trackedIncrement = scored.term
    try trackedScore.add(increment, scored.term, plainSoFar: score)
    score += increment
    return false
  }

  mutating func factor(weight: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    if !tracksDerivatives && Differentiation.isDifferentiated(weight, during: context) { throw Differentiation.notCarried("a factor") }
    let scored = try Scoring.factor(weight, within: address)
    increment = scored.lp
    trackedIncrement = scored.term
    try trackedScore.add(increment, scored.term, plainSoFar: score)
    score += increment
    return false
  }
}
