import Distributions
import Foundation
import Runtime
import Tensor

/// Where an MCMC chain starts. Choices given in `init:` take those values; with
/// `unconstrained` (NUTS, as Stan does) every other unobserved continuous choice starts
/// at a uniform draw on (−2, 2) in its unconstrained coordinate, mapped onto the support
/// the program meets it with (so a bound that depends on another choice holds), and
/// other choices are drawn from the prior. A start whose log density (for NUTS: with
/// the log-Jacobian, and its gradient) is not finite is drawn again — up to 100 times for NUTS, as
/// Stan does, and 10,000 for `mcmc`, whose prior draws are cheap and whose models may
/// condition on rare events (WebPPL's rejection start) — and then is an error that says
/// what failed. A start with nothing left to draw (`init:` gives every choice) is tried
/// once. Gens defined by their interface start from the prior.
enum Initialization {

  /// The `init:` argument as one choice map per chain: none, one for all, or a list
  /// with one per chain.
  static func given(_ value: Value?, chains: Int, _ method: String, _ c: CallContext) throws -> [ChoiceMap] {
    guard let value else { return Array(repeating: ChoiceMap(), count: chains) }
    if case .list(let maps) = value {
      guard maps.count == chains else {
        throw c.fail("\(method): init gives \(maps.count) choice map\(maps.count == 1 ? "" : "s") for \(chains) chain\(chains == 1 ? "" : "s"); give one per chain, or one choice map for all")
      }
      return try maps.map { try InferenceBuiltins.choiceMap($0, c) }
    }
    return Array(repeating: try InferenceBuiltins.choiceMap(value, c), count: chains)
  }

  /// The starting trace of one chain, and what `accept` found there. `accept` throws for
  /// a start it refuses (a density it cannot evaluate) and returns nil to draw again.
  static func start<Point>(_ g: Closure, _ args: [Value], _ obs: ChoiceMap, given: ChoiceMap, unconstrained: Bool,
                           attempts: Int, _ c: CallContext, method: String,
                           accept: (Trace) throws -> Point?) throws -> (trace: Trace, point: Point) {
    for a in given.addresses where obs.has(a) {
      throw c.fail("\(method): init gives '\(a)', which is observed")
    }
    var constraints = obs
    for (a, v) in zip(given.addresses, given.values) { constraints.insert(a, v) }
    var failure = "its log density is -inf"
    for attempt in 0..<attempts {
      do {
        var start = constraints
        if unconstrained, InferenceBuiltins.interface(g) == nil {
          let drawn = try drawUnconstrained(g, args, constraints, c)
          for (a, v) in zip(drawn.addresses, drawn.values) { start.insert(a, v) }
        }
        // (A given value the model never chooses is an unused constraint: generate's error.)
        let trace = try InferenceBuiltins.run(g, args, .generate(start), c).trace
        if trace.score.isFinite, let point = try accept(trace) { return (trace, point) }
        failure = trace.score.isFinite ? "its unconstrained log density or its gradient is not finite"
          : "its log density is \(ValueFormatter.real(trace.score))"
        if trace.choices.addresses.allSatisfy(constraints.has) { return try fixedStartFails(method, given, failure, c) }
      } catch let e as RuntimeError where e.isOutsideDomain {
        failure = e.message
        if attempt == 0, !given.addresses.isEmpty, everyChoiceGiven(g, args, constraints, c) {
          return try fixedStartFails(method, given, failure, c)
        }
      }
    }
    throw c.fail("\(method): found no starting point in \(attempts) attempts (the last: \(failure)); give starting values with init:")
  }

  /// The error for a start that nothing random can change: every choice is given.
  private static func fixedStartFails<T>(_ method: String, _ given: ChoiceMap, _ failure: String, _ c: CallContext) throws -> T {
    let blame = given.addresses.isEmpty ? "every choice is observed" : "the values init: gives"
    throw c.fail("\(method): the chain cannot start at \(blame): \(failure)")
  }

  /// Whether a run of the model under `constraints` makes no choice they do not give
  /// (a run with them kept, densities not evaluated). A run that fails proves nothing:
  /// false, and the start is drawn again.
  private static func everyChoiceGiven(_ g: Closure, _ args: [Value], _ constraints: ChoiceMap, _ c: CallContext) -> Bool {
    guard InferenceBuiltins.interface(g) == nil else { return false }
    do {
      return try drawUnconstrained(g, args, constraints, c).count == 0
    } catch {
      return false
    }
  }

  /// The values of the unconstrained draws for one start: a run that keeps `given`
  /// values and draws the rest as described above.
  private static func drawUnconstrained(_ g: Closure, _ args: [Value], _ given: ChoiceMap, _ c: CallContext) throws -> ChoiceMap {
    var handler = UniformUnconstrainedDraw(given: given)
    var execution = try Execution(closure: g, arguments: args, context: c.runtime)
    guard case .finished = try execution.run(&handler, c.runtime) else { throw c.fail("internal: the model suspended") }
    return handler.drawn
  }
}

/// Runs a model keeping the given choices and drawing each other continuous choice
/// uniformly on (−2, 2) in its unconstrained coordinate; discrete choices come from the
/// prior. Observations and factors are not scored (the trace built from `drawn` is).
private struct UniformUnconstrainedDraw: Handler {
  let given: ChoiceMap
  var drawn = ChoiceMap()

  init(given: ChoiceMap) { self.given = given }

  mutating func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction {
    if let v = given[address] { return .value(v) }
    let value: Value
    if let map = CoordinateMap(dist) {
      let shape = CoordinateMap.valueShape(dist), free = map.unconstrainedShape(shape)
      let u = Tensor(shape: free, data: (0..<free.reduce(1, *)).map { _ in 4 * context.rng.uniform() - 2 })
      let parameters = UnconstrainedDensity.parameters(dist).map { Operand.constant($0) }
      let x = try map.constrain(.constant(u), parameters: parameters).x.value
      value = shape.isEmpty ? .real(x.data[0]) : .tensor(x)
    } else {
      value = Value(try dist.sample(&context.rng))
    }
    guard drawn.insert(address, value) else { throw Scoring.duplicate(address) }
    return .value(value)
  }

  func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool { true }
  func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool { true }
}
