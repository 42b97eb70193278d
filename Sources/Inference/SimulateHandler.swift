import Distributions
import Runtime

/// The generative function interface as one handler with modes (Gen's dynamic DSL):
/// each random choice is constrained, reused from a previous trace, or sampled fresh,
/// and the handler keeps the log joint density (`score`) and the log importance weight.
///
/// - simulate: every choice fresh; weight 0.
/// - generate(constraints): constrained choices score into the weight.
/// - assess(choices): every choice must be given; weight = score.
/// - update(previous, constraints) / regenerate(previous, selection): choices not
///   constrained or selected keep their previous values; weight = new score − old
///   score − (log-density of fresh draws) + (log-density of old choices resampled or
///   dropped), the Metropolis–Hastings ratio for a resimulation move.
public struct GFIHandler: Handler {
  public enum Mode {
    case simulate
    case generate(ChoiceMap)
    case assess(ChoiceMap)
    case update(previous: Trace, constraints: ChoiceMap)
    case regenerate(previous: Trace, selection: Selection)

    /// The trace an update or regeneration starts from.
    var previous: Trace? {
      switch self {
      case .update(let previous, _), .regenerate(let previous, _): return previous
      default: return nil
      }
    }
  }

  let mode: Mode
  public private(set) var choices = ChoiceMap()
  public private(set) var choiceScores: [Double] = []
  public private(set) var choiceDistributions: [Distribution] = []
  public private(set) var score = 0.0
  /// Log-density of the choices drawn fresh from their distributions.
  public private(set) var freshScore = 0.0
  /// Log-density of constrained choices, observations and factors (generate's weight).
  public private(set) var constrainedScore = 0.0
  /// The score, generate's weight and the fresh draws' log-density on the tape, once a
  /// differentiated term appears.
  var trackedScore = TrackedSum()
  var trackedConstrainedScore = TrackedSum()
  var trackedFreshScore = TrackedSum()

  public init(_ mode: Mode = .simulate) { self.mode = mode }

