import Distributions
import Runtime
import Tensor

/// Draws the random choices of a program being differentiated, following each
/// distribution's gradient strategy (SPEC §7, after ADEV):
///
/// - `.reparam` draws follow their path on the tape;
/// - `.reinforce` draws add their log-density to the run's score term L, so the
///   surrogate r·exp(L − ⊥L) (DiCE's "magic box") has the score-function gradient r∇L;
///   a baseline b adds b·(1 − exp(lp − ⊥lp)), which subtracts b∇lp;
/// - `.enum` and `.mvd` need the rest of the program run once per value. The machine
///   cannot copy a run that sits inside nested builtin calls (`simulate` within an
///   `expect`), so the rest is run by *replay*: the whole block reruns from the same
///   random state with earlier choices forced, which reproduces them exactly.
///
/// Choices are numbered in the order they are made; a run's `forced` values pin the
/// enumerated and measure-valued choices of its path.
final class GradientEstimator: ChoiceEstimator {
  enum Mode {
    /// Plain `grad` of a function: reparameterized draws follow their path, others are
    /// held at their values.
    case pathwise
    /// A run of `grad` over an `expect` block: every strategy applies.
    case full
    /// A run whose value only is needed (the parts of a measure-valued derivative):
    /// every choice not forced is drawn plainly.
    case values
    /// A run of `estimate`: enumerated choices are summed over their supports (the
    /// driver runs the block once per path), reparameterized draws follow their path,
    /// others are drawn plainly.
    case summing
  }

  /// A measure-valued choice met on a run: its terms need runs of the block from it.
  struct MeasureValuedSite {
    let index: Int
    /// The forced choices before it, which lead the run to it.
    let prefix: [Int: Value]
    let terms: [MeasureValued.Term]
    /// The probability of the enumerated choices before it (on the tape).
    let weight: Value

    var key: String { "\(index)|" + prefix.keys.sorted().map { "\($0)=\(ValueFormatter.format(prefix[$0] ?? .unit, topLevel: false))" }.joined(separator: ",") }
  }

  private(set) var mode: Mode
  /// Set while importance or SMC carry derivatives: a draw that would be held at its
  /// value although its distribution is differentiated (not reparameterizable, under
  /// `grad` of a function) is refused, since the evidence's gradient would silently
  /// leave out its dependence. `estimate`'s runs (`.summing`) always refuse such draws.
  var refusesHeldDraws = false
  private var index = 0
  private var forced: [Int: Value] = [:]
  /// Product of the probabilities of this run's enumerated values.
  private(set) var weight: Value = .real(1)
  /// Sum of the log-densities of this run's score-function choices.
  private var scoreTerm: Value = .real(0)
  private var baselines: [(baseline: Double, logDensity: Value)] = []
  /// Forced maps of the enumerated alternatives this run found.
  private(set) var branches: [[Int: Value]] = []
  /// On a block's first run: the number of paths its enumerated choices so far combine
  /// into (their supports' product), which may not pass `Expectation.maxRuns`.
  private var pathsOfFirstRun: Double?
  /// Enumerated choices made in this run, forced or new (at most
  /// `Expectation.maxEnumeratedPerRun`).
  private var enumeratedThisRun = 0
  private(set) var sites: [MeasureValuedSite] = []

  init(mode: Mode) { self.mode = mode }

  /// Starts a run of the block with these forced choices.
  func begin(_ mode: Mode, forced: [Int: Value]) {
    self.mode = mode
    self.forced = forced
    index = 0
    weight = .real(1)
    pathsOfFirstRun = forced.isEmpty ? 1 : nil
    enumeratedThisRun = 0
    scoreTerm = .real(0)
    baselines = []
    branches = []
    sites = []
  }

