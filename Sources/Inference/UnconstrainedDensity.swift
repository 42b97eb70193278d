import Distributions
import Foundation
import Runtime
import Tensor

/// The log joint density of a trace's gen over the unconstrained coordinates of its
/// selected continuous choices, with the gradient (Gen's `choice_gradients`, in Stan's
/// unconstrained space): what HMC, MALA and NUTS move on. Each choice's coordinates map
/// onto its support or simplex (`CoordinateMap`), and log |dx/du| joins the density.
///
/// For compiled gens the map is taken at each choice as the program reaches it, from the
/// distribution there: a bound that depends on another choice (`b ~ uniform(0, 1 − a)`)
/// moves with it and is differentiated. Gens defined by their interface are assessed
/// at the mapped values, with each choice's support as their trace records it; if a
/// support moves with the point, that is an error rather than a wrong density.
struct UnconstrainedDensity {
  struct Coordinate {
    let address: Address
    /// The choice's value's shape.
    let shape: [Int]
    let isScalar: Bool
    /// Where its numbers start in a flattened point.
    let offset: Int
    /// Its map and parameters at the trace (interface gens map with these).
    let map: CoordinateMap
    let parameters: [Tensor]

    /// The shape of its unconstrained numbers (one fewer per row for a simplex).
    var unconstrainedShape: [Int] { map.unconstrainedShape(shape) }
    /// How many unconstrained numbers it has.
    var count: Int { unconstrainedShape.reduce(1, *) }
  }

  /// The density, its gradient and the choices' constrained values at a point.
  struct Evaluation {
    let logDensity: Double
    let gradient: [Double]
    let values: [Value]
  }

  let trace: Trace
  let coordinates: [Coordinate]
  /// Each coordinate's index by address.
  let positions: [Address: Int]
  /// The trace's point, flattened.
  let start: [Double]
  let context: CallContext

  /// `advice` ends the error for a choice that is not continuous (what the caller can do).
  init(_ t: Trace, _ selection: Selection, _ c: CallContext, advice: String = "leave it out of the selection") throws {
    trace = t
    context = c
    var coordinates: [Coordinate] = [], start: [Double] = []
    for a in t.choices.addresses where selection.contains(a) {
      // A dirac choice is no coordinate: it is recomputed from the others at every
      // evaluation (a transformed parameter, recorded in each draw).
      if t.distribution(at: a)?.isDirac == true { continue }
      guard let d = t.distribution(at: a), let map = CoordinateMap(d), let v = t.choices[a] else {
        if case .mixture? = t.distribution(at: a), case .real? = t.choices[a] {
          throw c.fail("gradient-based kernels move continuous choices on one support; '\(a)' is a mixture of components with different supports, which has no single unconstrained form: give its components one support")
        }
        throw c.fail("gradient-based kernels move continuous choices; '\(a)' (\(t.distribution(at: a)?.name ?? "?")) is not one, so \(advice)")
      }
      let x = try v.asTensor(), parameters = UnconstrainedDensity.parameters(d)
      coordinates.append(Coordinate(address: a, shape: x.shape, isScalar: x.rank == 0, offset: start.count, map: map,
                                    parameters: parameters))
      start += try map.unconstrain(x, parameters: parameters).data
    }
    guard !coordinates.isEmpty else { throw c.fail("the selection contains no choice of the trace") }
    self.coordinates = coordinates
    self.start = start
    positions = Dictionary(uniqueKeysWithValues: coordinates.enumerated().map { ($0.element.address, $0.offset) })
  }

  /// A family's parameters as tensors, which parameter bounds of its support index.
  static func parameters(_ d: Distribution) -> [Tensor] {
    switch d {
    case .scalar(let f, let p): return (0..<f.arity).map { .scalar(p[$0]) }
    case .product(_, let params, _): return params
    default: return []
    }
  }