  public mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    try choice(at: address, distribution: .dist(dist), context)
  }

  /// A choice: constrained, reused or drawn fresh (by the running gradient estimator,
  /// if any), and scored — on the tape when its distribution or value is differentiated.
  public mutating func choice(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> ChoiceAction {
    let dist = try Differentiation.distribution(distribution)
    var value: Value?
    var fresh = false
    switch mode {
    case .simulate: break
    case .generate(let constraints): value = constraints[address]
    case .assess(let given):
      guard let v = given[address] else { throw RuntimeError("assess: no value given for the choice '\(address)'") }
      value = v
    case .update(let previous, let constraints):
      // A dirac choice (a transformed parameter) follows its point: keeping the old
      // value would make the trace impossible whenever the point moved.
      value = constraints[address] ?? (dist.isDirac ? nil : previous.choices[address])
    case .regenerate(let previous, let selection):
      if !selection.contains(address) && !dist.isDirac { value = previous.choices[address] }
    }
    if value == nil {
      if let estimator = context.estimator {
        value = try estimator.draw(at: address, distribution: distribution, context)
      } else {
        value = Value(try dist.sample(&context.rng))
      }
      fresh = true
    }
    guard let given = value else { throw RuntimeError("internal: no value at '\(address)'") }
    let v = fresh ? given : try Scoring.admit(dist, given, at: address)
    let (lp, term) = try Scoring.choice(distribution, v, at: address)
    guard choices.insert(address, v) else { throw Scoring.duplicate(address) }
    choiceScores.append(lp)
    choiceDistributions.append(dist)
    let constrained: Bool
    if case .generate = mode { constrained = !fresh } else { constrained = false }
    try addTracked(lp, term, constrained: constrained, fresh: fresh)
    score += lp
    if fresh { freshScore += lp } else if constrained { constrainedScore += lp }
    return .value(v)
  }

  public mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try observe(distribution: .dist(dist), value, at: address, context)
  }

  public mutating func observe(distribution: Value, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    let (lp, term) = try Scoring.observation(distribution, value, within: address)
    try addTracked(lp, term, constrained: true)
    score += lp
    constrainedScore += lp
    return true
  }

  public mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try factor(weight: .real(weight), at: address, context)
  }

  public mutating func factor(weight: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    let (w, term) = try Scoring.factor(weight, within: address)
    try addTracked(w, term, constrained: true)
    score += w
    constrainedScore += w
    return true
  }

  /// A traced call of a gen defined by its interface (`marginal`, `normalize`): the
  /// gen runs its own simulate, generate or assess with the constraints under
  /// `address`, its choices join this run's under `address`, and its score (an
  /// estimate, for these gens) joins the score — its weight as the constrained part,
  /// the rest as fresh. An update or regeneration cannot reach into it: refused.
  public mutating func tracedCall(at address: Address, interfaceGen gen: Closure, arguments: [Value],
                                  _ c: CallContext) throws -> Value {
    let sub: Mode
    switch mode {
    case .simulate: sub = .simulate
    case .generate(let constraints):
      let given = constraints.under(address)
      sub = given.count == 0 ? .simulate : .generate(given)
    case .assess(let given): sub = .assess(given.under(address))
    case .update, .regenerate:
      throw c.fail("\(gen.code.name) is a gen defined by its interface, which has no update or regenerate, so a trace with a traced call of it cannot be moved by MCMC")
    }
    let result = try InferenceBuiltins.execute(gen, arguments, sub, c)
    let t = result.trace
    for (i, (a, v)) in zip(t.choices.addresses, t.choices.values).enumerated() {
      guard choices.insert(address.appending(a), v) else { throw Scoring.duplicate(address.appending(a)) }
      choiceScores.append(t.choiceScores[i])
      choiceDistributions.append(t.choiceDistributions[i])
    }
    let weight = result.weight, w = try Differentiation.primal(weight)
    // With a weight of −inf (an impossible constraint) the score is −inf too: no rest.
    let rest = w == -.infinity ? .real(0) : try Differentiation.sub(t.scoreValue, weight), r = try Differentiation.primal(rest)
    try addTracked(w, Differentiation.isTracked(weight) ? weight : nil, constrained: true)
    score += w
    constrainedScore += w
    try addTracked(r, Differentiation.isTracked(rest) ? rest : nil, fresh: true)
    score += r
    freshScore += r
    return t.retval
  }

  /// Keeps the tracked sums in step with the plain ones: `term` is the log-density `lp`
  /// on the tape, or nil where it is constant. Call before adding `lp` to the plain sums.
  mutating func addTracked(_ lp: Double, _ term: Value?, constrained: Bool = false, fresh: Bool = false) throws {
    try trackedScore.add(lp, term, plainSoFar: score)
    if constrained { try trackedConstrainedScore.add(lp, term, plainSoFar: constrainedScore) }
    if fresh { try trackedFreshScore.add(lp, term, plainSoFar: freshScore) }
  }

  /// The score as a value: on the tape when any term was differentiated.
  public var differentiableScore: Value { trackedScore.value ?? .real(score) }

  /// The log-density of the fresh draws as a value (propose's weight).
  public var differentiableFreshScore: Value { trackedFreshScore.value ?? .real(freshScore) }

  /// The weight as a value (see `weight()`), on the tape for simulate, generate and assess.
  public func differentiableWeight() -> Value {
    switch mode {
    case .simulate: return .real(0)
    case .generate: return trackedConstrainedScore.value ?? .real(constrainedScore)
    case .assess: return differentiableScore
    case .update, .regenerate: return .real(weight())
    }
  }

  /// The log weight of the finished run (see the modes).
  public func weight() -> Double {
    switch mode {
    case .simulate: return 0
    case .generate: return constrainedScore
    case .assess: return score
    case .update(let previous, _), .regenerate(let previous, _):
      let dropped = previous.choices.addresses.filter { !choices.has($0) || isResampled($0) }
      let oldResampled = dropped.reduce(0) { $0 + (previous.score(at: $1) ?? 0) }
      return (score - freshScore) - (previous.score - oldResampled)
    }
  }

  func isResampled(_ address: Address) -> Bool {
    if case .regenerate(_, let selection) = mode { return selection.contains(address) }
    return false
  }

  /// Constrained addresses that the run never reached (an error for generate/update).
  func unusedConstraints() -> [Address] {
    switch mode {
    case .generate(let c), .update(_, let c): return c.addresses.filter { !choices.has($0) }
    default: return []
    }
  }
}

/// A sum that moves onto the differentiation tape once a differentiated term joins it.
struct TrackedSum {
  private(set) var value: Value?

  /// Adds `term` (or the constant `lp` where term is nil); `plainSoFar` is the plain
  /// sum before this term, where the tracked sum starts.
  mutating func add(_ lp: Double, _ term: Value?, plainSoFar: Double) throws {
    guard term != nil || value != nil else { return }
    value = try Differentiation.add(value ?? .real(plainSoFar), term ?? .real(lp))
  }
}