  func draw(at address: Address, distribution d: Value, _ context: RuntimeContext) throws -> Value {
    let dist = try Differentiation.distribution(d)
    let k = index
    index += 1
    let strategy = GradientEstimator.strategy(of: d, dist)
    if case .enumerate = strategy, mode != .values && mode != .pathwise {
      enumeratedThisRun += 1
      guard enumeratedThisRun <= Expectation.maxEnumeratedPerRun else {
        throw RuntimeError("one run of the expect block made more than \(Expectation.maxEnumeratedPerRun) enumerated choices (at '\(address)'): an enumeration whose paths do not end? Enumerate fewer choices, or use .mvd or .reinforce")
      }
    }
    if let v = forced[k] {
      if mode == .full || mode == .summing, case .enumerate = strategy { try weigh(d, v) }
      return v
    }
    if mode == .values { return Value(try dist.sample(&context.rng)) }
    if mode == .pathwise || mode == .summing {
      switch strategy {
      case .reparam: return try Reparameterization.draw(d, &context.rng)
      case .enumerate where mode == .summing: break  // enumerated below
      default:
        if (refusesHeldDraws || mode == .summing) && Differentiation.isTracked(d) {
          throw RuntimeError("the choice '\(address)' (\(dist.name)) depends on a value being differentiated but cannot be reparameterized, so under grad of a function its dependence would be dropped from the gradient; differentiate an objective that returns expect { ... } (its score function is then used)\(mode == .summing ? ", or give the choice .enum" : "")")
        }
        return Value(try dist.sample(&context.rng))  // held at its value
      }
    }
    switch strategy {
    case .reparam:
      return try Reparameterization.draw(d, &context.rng)
    case .reinforce(let baseline):
      let x = Value(try dist.sample(&context.rng))
      if mode == .full && Differentiation.isTracked(d) {
        let lp = try Differentiation.logpdf(d, x)
        scoreTerm = try Differentiation.add(scoreTerm, lp)
        if let baseline { baselines.append((baseline, lp)) }
      }
      return x
    case .enumerate:
      guard let support = dist.support, let first = support.first else {
        throw RuntimeError("\(dist.name) \(dist.supportProblem), so the choice '\(address)' cannot be enumerated")
      }
      if let paths = pathsOfFirstRun {
        // Fail at once rather than after 2^20 runs (each particle of an smc inside the
        // block enumerates its own choices: k^(particles·choices) paths).
        pathsOfFirstRun = paths * Double(support.count)
        guard paths * Double(support.count) <= Double(Expectation.maxRuns) else {
          throw RuntimeError("the enumerated choices of one run of the expect block already combine into \(Int(paths * Double(support.count))) paths, more than the \(Expectation.maxRuns) allowed (at '\(address)'); enumerate fewer choices, or use .mvd or .reinforce")
        }
      }
      for v in support.dropFirst() {
        var alternative = forced
        alternative[k] = Value(v)
        branches.append(alternative)
      }
      let v = Value(first)
      forced[k] = v
      try weigh(d, v)
      return v
    case .mvd:
      let x = Value(try dist.sample(&context.rng))
      let terms = try MeasureValued.terms(d, at: x, &context.rng)
      if !terms.isEmpty { sites.append(MeasureValuedSite(index: k, prefix: forced, terms: terms, weight: weight)) }
      forced[k] = x
      return x
    }
  }

  /// weight·r, the run's share of `estimate`'s sum (0 on an impossible path).
  func weighted(_ r: Value) throws -> Value {
    if try isImpossiblePath(r) { return .real(0) }
    return try Differentiation.mul(weight, r)
  }

  /// A path of probability 0 whose value is not finite (log 0 on a branch that cannot
  /// happen): it adds nothing, where weight·r would be NaN.
  private func isImpossiblePath(_ r: Value) throws -> Bool {
    try Differentiation.primal(weight) == 0 && !(try Differentiation.primal(r)).isFinite
  }

  /// Adds the log-probability (on the tape) of a random draw made outside a choice —
  /// SMC's ancestor indices — to the run's score term, so the surrogate differentiates
  /// its law too.
  func addScore(_ lp: Value) throws {
    if mode == .full { scoreTerm = try Differentiation.add(scoreTerm, lp) }
  }

  /// Multiplies the path's weight by the probability of an enumerated value (on the tape).
  private func weigh(_ d: Value, _ v: Value) throws {
    weight = try Differentiation.mul(weight, Differentiation.exp(Differentiation.logpdf(d, v)))
  }

  /// The surrogate of a finished run with value `r`: its value is weight·r, and its
  /// gradient the run's share of the estimate (see the type's comment).
  func surrogate(_ r: Value) throws -> Value {
    if try isImpossiblePath(r) { return .real(0) }
    var s = try Differentiation.mul(r, Differentiation.exp(Differentiation.centered(scoreTerm)))
    for (b, lp) in baselines {
      let control = try Differentiation.sub(.real(1), Differentiation.exp(Differentiation.centered(lp)))
      s = try Differentiation.add(s, Differentiation.mul(.real(b), control))
    }
    return try Differentiation.mul(weight, s)
  }

  /// A choice's strategy: the one written on it, else reparameterization where it
  /// applies and the score function otherwise (SPEC §7).
  static func strategy(of d: Value, _ dist: Distribution) -> GradientStrategy {
    if case .trackedDist(let t) = d, let s = t.strategy { return s }
    return dist.isReparameterizable ? .reparam : .reinforce(baseline: nil)
  }
}