  /// The density (with the log-Jacobian) and its gradient at `u`.
  func evaluate(_ u: [Double]) throws -> Evaluation {
    let tape = Tape()
    let leaves = coordinates.map { k in tape.variable(Tensor(shape: k.unconstrainedShape, data: Array(u[k.offset..<(k.offset + k.count)]))) }
    let (total, values) = InferenceBuiltins.interface(trace.gen) == nil
      ? try compiledDensity(leaves.map { .tracked($0) })
      : try interfaceDensity(leaves.map { .tracked($0) })
    guard case .tracked(let t) = total else { return Evaluation(logDensity: try total.asReal(), gradient: u.map { _ in 0 }, values: values) }
    let grads = try tape.gradients(of: t)
    return Evaluation(logDensity: t.value.data[0],
                      gradient: leaves.flatMap { leaf in grads[leaf.index]?.data ?? Array(repeating: 0, count: leaf.value.count) },
                      values: values)
  }

  /// The density at a proposed point, where a point outside the program's domain (an
  /// invalid parameter or a NaN log-density far out in a trajectory) has zero density,
  /// as in Stan; every other error propagates.
  func evaluateProposal(_ u: [Double]) throws -> Evaluation {
    do {
      return try evaluate(u)
    } catch let e as RuntimeError where e.isOutsideDomain {
      return Evaluation(logDensity: -.infinity, gradient: u.map { _ in 0 }, values: [])
    }
  }

  /// The trace at a point's constrained values: updated from the trace, or for a gen
  /// defined by its interface (which has no update), generated with every choice given.
  func trace(at values: [Value]) throws -> Trace {
    guard values.count == coordinates.count else { throw context.fail("internal: a point without its values") }
    if InferenceBuiltins.interface(trace.gen) != nil {
      var choices = trace.choices
      for (k, v) in zip(coordinates, values) { choices.replace(k.address, v) }
      return try InferenceBuiltins.run(trace.gen, trace.arguments, .generate(choices), context).trace
    }
    var constraints = ChoiceMap()
    for (k, v) in zip(coordinates, values) { constraints.insert(k.address, v) }
    return try InferenceBuiltins.run(trace.gen, trace.arguments, .update(previous: trace, constraints: constraints), context).trace
  }

  /// A compiled gen run once with the coordinates mapped where each choice is made.
  private func compiledDensity(_ leaves: [Operand]) throws -> (Value, [Value]) {
    let handler = UnconstrainedHandler(values: trace.choices, positions: positions, leaves: leaves, coordinates: coordinates)
    var execution = try Execution(closure: trace.gen, arguments: trace.arguments, context: context.runtime)
    let done: UnconstrainedHandler
    if let truncation = trace.truncation {
      var truncated = TruncatedHandler(handler, truncation)
      _ = try execution.run(&truncated, context.runtime)
      done = truncated.inner
    } else {
      var plain = handler
      guard case .finished = try execution.run(&plain, context.runtime) else { throw context.fail("internal: the model suspended") }
      done = plain
    }
    let values = try done.constrained.enumerated().map { i, v -> Value in
      guard let v else { throw context.fail("the model made no choice at '\(coordinates[i].address)' this time; gradient-based kernels need the same choices in every run") }
      return v
    }
    return (done.logDensity, values)
  }

  /// An interface gen assessed at the mapped values, each mapped with its support at the trace.
  private func interfaceDensity(_ leaves: [Operand]) throws -> (Value, [Value]) {
    var choices = trace.choices, logJacobian: Value = .real(0), values: [Value] = []
    for (k, u) in zip(coordinates, leaves) {
      let (x, logJ) = try k.map.constrain(u, parameters: k.parameters.map { .constant($0) })
      let v = try UnconstrainedDensity.shaped(x, k)
      values.append(Differentiation.stopGradient(v))
      choices.replace(k.address, v)
      if let logJ { logJacobian = try Differentiation.add(logJacobian, Differentiation.value(logJ)) }
    }
    let result = try InferenceBuiltins.execute(trace.gen, trace.arguments, .assess(choices), context)
    for k in coordinates {
      guard let d = result.trace.distribution(at: k.address), let map = CoordinateMap(d),
            map == k.map, try map.bounds(UnconstrainedDensity.parameters(d)) == k.map.bounds(k.parameters) else {
        throw context.fail("the support of '\(k.address)' inside \(trace.gen.code.name) depends on other choices, which gradient-based kernels cannot follow through a gen defined by its interface")
      }
    }
    return (try Differentiation.add(result.weight, logJacobian), values)
  }

  /// A mapped coordinate as the choice's value: a Real for a scalar choice.
  static func shaped(_ x: Operand, _ k: Coordinate) throws -> Value {
    if k.isScalar, x.value.rank > 0 { return Differentiation.value(try Differentiable.reshape(x, [])) }
    return Differentiation.value(x)
  }
}

