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

  public init(_ mode: Mode = .simulate) { self.mode = mode }

  public mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    var value: Value?
    var fresh = false
    switch mode {
    case .simulate: break
    case .generate(let constraints): value = constraints[address]
    case .assess(let given):
      guard let v = given[address] else { throw RuntimeError("assess: no value given for the choice '\(address)'") }
      value = v
    case .update(let previous, let constraints):
      value = constraints[address] ?? previous.choices[address]
    case .regenerate(let previous, let selection):
      if !selection.contains(address) { value = previous.choices[address] }
    }
    if value == nil {
      value = Value(dist.sample(&context.rng))
      fresh = true
    }
    guard let v = value, let x = v.outcome else {
      throw RuntimeError("the value at '\(address)' has type \(value?.typeName ?? "?"), which \(dist.name) cannot score")
    }
    guard choices.insert(address, v) else {
      throw RuntimeError("the address '\(address)' is used twice in one execution; give each choice its own address, e.g. @ (\"\(address)\", i)")
    }
    let lp = try dist.logpdf(x)
    if lp.isNaN { throw NaNDensity.choice(address) }
    choiceScores.append(lp)
    choiceDistributions.append(dist)
    score += lp
    if fresh { freshScore += lp } else if case .generate = mode { constrainedScore += lp }
    return .value(v)
  }

  public mutating func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    guard let x = value.outcome else { throw RuntimeError("\(dist.name) cannot score a value of type \(value.typeName)") }
    let lp = try dist.logpdf(x)
    if lp.isNaN { throw NaNDensity.observation(address) }
    score += lp
    constrainedScore += lp
    return true
  }

  public mutating func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
    if weight.isNaN { throw NaNDensity.factor(address) }
    score += weight
    constrainedScore += weight
    return true
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
