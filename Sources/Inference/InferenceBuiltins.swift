import Runtime

/// Registers the builtins of the generative function interface implemented so far.
public enum InferenceBuiltins {
  public static func register(into r: BuiltinRegistry) {
    registerInterface(r)
    registerPosteriors(r)
    registerMCMC(r)
    registerSMC(r)
    registerVariational(r)
    r.register("simulate(Gen[? -> ?], ?)") { a, c in
      guard case .closure(let g) = a[0], g.code.isGen else { throw c.fail("simulate expects a gen") }
      return .object(try simulate(g, arguments(a[1]), c))
    }
    r.register("__choicemap") { a, c in
      var map = ChoiceMap()
      for i in stride(from: 0, to: a.count, by: 2) {
        guard let address = Address(value: a[i]) else { throw c.fail("an address is a String, an Int, or a tuple of them") }
        guard map.insert(address, a[i + 1]) else { throw c.fail("the address '\(address)' appears twice in the choice map") }
      }
      return .object(ChoiceMapObject(map))
    }
    r.registerProperty { object, name in
      guard let trace = object as? Trace else { return nil }
      switch name {
      case "retval":
        if trace.isPartial { throw RuntimeError("this trace is partial (an SMC particle between observations): it has no return value yet") }
        return trace.retval
      case "score": return trace.scoreValue
      case "choices": return .object(ChoiceMapObject(trace.choices))
      case "args": return trace.arguments.isEmpty ? .unit : .tuple(trace.arguments)
      default: return nil
      }
    }
    r.registerLookup { object, key in
      let map: ChoiceMap
      if let trace = object as? Trace { map = trace.choices } else if let cm = object as? ChoiceMapObject { map = cm.map } else { return nil }
      guard let address = Address(value: key) else { throw RuntimeError("an address is a String, an Int, or a tuple of them") }
      guard let v = map[address] else { throw RuntimeError("no choice at address '\(address)'") }
      return v
    }
  }

  /// A count of particles or draws: positive, and small enough that the results fit
  /// (one trace each).
  static func checkCount(_ n: Int, _ what: String, _ c: CallContext) throws {
    guard n > 0 else { throw c.fail("\(what) must be positive, got \(n)") }
    guard n <= Capacity.listElements else { throw c.fail("\(what) must be at most \(Capacity.listElements), got \(n)") }
  }

  /// A gen's argument tuple as a list of arguments.
  static func arguments(_ v: Value) -> [Value] {
    switch v {
    case .unit: return []
    case .tuple(let xs): return xs
    default: return [v]
    }
  }

  /// Runs a generative function under the simulate handler.
  public static func simulate(_ g: Closure, _ args: [Value], _ c: CallContext) throws -> Trace {
    try run(g, args, .simulate, c).trace
  }

  /// Runs a generative function under one mode of the GFI handler: the trace and weight.
  public static func run(_ g: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> (trace: Trace, weight: Double) {
    let result = try execute(g, args, mode, c)
    return (result.trace, try Differentiation.primal(result.weight))
  }

  /// What running a gen under the GFI gives: its trace, its weight, and the log-density
  /// of its fresh draws (propose's weight); the last two on the tape where differentiated.
  struct GFIResult {
    let trace: Trace
    let weight: Value
    let freshScore: Value
  }

  /// Runs a generative function under one mode of the GFI handler (or, for gens defined
  /// by their interface, under their own implementation).
  static func execute(_ g: Closure, _ args: [Value], _ mode: GFIHandler.Mode, _ c: CallContext) throws -> GFIResult {
    if g.code.isInterfaceOnly {
      guard case .object(let o)? = g.captures.first, let custom = o as? InterfaceGen else {
        throw c.fail("internal: a gen without a body or an implementation")
      }
      return try custom.execute(g, args, mode, c)
    }
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

  /// Runs code to completion, sampling every choice; returns its value and the handler.
  static func runSimulating(_ g: Closure, _ args: [Value], _ c: CallContext) throws -> (value: Value, handler: GFIHandler) {
    var handler = GFIHandler()
    var execution = try Execution(closure: g, arguments: args, context: c.runtime)
    guard case .finished(let value) = try execution.run(&handler, c.runtime) else {
      throw c.fail("internal: the simulate handler suspended")
    }
    return (value, handler)
  }
}