/// Runs a compiled gen with the trace's values at every choice, except the coordinates,
/// which are mapped from the unconstrained leaves with the distribution met there; sums
/// the log joint density and the log-Jacobians on the tape.
struct UnconstrainedHandler: Handler {
  let values: ChoiceMap
  let positions: [Address: Int]
  let leaves: [Operand]
  let coordinates: [UnconstrainedDensity.Coordinate]
  var logDensity: Value = .real(0)
  /// The constrained value of each coordinate, once reached.
  var constrained: [Value?]
  /// The other choices met so far (a coordinate met twice is caught by `constrained`).
  private var seen: Set<Address> = []

  init(values: ChoiceMap, positions: [Address: Int], leaves: [Operand], coordinates: [UnconstrainedDensity.Coordinate]) {
    self.values = values
    self.positions = positions
    self.leaves = leaves
    self.coordinates = coordinates
    constrained = Array(repeating: nil, count: leaves.count)
  }

  mutating func choice(at address: Address, distribution: Value, _ context: RuntimeContext) throws -> ChoiceAction {
    if let i = positions[address] {
      guard constrained[i] == nil else { throw Scoring.duplicate(address) }
      let (map, parameters) = try UnconstrainedHandler.map(distribution, address)
      guard (map == .simplex) == (coordinates[i].map == .simplex) else {
        throw RuntimeError("the choice at '\(address)' changed between a simplex and a number; gradient-based kernels need the same choices in every run")
      }
      let (x, logJ) = try map.constrain(leaves[i], parameters: parameters)
      let v = try UnconstrainedDensity.shaped(x, coordinates[i])
      constrained[i] = Differentiation.stopGradient(v)
      try add(Scoring.choice(distribution, v, at: address))
      if let logJ { try add(Differentiation.value(logJ)) }
      return .value(v)
    }
    guard seen.insert(address).inserted else { throw Scoring.duplicate(address) }
    if case .dirac(let point) = try Differentiation.distribution(distribution) {
      // The point as it is now, carrying its derivative; its density is 0 there.
      if case .trackedDist(let t) = distribution, case .dirac(let v) = t.parameters { return .value(v) }
      return .value(Value(point))
    }
    guard let v = values[address] else {
      throw RuntimeError("the model made a choice at '\(address)' that the trace does not have; gradient-based kernels need the same choices in every run")
    }
    try add(Scoring.choice(distribution, v, at: address))
    return .value(v)
  }

  mutating func observe(distribution: Value, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try add(Scoring.observation(distribution, value, within: address))
    return true
  }

  mutating func factor(weight: Value, at address: Address, _ context: RuntimeContext) throws -> Bool {
    try add(Scoring.factor(weight, within: address))
    return true
  }

  private mutating func add(_ scored: (lp: Double, term: Value?)) throws {
    try add(scored.term ?? .real(scored.lp))
  }

  private mutating func add(_ term: Value) throws {
    if case .real(0) = logDensity { logDensity = term } else { logDensity = try Differentiation.add(logDensity, term) }
  }

  /// The map of the distribution a choice meets now, with its parameters as operands:
  /// differentiated where they depend on other coordinates.
  static func map(_ distribution: Value, _ address: Address) throws -> (CoordinateMap, [Operand]) {
    let dist = try Differentiation.distribution(distribution)
    guard let map = CoordinateMap(dist) else {
      throw RuntimeError("gradient-based kernels move continuous choices; '\(address)' is a \(dist.name) here")
    }
    guard map.hasParameterBounds else { return (map, []) }
    if case .trackedDist(let t) = distribution, case .family(let ops) = t.parameters, !ops.isEmpty { return (map, ops) }
    return (map, UnconstrainedDensity.parameters(dist).map { .constant($0) })
  }

  // The primal forms are never called: the full forms above take precedence.
  func choice(at address: Address, from dist: Distribution, _ context: RuntimeContext) throws -> ChoiceAction { .suspend }
  func observe(_ dist: Distribution, _ value: Value, at address: Address, _ context: RuntimeContext) throws -> Bool { true }
  func factor(_ weight: Double, at address: Address, _ context: RuntimeContext) throws -> Bool { true }
}
