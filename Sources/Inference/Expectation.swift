import Distributions
import Runtime

/// Running `expect` blocks: one estimate, or a differentiable surrogate of the block's
/// expectation whose gradient is an unbiased estimate of the expectation's gradient.
enum Expectation {
  /// The most runs of a block one gradient estimate may take (enumerated paths and
  /// measure-valued parts), and the most enumerated choices one run may make (an
  /// enumeration whose paths grow deeper without end stops there).
  static let maxRuns = 1 << 20
  static let maxEnumeratedPerRun = 1 << 10

  /// Counts the runs of one estimate against `maxRuns` (shared by a driver's loop and
  /// the runs it starts from inside, a reference).
  final class Budget {
    let caller: String
    private(set) var runs = 0

    init(_ caller: String) { self.caller = caller }

    func startRun(_ c: CallContext) throws {
      runs += 1
      guard runs <= maxRuns else { throw c.fail("\(caller) needs more than \(maxRuns) runs of the expect block; enumerate fewer choices") }
    }
  }

  /// Runs the block once per enumerated path, each from the random state `start` with
  /// the path's forced choices, and hands `visit` each run's value (the estimator then
  /// holds the run's weight and measure-valued sites).
  private static func forEachPath(_ block: Closure, _ estimator: GradientEstimator, _ mode: GradientEstimator.Mode,
                                  from start: RandomGenerator, _ budget: Budget, _ c: CallContext,
                                  _ visit: (Value) throws -> Void) throws {
    var pending: [[Int: Value]] = [[:]]
    while let forced = pending.popLast() {
      try budget.startRun(c)
      c.runtime.rng = start
      estimator.begin(mode, forced: forced)
      let r = try run(block, c)
      pending += estimator.branches.reversed()
      try visit(r)
    }
  }

  /// Runs the block once to its value; the running estimator, if any, draws its choices.
  static func run(_ block: Closure, _ c: CallContext) throws -> Value {
    var handler = ExpectHandler()
    var execution = try Execution(closure: block, arguments: [], context: c.runtime)
    guard case .finished(let v) = try execution.run(&handler, c.runtime) else {
      throw c.fail("internal: an expect block suspended")
    }
    return v
  }

  /// `estimate(e)`: an unbiased estimate of the block's expectation that follows the
  /// strategies where they define the value — `.enum` choices are summed exactly over
  /// their supports (the block runs once per path, each weighted by its probability,
  /// on the tape under `grad`); every other choice is drawn once. Inside a gradient
  /// estimate (an outer `expect` under `grad`), the block runs once under the outer
  /// estimator, which follows the strategies as part of the outer block (its `.enum`
  /// choices are then enumerated with the outer block's).
  static func estimate(_ block: Closure, _ c: CallContext) throws -> Value {
    let outer = c.runtime.estimator as? GradientEstimator
    if let outer, outer.mode == .full || outer.mode == .values { return try run(block, c) }
    let estimator = GradientEstimator(mode: .summing)
    c.runtime.estimator = estimator
    defer { c.runtime.estimator = outer }
    // Every path replays from the same random state. Without enumeration the stream
    // goes on from the one run's end, as `run` would leave it; after several paths it
    // jumps 2^128 draws past the start, beyond every path's draws.
    let start = c.runtime.rng
    var total: Value = .real(0)
    let budget = Budget("estimate")
    try forEachPath(block, estimator, .summing, from: start, budget, c) { r in
      total = try Differentiation.add(total, estimator.weighted(r))
    }
    if budget.runs > 1 {
      c.runtime.rng = start
      _ = c.runtime.rng.split()  // jumps past the paths' draws
    }
    return total
  }

  /// The surrogate of the block's expectation (see `GradientEstimator`): its value is
  /// an unbiased estimate, and its gradient an unbiased estimate of the gradient. Runs
  /// the block once per enumerated path, plus the parts of measure-valued choices.
  static func surrogate(_ block: Closure, _ c: CallContext) throws -> Value {
    let estimator = GradientEstimator(mode: .full)
    let saved = c.runtime.estimator
    c.runtime.estimator = estimator
    defer { c.runtime.estimator = saved }
    let start = c.runtime.rng.split()
    let after = c.runtime.rng
    defer { c.runtime.rng = after }

    var total: Value = .real(0)
    var visited = Set<String>()
    let budget = Budget("gradient estimation")
    try forEachPath(block, estimator, .full, from: start, budget, c) { r in
      total = try Differentiation.add(total, estimator.surrogate(r))
      let sites = estimator.sites
      for site in sites where visited.insert(site.key).inserted {
        func value(at x: Value) throws -> Value {
          try budget.startRun(c)
          var forced = site.prefix
          forced[site.index] = x
          c.runtime.rng = start
          estimator.begin(.values, forced: forced)
          return .real(try Differentiation.primal(try run(block, c)))
        }
        var term: Value = .real(0)
        for t in site.terms {
          let plus = try value(at: t.plus)
          let minus = try t.minus.map(value) ?? .real(0)
          term = try Differentiation.add(term, Differentiation.mul(t.coefficient, Differentiation.sub(plus, minus)))
        }
        total = try Differentiation.add(total, Differentiation.mul(site.weight, term))
      }
    }
    return total
  }
}

/// The handler of `expect` blocks: choices are drawn by the running gradient estimator
/// (or plainly); `observe` and `factor` have no meaning in an expectation.
struct ExpectHandler: Handler {
  func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    .value(Value(try dist.sample(&context.rng)))
  }

  func choice(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> ChoiceAction {
    if let estimator = context.estimator { return .value(try estimator.draw(at: address, distribution: distribution, context)) }
    return .value(Value(try Differentiation.distribution(distribution).sample(&context.rng)))
  }

  func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try observe(distribution: .dist(dist), value, at: address, context)
  }

  func observe(distribution: Value, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    throw RuntimeError("observe inside an expect block: an expectation has no score; add log-densities (assess, logpdf) to the block's value")
  }

  func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try factor(weight: .real(weight), at: address, context)
  }

  func factor(weight: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    throw RuntimeError("factor inside an expect block: an expectation has no score; add the term to the block's value")
  }

  /// A traced call of a gen defined by its interface: a draw from it (its choices drawn
  /// by the running estimator, as the block's are).
  func tracedCall(at address: Address, interfaceGen gen: Closure, arguments: [Value], _ c: CallContext) throws -> Value {
    try InferenceBuiltins.execute(gen, arguments, .simulate, c).trace.retval
  }
}
